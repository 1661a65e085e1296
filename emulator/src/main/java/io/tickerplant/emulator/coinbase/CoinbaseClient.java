package io.tickerplant.emulator.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the emulated Advanced Trade websocket: its subscriptions per channel, its
 * {@code sequence_num} (every message of the connection, across channels, from 0) and its heartbeat counter.
 * Subscribe and unsubscribe requests are answered as Coinbase does: snapshots for what was added, then a
 * {@code subscriptions} message with everything subscribed; bad requests get {@code {"type":"error",...}}.
 *
 * <p>Public only because Jetty binds listener methods through method handles; not part of the emulator's API.
 */
public final class CoinbaseClient implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(CoinbaseClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Channels a client may subscribe to, with the channel name their messages carry. */
    static final Map<String, String> CHANNELS = Map.of("market_trades", "market_trades", "ticker", "ticker",
            "level2", "l2_data", "heartbeats", "heartbeats");

    private final CoinbaseEmulator emulator;
    private final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();
    private volatile Session session;
    // Guarded by this: numbering and sending happen together, so numbers go out in order.
    private long nextSequence;
    private long heartbeats;

    CoinbaseClient(CoinbaseEmulator emulator) {
        this.emulator = emulator;
    }

    /** The websocket servlet: every upgrade request becomes a client. */
    static final class Servlet extends JettyWebSocketServlet {
        private final transient CoinbaseEmulator emulator;

        Servlet(CoinbaseEmulator emulator) {
            this.emulator = emulator;
        }

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setIdleTimeout(java.time.Duration.ofMinutes(5));
            factory.setMaxOutgoingFrames(200_000);
            factory.setCreator((req, resp) -> {
                emulator.accepted();
                return new CoinbaseClient(emulator);
            });
        }
    }

    boolean subscribed(String channel, String productId) {
        Set<String> s = subscriptions.get(channel);
        return s != null && s.contains(productId);
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        emulator.register(this);
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            handle(message);
        } catch (RuntimeException e) {
            log.warn("cannot handle client message {}", message, e);
            sendRaw(error("Failed to parse request: " + e.getMessage()));
        }
    }

    private void handle(String message) {
        JsonNode req;
        try {
            req = JSON.readTree(message);
        } catch (Exception e) {
            sendRaw(error("Failed to parse request"));
            return;
        }
        String type = req.path("type").asText("");
        if (!type.equals("subscribe") && !type.equals("unsubscribe")) {
            sendRaw(error("unknown type '" + type + "': expected subscribe or unsubscribe"));
            return;
        }
        String channel = req.path("channel").asText("");
        if (!CHANNELS.containsKey(channel)) {
            sendRaw(error("Failed to subscribe: unknown channel '" + channel + "'"));
            return;
        }
        List<String> products = new ArrayList<>();
        for (JsonNode p : req.path("product_ids")) {
            products.add(p.asText());
        }
        if (channel.equals("heartbeats")) {
            products = List.of("heartbeats");
        } else if (products.isEmpty()) {
            sendRaw(error("Failed to subscribe: product_ids required for channel " + channel));
            return;
        } else {
            for (String p : products) {
                if (!emulator.lists(p)) {
                    sendRaw(error("Failed to subscribe: unknown product id '" + p + "'"));
                    return;
                }
            }
        }
        for (String p : products) {
            if (type.equals("subscribe")) {
                if (!subscribed(channel, p)) {
                    // The emulator adds the subscription and sends the snapshot under the product's lock.
                    emulator.subscribe(this, channel, p);
                }
            } else {
                Set<String> s = subscriptions.get(channel);
                if (s != null) {
                    s.remove(p);
                }
            }
        }
        send("subscriptions", "[{\"subscriptions\":" + subscriptionsJson() + "}]");
    }

    /** Called by the emulator under the product's lock, just before the snapshot goes out. */
    void add(String channel, String productId) {
        subscriptions.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(productId);
    }

    private String subscriptionsJson() {
        Map<String, Set<String>> sorted = new TreeMap<>();
        subscriptions.forEach((c, s) -> {
            if (!s.isEmpty()) {
                sorted.put(c, new TreeSet<>(s));
            }
        });
        try {
            return JSON.writeValueAsString(sorted);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one heartbeat when subscribed to heartbeats. */
    synchronized void heartbeat() {
        if (!subscribed("heartbeats", "heartbeats")) {
            return;
        }
        Instant now = Instant.now();
        heartbeats++;
        send("heartbeats", "[{\"current_time\":\"" + now.toString().replace('T', ' ').replace("Z", "")
                + " +0000 UTC\",\"heartbeat_counter\":" + heartbeats + "}]");
    }

    /**
     * Numbers and sends one channel message. A message the emulator was told to lose still uses its number, as a
     * message lost on the way would.
     */
    synchronized void send(String channel, String eventsJson) {
        long seq = nextSequence++;
        if (emulator.takeDrop(channel)) {
            return;
        }
        sendRaw("{\"channel\":\"" + channel + "\",\"client_id\":\"\",\"timestamp\":\"" + Instant.now()
                + "\",\"sequence_num\":" + seq + ",\"events\":" + eventsJson + "}");
    }

    /** Skips one sequence number without losing a message. */
    synchronized void skipSequenceNumber() {
        nextSequence++;
    }

    synchronized void sendRaw(String text) {
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

    private static String error(String message) {
        return "{\"type\":\"error\",\"message\":" + quote(message) + "}";
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
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

    /** Drops the TCP connection without a close frame. */
    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }
}
