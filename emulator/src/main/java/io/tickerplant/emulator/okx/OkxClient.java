package io.tickerplant.emulator.okx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the emulated {@code /ws/v5/public}: answers the text {@code ping} with {@code pong},
 * handles {@code subscribe}/{@code unsubscribe} requests with OKX's event answers and error codes, and keeps the
 * client's subscriptions ({@code channel:instId}, or {@code liquidation-orders:SWAP}).
 *
 * <p>Public only because Jetty binds listener methods through method handles; not part of the emulator's API.
 */
public final class OkxClient implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(OkxClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong CONNECTION_IDS = new AtomicLong(0x5a000000L);

    private final OkxEmulator emulator;
    private final String connId = Long.toHexString(CONNECTION_IDS.incrementAndGet());
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile Session session;
    private volatile long lastSentNanos = System.nanoTime();

    OkxClient(OkxEmulator emulator) {
        this.emulator = emulator;
    }

    boolean subscribed(String channel, String instIdOrType) {
        return subscriptions.contains(channel + ":" + instIdOrType);
    }

    long lastSentNanos() {
        return lastSentNanos;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        emulator.register(this);
    }

    @Override
    public void onWebSocketText(String message) {
        if (message.equals("ping")) {
            emulator.pingReceived();
            send("pong");
            return;
        }
        JsonNode req;
        try {
            req = JSON.readTree(message);
        } catch (Exception e) {
            send(error("60012", "Invalid request: " + abbreviate(message)));
            return;
        }
        String op = req.path("op").asText("");
        JsonNode args = req.get("args");
        if (!op.equals("subscribe") && !op.equals("unsubscribe")) {
            send(error("60012", "Invalid request: " + abbreviate(message)));
            return;
        }
        if (args == null || !args.isArray() || args.isEmpty()) {
            send(error("60012", "Invalid request: " + abbreviate(message)));
            return;
        }
        for (JsonNode arg : args) {
            String channel = arg.path("channel").asText("");
            String key = channel.equals("liquidation-orders") ? arg.path("instType").asText("")
                    : arg.path("instId").asText("");
            if (!emulator.validSubscription(channel, key)) {
                send(error("60018", "Wrong URL or channel:" + channel + ",instId:" + key + " doesn't exist."));
                continue;
            }
            String sub = channel + ":" + key;
            if (op.equals("subscribe")) {
                // Ack, then (for books) the snapshot, both under the book's lock so that no update slips between.
                emulator.subscribe(this, channel, key, () -> {
                    subscriptions.add(sub);
                    send("{\"event\":\"subscribe\",\"arg\":" + arg + ",\"connId\":\"" + connId + "\"}");
                });
            } else {
                subscriptions.remove(sub);
                send("{\"event\":\"unsubscribe\",\"arg\":" + arg + ",\"connId\":\"" + connId + "\"}");
            }
        }
    }

    private String error(String code, String msg) {
        return "{\"event\":\"error\",\"code\":\"" + code + "\",\"msg\":" + JSON.getNodeFactory().textNode(msg)
                + ",\"connId\":\"" + connId + "\"}";
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        emulator.unregister(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("client connection error", cause);
        emulator.unregister(this);
    }

    void send(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        lastSentNanos = System.nanoTime();
        s.sendText(text, Callback.from(() -> { }, failure -> {
            if (s.isOpen()) {
                log.info("closing slow or broken client: {}", failure.toString());
                s.close(StatusCode.POLICY_VIOLATION, "Slow consumer", Callback.NOOP);
            }
        }));
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    /** Drops the TCP connection without a close frame. */
    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }
}
