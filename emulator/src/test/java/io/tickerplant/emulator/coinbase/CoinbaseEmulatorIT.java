package io.tickerplant.emulator.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's protocol seen by a plain JDK websocket client: what a real Advanced Trade client would see. */
class CoinbaseEmulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records every text frame. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = messages.poll(5, TimeUnit.SECONDS);
            assertThat(n).as("a message within 5 s").isNotNull();
            return n;
        }

        /** The next message of a channel, skipping heartbeats. */
        JsonNode next(String channel) throws InterruptedException {
            while (true) {
                JsonNode n = next();
                if (n.path("channel").asText().equals(channel) || channel.equals(n.path("type").asText())) {
                    return n;
                }
            }
        }
    }

    private CoinbaseEmulator emulator;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Client client = new Client();
    private WebSocket ws;

    @BeforeEach
    void start() {
        emulator = CoinbaseEmulator.builder().product("BTC-USD", 0).generate(false)
                .heartbeatInterval(Duration.ofMillis(200)).start();
        ws = http.newWebSocketBuilder().buildAsync(emulator.websocketUri(), client).join();
    }

    @AfterEach
    void stop() {
        if (ws != null) {
            ws.abort();
        }
        emulator.close();
    }

    private void send(String text) {
        ws.sendText(text, true).join();
    }

    @Test
    void subscribingAnswersSnapshotThenSubscriptionsThenUpdatesWithOneSequenceAcrossChannels() throws Exception {
        emulator.trade("BTC-USD", 3);
        send("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channel\":\"market_trades\"}");
        JsonNode snapshot = client.next();
        assertThat(snapshot.path("channel").asText()).isEqualTo("market_trades");
        assertThat(snapshot.path("sequence_num").asLong()).isZero();
        JsonNode trades = snapshot.path("events").get(0).path("trades");
        assertThat(snapshot.path("events").get(0).path("type").asText()).isEqualTo("snapshot");
        assertThat(trades).hasSize(3);
        // Newest first, as Coinbase sends them.
        List<CoinbaseTrade> truth = emulator.trades("BTC-USD");
        assertThat(trades.get(0).path("trade_id").asText()).isEqualTo(truth.get(2).tradeId());
        assertThat(trades.get(0).path("price").asText()).isEqualTo(truth.get(2).price());
        JsonNode subs = client.next();
        assertThat(subs.path("channel").asText()).isEqualTo("subscriptions");
        assertThat(subs.path("sequence_num").asLong()).isEqualTo(1);
        assertThat(subs.path("events").get(0).path("subscriptions").path("market_trades").get(0).asText())
                .isEqualTo("BTC-USD");

        send("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channel\":\"level2\"}");
        JsonNode l2 = client.next();
        assertThat(l2.path("channel").asText()).isEqualTo("l2_data");
        assertThat(l2.path("sequence_num").asLong()).isEqualTo(2);
        JsonNode event = l2.path("events").get(0);
        assertThat(event.path("type").asText()).isEqualTo("snapshot");
        List<String> sides = new ArrayList<>();
        event.path("updates").forEach(u -> sides.add(u.path("side").asText()));
        assertThat(sides).contains("bid", "offer").doesNotContain("ask");
        assertThat(client.next().path("channel").asText()).isEqualTo("subscriptions");

        emulator.trade("BTC-USD", 1);
        JsonNode update = client.next("market_trades");
        assertThat(update.path("sequence_num").asLong()).isEqualTo(4);
        assertThat(update.path("events").get(0).path("type").asText()).isEqualTo("update");
        JsonNode bookUpdate = client.next("l2_data");
        assertThat(bookUpdate.path("sequence_num").asLong()).isEqualTo(5);
    }

    @Test
    void heartbeatsCountUpAndALostMessageLeavesAHoleInTheSequence() throws Exception {
        send("{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}");
        assertThat(client.next().path("channel").asText()).isEqualTo("subscriptions");
        JsonNode first = client.next("heartbeats");
        JsonNode second = client.next("heartbeats");
        assertThat(second.path("events").get(0).path("heartbeat_counter").asLong())
                .isEqualTo(first.path("events").get(0).path("heartbeat_counter").asLong() + 1);
        emulator.dropNextMessage("heartbeats");
        JsonNode after = client.next("heartbeats");
        assertThat(after.path("sequence_num").asLong()).isEqualTo(second.path("sequence_num").asLong() + 2);
        assertThat(emulator.messagesDropped()).isEqualTo(1);
    }

    @Test
    void badRequestsAreAnsweredWithErrorMessages() throws Exception {
        send("{\"type\":\"subscribe\",\"product_ids\":[\"DOGE-USD\"],\"channel\":\"level2\"}");
        JsonNode error = client.next();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("message").asText()).contains("DOGE-USD");
        send("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channel\":\"level3\"}");
        assertThat(client.next().path("message").asText()).contains("level3");
    }

    @Test
    void restServesTheLatestTradesAndRateLimitsWithRetryAfter() throws Exception {
        emulator.trade("BTC-USD", 5);
        URI uri = URI.create(emulator.restUri() + "/api/v3/brokerage/market/products/BTC-USD/ticker?limit=2");
        emulator.rateLimitRest(1, Duration.ofSeconds(3));
        HttpResponse<String> limited = http.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(ok.body());
        assertThat(body.path("trades")).hasSize(2);
        assertThat(body.path("trades").get(0).path("trade_id").asText())
                .isEqualTo(emulator.trades("BTC-USD").get(4).tradeId());
        assertThat(body.path("best_bid").asText()).isNotEmpty();
        assertThat(emulator.restRequests()).isEqualTo(2);
    }
}
