package io.tickerplant.emulator.binance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the emulated stream server: its subscriptions, its ping/pong bookkeeping and the
 * live-subscription control protocol ({@code SUBSCRIBE}, {@code UNSUBSCRIBE}, {@code LIST_SUBSCRIPTIONS},
 * {@code SET_PROPERTY}, {@code GET_PROPERTY}) with Binance's answers and error codes.
 *
 * <p>Public only because Jetty binds listener methods through method handles, which needs a public class; it is
 * not part of the emulator's API.
 */
public final class StreamClient implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(StreamClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_STREAMS = 1024;

    private final BinanceEmulator emulator;
    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final long openedNanos = System.nanoTime();
    private final long[] recentMessageNanos;
    private volatile boolean combined;
    private volatile Session session;

    // Ping bookkeeping, guarded by this.
    private long pingsSent;
    private long pingsAnswered;
    private long oldestUnansweredPingNanos;
    private long lastPingNanos;
    private int messageIndex;

    StreamClient(BinanceEmulator emulator, boolean combined, Collection<String> initialStreams,
                 int maxIncomingPerSecond) {
        this.emulator = emulator;
        this.combined = combined;
        this.streams.addAll(initialStreams);
        this.recentMessageNanos = maxIncomingPerSecond > 0 ? new long[maxIncomingPerSecond] : null;
        this.lastPingNanos = openedNanos;
    }

    boolean combined() {
        return combined;
    }

    boolean subscribed(String stream) {
        return streams.contains(stream);
    }

    long ageNanos(long now) {
        return now - openedNanos;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        emulator.register(this);
    }

    @Override
    public void onWebSocketText(String message) {
        if (!countIncoming()) {
            return;
        }
        String reply;
        try {
            reply = handleControl(message);
        } catch (RuntimeException e) {
            log.warn("cannot handle client message {}", message, e);
            reply = error(3, "Invalid JSON: " + e.getMessage(), NODES.nullNode());
        }
        send(reply);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        // Jetty answers the ping itself; Binance still counts it against the incoming message limit.
        countIncoming();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        if (!countIncoming()) {
            return;
        }
        emulator.pongReceived();
        // Only a pong echoing one of our pings counts; Binance ignores unsolicited pongs for liveness.
        if (payload.remaining() == Long.BYTES) {
            long n = payload.getLong(payload.position());
            synchronized (this) {
                if (n > pingsAnswered && n <= pingsSent) {
                    pingsAnswered = n;
                    oldestUnansweredPingNanos = n == pingsSent ? 0 : lastPingNanos;
                }
            }
        }
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

    /** Sends a ping when one is due; returns false and closes the connection when a pong is overdue. */
    synchronized boolean housekeeping(long now, long pingIntervalNanos, long pongTimeoutNanos) {
        if (oldestUnansweredPingNanos != 0 && now - oldestUnansweredPingNanos >= pongTimeoutNanos) {
            close(StatusCode.POLICY_VIOLATION, "Pong timeout");
            return false;
        }
        if (now - lastPingNanos >= pingIntervalNanos) {
            Session s = session;
            if (s != null && s.isOpen()) {
                pingsSent++;
                lastPingNanos = now;
                if (oldestUnansweredPingNanos == 0) {
                    oldestUnansweredPingNanos = now;
                }
                s.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, pingsSent), Callback.NOOP);
                emulator.pingSent();
            }
        }
        return true;
    }

    void send(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        s.sendText(text, Callback.from(() -> { }, failure -> {
            // Jetty refuses frames beyond maxOutgoingFrames: like Binance, drop a client that cannot keep up.
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

    /** Binance allows 5 incoming messages (pings, pongs, requests) per second and drops the connection beyond. */
    private synchronized boolean countIncoming() {
        if (recentMessageNanos == null) {
            return true;
        }
        long now = System.nanoTime();
        long oldest = recentMessageNanos[messageIndex];
        if (oldest != 0 && now - oldest < 1_000_000_000L) {
            close(StatusCode.POLICY_VIOLATION, "Too many requests");
            return false;
        }
        recentMessageNanos[messageIndex] = now;
        messageIndex = (messageIndex + 1) % recentMessageNanos.length;
        return true;
    }

    private String handleControl(String message) {
        JsonNode req;
        try {
            req = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return error(3, "Invalid JSON: expected value at line " + (loc == null ? 1 : loc.getLineNr())
                    + " column " + (loc == null ? 1 : loc.getColumnNr()), NODES.nullNode());
        }
        if (req == null || !req.isObject()) {
            return error(2, "Invalid request: expected a JSON object", NODES.nullNode());
        }
        JsonNode id = req.has("id") ? req.get("id") : NODES.nullNode();
        if (!validId(id)) {
            return error(2, "Invalid request: request ID must be an unsigned integer", NODES.nullNode());
        }
        JsonNode method = req.get("method");
        if (method == null || !method.isTextual()) {
            return error(2, "Invalid request: missing field `method`", id);
        }
        JsonNode params = req.get("params");
        switch (method.asText()) {
            case "SUBSCRIBE", "UNSUBSCRIBE" -> {
                List<String> names = new ArrayList<>();
                if (params == null || !params.isArray()) {
                    return error(2, "Invalid request: missing field `params`", id);
                }
                for (JsonNode p : params) {
                    if (!p.isTextual() || !emulator.validStream(p.asText())) {
                        return error(2, "Invalid request: invalid stream", id);
                    }
                    names.add(p.asText());
                }
                if (method.asText().equals("SUBSCRIBE")) {
                    Set<String> after = new TreeSet<>(streams);
                    after.addAll(names);
                    if (after.size() > MAX_STREAMS) {
                        return error(2, "Invalid request: too many streams", id);
                    }
                    streams.addAll(names);
                } else {
                    names.forEach(streams::remove);
                }
                return result(NODES.nullNode(), id);
            }
            case "LIST_SUBSCRIPTIONS" -> {
                ArrayNode list = NODES.arrayNode();
                new TreeSet<>(streams).forEach(list::add);
                return result(list, id);
            }
            case "SET_PROPERTY" -> {
                if (params == null || !params.isArray() || params.size() != 2 || !params.get(0).isTextual()) {
                    return error(2, "Invalid request: property name must be a string", id);
                }
                if (!params.get(0).asText().equals("combined")) {
                    return error(0, "Unknown property", id);
                }
                if (!params.get(1).isBoolean()) {
                    return error(1, "Invalid value type: expected Boolean", id);
                }
                combined = params.get(1).asBoolean();
                return result(NODES.nullNode(), id);
            }
            case "GET_PROPERTY" -> {
                if (params == null || !params.isArray() || params.size() != 1 || !params.get(0).isTextual()) {
                    return error(2, "Invalid request: property name must be a string", id);
                }
                if (!params.get(0).asText().equals("combined")) {
                    return error(0, "Unknown property", id);
                }
                return result(NODES.booleanNode(combined), id);
            }
            default -> {
                return error(2, "Invalid request: unknown variant `" + method.asText()
                        + "`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`,"
                        + " `GET_PROPERTY`", id);
            }
        }
    }

    private static boolean validId(JsonNode id) {
        // Binance accepts a 64-bit integer, an alphanumeric string of at most 36 characters, or null.
        return id.isNull() || id.isIntegralNumber() && id.canConvertToLong()
                || id.isTextual() && id.asText().length() <= 36 && id.asText().chars().allMatch(Character::isLetterOrDigit);
    }

    private static String result(JsonNode result, JsonNode id) {
        ObjectNode n = NODES.objectNode();
        n.set("result", result);
        n.set("id", id);
        return n.toString();
    }

    static String error(int code, String msg, JsonNode id) {
        ObjectNode n = NODES.objectNode();
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("msg", msg);
        n.set("id", id);
        return n.toString();
    }
}
