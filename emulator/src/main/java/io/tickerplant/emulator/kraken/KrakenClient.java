package io.tickerplant.emulator.kraken;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the emulated {@code /v2} endpoint and its subscriptions. Requests are handled by the
 * {@link KrakenEmulator} under its lock, so a subscription's snapshot and the updates after it are consistent.
 *
 * <p>Public only because Jetty binds listener methods through method handles, which needs a public class; it is
 * not part of the emulator's API.
 */
public final class KrakenClient implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(KrakenClient.class);

    private final KrakenEmulator emulator;
    /** Per channel ({@code trade}, {@code ticker}, {@code book}, {@code instrument}): symbol to depth (0: none). */
    final Map<String, Map<String, Integer>> subscriptions = new ConcurrentHashMap<>();
    private volatile Session session;

    KrakenClient(KrakenEmulator emulator) {
        this.emulator = emulator;
    }

    boolean subscribed(String channel, String symbol) {
        Map<String, Integer> m = subscriptions.get(channel);
        return m != null && m.containsKey(symbol);
    }

    /** Depth of this client's book subscription of a symbol, or 0. */
    int bookDepth(String symbol) {
        Map<String, Integer> m = subscriptions.get("book");
        Integer d = m == null ? null : m.get(symbol);
        return d == null ? 0 : d;
    }

    boolean hasSubscriptions() {
        return subscriptions.values().stream().anyMatch(m -> !m.isEmpty());
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        emulator.register(this);
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            emulator.handleRequest(this, message);
        } catch (RuntimeException e) {
            log.warn("cannot handle client message {}", message, e);
            send("{\"error\":\"EGeneral:Internal error\",\"success\":false}");
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
