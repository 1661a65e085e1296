package io.tickerplant.emulator.bitstamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the emulated Bitstamp v2 websocket: its channels and the control protocol
 * ({@code bts:subscribe}, {@code bts:unsubscribe}, {@code bts:heartbeat}) with Bitstamp's answers and errors.
 *
 * <p>Public only because Jetty binds listener methods through method handles, which needs a public class; it is
 * not part of the emulator's API.
 */
public final class BitstampStreamClient implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(BitstampStreamClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BitstampEmulator emulator;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private volatile Session session;

    BitstampStreamClient(BitstampEmulator emulator) {
        this.emulator = emulator;
    }

    boolean subscribed(String channel) {
        return channels.contains(channel);
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        emulator.register(this);
    }

    @Override
    public void onWebSocketText(String message) {
        JsonNode req;
        try {
            req = JSON.readTree(message);
        } catch (Exception e) {
            send(error("Incorrect JSON format."));
            return;
        }
        String event = req == null ? "" : req.path("event").asText("");
        String channel = req == null ? "" : req.path("data").path("channel").asText("");
        switch (event) {
            case "bts:subscribe" -> {
                if (!emulator.validChannel(channel)) {
                    send(error("Bad subscription string."));
                    return;
                }
                // Under the pair's lock: every diff made after the acknowledgement reaches this client.
                emulator.withPairLock(channel, () -> {
                    channels.add(channel);
                    send("{\"event\":\"bts:subscription_succeeded\",\"channel\":\"" + channel + "\",\"data\":{}}");
                });
            }
            case "bts:unsubscribe" -> {
                channels.remove(channel);
                send("{\"event\":\"bts:unsubscription_succeeded\",\"channel\":\"" + channel + "\",\"data\":{}}");
            }
            case "bts:heartbeat" -> {
                emulator.heartbeatAnswered();
                send("{\"event\":\"bts:heartbeat\",\"channel\":\"\",\"data\":{\"status\":\"success\"}}");
            }
            default -> send(error("Incorrect JSON format."));
        }
    }

    private static String error(String message) {
        return "{\"event\":\"bts:error\",\"channel\":\"\",\"data\":{\"code\":null,\"message\":\"" + message + "\"}}";
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
        s.sendText(text, Callback.from(() -> { }, failure -> {
            if (s.isOpen()) {
                log.info("closing slow or broken client: {}", failure.toString());
                s.close(StatusCode.POLICY_VIOLATION, "Slow consumer", Callback.NOOP);
            }
        }));
    }

    /** Drops the TCP connection without a close frame. */
    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }
}
