package io.tickerplant.emulator.bybit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's v5 protocol seen by a plain JDK websocket client. */
class BybitEmulatorStreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private BybitEmulator emulator;
    private WebSocket ws;
    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        emulator = BybitEmulator.start(List.of(BybitEmulator.listed("BTC-USDT-PERP", 0)), 3, false, "127.0.0.1", 0);
        ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(emulator.websocketUri() + "/v5/public/linear"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).join();
    }

    @AfterEach
    void stop() {
        ws.abort();
        emulator.close();
    }

    private JsonNode next() throws Exception {
        String m = messages.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("a message within 5 s").isNotNull();
        return JSON.readTree(m);
    }

    @Test
    void subscribeIsAcknowledgedAndStartsWithASnapshotThenDeltasCountUpByOne() throws Exception {
        ws.sendText("{\"op\":\"subscribe\",\"req_id\":\"r1\",\"args\":[\"orderbook.50.BTCUSDT\"]}", true).join();
        JsonNode ack = next();
        assertThat(ack.get("success").asBoolean()).isTrue();
        assertThat(ack.get("op").asText()).isEqualTo("subscribe");
        assertThat(ack.get("req_id").asText()).isEqualTo("r1");
        JsonNode snap = next();
        assertThat(snap.get("type").asText()).isEqualTo("snapshot");
        long u = snap.get("data").get("u").asLong();
        assertThat(u).isEqualTo(emulator.book(BybitEmulator.Category.LINEAR, "BTCUSDT").lastUpdateId());
        emulator.trade(BybitEmulator.Category.LINEAR, "BTCUSDT", 3);
        for (int i = 1; i <= 3; i++) {
            JsonNode d = next();
            assertThat(d.get("type").asText()).isEqualTo("delta");
            assertThat(d.get("data").get("u").asLong()).isEqualTo(u + i);
        }
    }

    @Test
    void answersPingsAndRefusesUnknownAndDuplicateTopics() throws Exception {
        ws.sendText("{\"op\":\"ping\",\"req_id\":\"p\"}", true).join();
        JsonNode pong = next();
        assertThat(pong.get("ret_msg").asText()).isEqualTo("pong");
        assertThat(emulator.pingsReceived()).isEqualTo(1);
        ws.sendText("{\"op\":\"subscribe\",\"args\":[\"orderbook.7.BTCUSDT\"]}", true).join();
        assertThat(next().get("ret_msg").asText()).contains("handler not found");
        ws.sendText("{\"op\":\"subscribe\",\"args\":[\"publicTrade.BTCUSDT\"]}", true).join();
        assertThat(next().get("success").asBoolean()).isTrue();
        ws.sendText("{\"op\":\"subscribe\",\"args\":[\"publicTrade.BTCUSDT\"]}", true).join();
        assertThat(next().get("ret_msg").asText()).contains("already subscribed");
    }

    @Test
    void aRestartedBookServiceSendsASnapshotWithUOne() throws Exception {
        ws.sendText("{\"op\":\"subscribe\",\"args\":[\"orderbook.200.BTCUSDT\"]}", true).join();
        next();
        next();
        emulator.restartBookService(BybitEmulator.Category.LINEAR, "BTCUSDT");
        JsonNode snap = next();
        assertThat(snap.get("type").asText()).isEqualTo("snapshot");
        assertThat(snap.get("data").get("u").asLong()).isEqualTo(1);
    }
}
