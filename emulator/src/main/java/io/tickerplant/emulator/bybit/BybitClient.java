package io.tickerplant.emulator.bybit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to an emulated Bybit v5 public stream: its topics and the operation protocol
 * ({@code subscribe}, {@code unsubscribe}, {@code ping}) with Bybit's answers
 * ({@code {"success":..,"ret_msg":..,"conn_id":..,"req_id":..,"op":..}}).
 *
 * <p>Public only because Jetty binds listener methods through method handles; not part of the emulator's API.
 */
public final class BybitClient implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(BybitClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bybit spot refuses more than 10 args in one request. */
    static final int SPOT_MAX_ARGS = 10;

    private final BybitEmulator emulator;
    private final BybitEmulator.Category category;
    private final String connId = UUID.randomUUID().toString();
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile Session session;

    BybitClient(BybitEmulator emulator, BybitEmulator.Category category) {
        this.emulator = emulator;
        this.category = category;
    }

    BybitEmulator.Category category() {
        return category;
    }

    boolean subscribed(String topic) {
        return topics.contains(topic);
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
            send(answer(false, "error:" + e.getMessage(), "", ""));
        }
    }

    private void handle(String message) {
        JsonNode req;
        try {
            req = JSON.readTree(message);
        } catch (Exception e) {
            send(answer(false, "error:request not json", "", ""));
            return;
        }
        if (req == null || !req.isObject()) {
            send(answer(false, "error:request not json object", "", ""));
            return;
        }
        String op = req.path("op").asText("");
        String reqId = req.path("req_id").asText("");
        switch (op) {
            case "ping" -> {
                emulator.pingReceived();
                send(answer(true, "pong", reqId, "ping"));
            }
            case "subscribe", "unsubscribe" -> {
                JsonNode args = req.get("args");
                if (args == null || !args.isArray() || args.isEmpty()) {
                    send(answer(false, "error:args empty", reqId, op));
                    return;
                }
                if (category == BybitEmulator.Category.SPOT && args.size() > SPOT_MAX_ARGS) {
                    send(answer(false, "error:args size >" + SPOT_MAX_ARGS, reqId, op));
                    return;
                }
                List<String> names = new ArrayList<>();
                for (JsonNode a : args) {
                    String topic = a.asText("");
                    if (!a.isTextual() || !emulator.validTopic(category, topic)) {
                        send(answer(false, "error:handler not found,topic:" + topic, reqId, op));
                        return;
                    }
                    boolean already = topics.contains(topic);
                    if (op.equals("subscribe") && already) {
                        send(answer(false, "error:already subscribed,topic:" + topic, reqId, op));
                        return;
                    }
                    if (op.equals("unsubscribe") && !already) {
                        send(answer(false, "error:not subscribed,topic:" + topic, reqId, op));
                        return;
                    }
                    names.add(topic);
                }
                if (op.equals("subscribe")) {
                    // The ack, the topics and their first snapshots under the market's lock: no delta can slip in
                    // between a snapshot and the subscription, nor precede the snapshot.
                    emulator.subscribe(this, names, answer(true, "", reqId, op));
                } else {
                    names.forEach(topics::remove);
                    send(answer(true, "", reqId, op));
                }
            }
            default -> send(answer(false, "error:unknown op '" + op + "'", reqId, op));
        }
    }

    void addTopics(List<String> names) {
        topics.addAll(names);
    }

    private String answer(boolean success, String retMsg, String reqId, String op) {
        ObjectNode n = JSON.createObjectNode();
        n.put("success", success);
        n.put("ret_msg", retMsg);
        n.put("conn_id", connId);
        n.put("req_id", reqId);
        n.put("op", op);
        return n.toString();
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
