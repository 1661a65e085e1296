package io.tickerplant.emulator.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.emulator.EmittedTrade;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BinanceEmulatorStreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private BinanceEmulator emulator;

    private BinanceEmulator start(BinanceEmulator.Builder b) {
        emulator = b.symbols("BTCUSDT", "ETHUSDT").start();
        return emulator;
    }

    /** The market trades only when a test says so. */
    private static BinanceEmulator.Builder manual() {
        return BinanceEmulator.builder().generate(false);
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private URI combined(String streams) {
        return URI.create(emulator.websocketUri() + "/stream?streams=" + streams);
    }

    @Test
    void combinedStreamDeliversTradeFramesMatchingTheGroundTruth() throws Exception {
        start(manual());
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade/ethusdt@trade"))) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.trade("BTCUSDT", 3);
            emulator.trade("ETHUSDT", 2);
            List<String> frames = client.next(5);
            List<EmittedTrade> truth = new java.util.ArrayList<>(emulator.trades("BTCUSDT"));
            truth.addAll(emulator.trades("ETHUSDT"));
            for (int i = 0; i < 5; i++) {
                JsonNode f = JSON.readTree(frames.get(i));
                EmittedTrade t = truth.get(i);
                assertThat(f.get("stream").asText()).isEqualTo(t.symbol().toLowerCase() + "@trade");
                JsonNode d = f.get("data");
                assertThat(d.get("e").asText()).isEqualTo("trade");
                assertThat(d.get("s").asText()).isEqualTo(t.symbol());
                assertThat(d.get("t").asLong()).isEqualTo(t.id());
                assertThat(d.get("p").isTextual()).isTrue();
                assertThat(d.get("p").asText()).isEqualTo(t.price());
                assertThat(d.get("q").asText()).isEqualTo(t.qty());
                assertThat(d.get("T").asLong()).isEqualTo(t.timeMillis());
                assertThat(d.get("E").asLong()).isGreaterThanOrEqualTo(t.timeMillis());
                assertThat(d.get("m").asBoolean()).isEqualTo(t.buyerIsMaker());
                assertThat(d.get("M").asBoolean()).isTrue();
            }
            assertThat(truth).extracting(EmittedTrade::id)
                    .containsExactly(1_000_000L, 1_000_001L, 1_000_002L, 1_000_000L, 1_000_001L);
        }
    }

    @Test
    void rawStreamDeliversUnwrappedPayloads() throws Exception {
        start(manual());
        try (WsTestClient client = new WsTestClient(URI.create(emulator.websocketUri() + "/ws/btcusdt@trade"))) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.trade("BTCUSDT", 1);
            JsonNode f = JSON.readTree(client.next());
            assertThat(f.has("stream")).isFalse();
            assertThat(f.get("t").asLong()).isEqualTo(1_000_000L);
        }
    }

    @Test
    void liveSubscribeIsAcknowledgedAndStartsTheStreamAndUnsubscribeStopsIt() throws Exception {
        start(manual());
        try (WsTestClient client = new WsTestClient(URI.create(emulator.websocketUri() + "/ws"))) {
            client.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":1}");
            assertThat(client.next()).isEqualTo("{\"result\":null,\"id\":1}");
            client.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}");
            assertThat(client.next()).isEqualTo("{\"result\":[\"btcusdt@trade\"],\"id\":2}");
            emulator.trade("ETHUSDT", 1);
            emulator.trade("BTCUSDT", 1);
            assertThat(JSON.readTree(client.next()).get("s").asText()).isEqualTo("BTCUSDT");

            client.send("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":3}");
            assertThat(client.next()).isEqualTo("{\"result\":null,\"id\":3}");
            emulator.trade("BTCUSDT", 1);
            client.send("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":4}");
            // Nothing from the trade in between: the next frame is the property answer.
            assertThat(client.next()).isEqualTo("{\"result\":false,\"id\":4}");
        }
    }

    @Test
    void setPropertyCombinedWrapsPayloads() throws Exception {
        start(manual().maxIncomingMessagesPerSecond(0));
        try (WsTestClient client = new WsTestClient(URI.create(emulator.websocketUri() + "/ws/ethusdt@trade"))) {
            client.send("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":5}");
            assertThat(client.next()).isEqualTo("{\"result\":null,\"id\":5}");
            emulator.trade("ETHUSDT", 1);
            assertThat(JSON.readTree(client.next()).get("stream").asText()).isEqualTo("ethusdt@trade");
            client.send("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":6}");
            assertThat(client.next()).isEqualTo("{\"error\":{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\"},\"id\":6}");
            client.send("{\"method\":\"GET_PROPERTY\",\"params\":[\"colour\"],\"id\":7}");
            assertThat(client.next()).isEqualTo("{\"error\":{\"code\":0,\"msg\":\"Unknown property\"},\"id\":7}");
        }
    }

    @Test
    void unknownStreamsAndBadRequestsAreAnsweredWithBinanceErrorFrames() throws Exception {
        start(manual().maxIncomingMessagesPerSecond(0));
        try (WsTestClient client = new WsTestClient(URI.create(emulator.websocketUri() + "/ws"))) {
            client.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"dogeusdt@trade\"],\"id\":7}");
            assertThat(client.next()).isEqualTo("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":7}");
            client.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"BTCUSDT@trade\"],\"id\":8}");
            assertThat(client.next()).contains("\"code\":2", "invalid stream", "\"id\":8");
            client.send("{\"method\":\"SUBSCRIB\",\"params\":[],\"id\":9}");
            assertThat(client.next()).contains("\"code\":2", "unknown variant `SUBSCRIB`", "\"id\":9");
            client.send("{\"method\":");
            assertThat(client.next()).contains("\"code\":3", "Invalid JSON", "\"id\":null");
            client.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{\"x\":1}}");
            assertThat(client.next()).contains("request ID must be an unsigned integer");
        }
    }

    @Test
    void handshakeWithAnUnknownStreamIsRefused() {
        start(manual());
        assertThatThrownBy(() -> WsTestClient.connectAsync(combined("xyzusdt@trade")).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));
        assertThat(emulator.connectionCount()).isZero();
    }

    @Test
    void tooManyIncomingMessagesCloseTheConnection() throws Exception {
        start(manual().maxIncomingMessagesPerSecond(5));
        try (WsTestClient client = new WsTestClient(URI.create(emulator.websocketUri() + "/ws"))) {
            for (int i = 0; i < 6; i++) {
                client.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.closed.get()).startsWith("1008"));
        }
    }

    @Test
    void serverPingsAreAnsweredByTheJdkClientAndKeepTheConnection() {
        start(manual().pingInterval(Duration.ofMillis(50)).pongTimeout(Duration.ofMillis(400))
                .maxIncomingMessagesPerSecond(0));
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> emulator.pongsReceived() >= 20);
            assertThat(client.pings.get()).isGreaterThanOrEqualTo(20);
            assertThat(client.closed.get()).isNull();
            assertThat(emulator.connectionCount()).isEqualTo(1);
            assertThat(emulator.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void clientThatDoesNotPongIsDisconnectedAfterThePongTimeout() {
        start(manual().pingInterval(Duration.ofMillis(50)).pongTimeout(Duration.ofMillis(300)));
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade"), false)) {
            await().until(() -> emulator.pingsSent() >= 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.connectionCount() == 0);
            assertThat(emulator.pongsReceived()).isZero();
        }
    }

    @Test
    void connectionIsClosedAtItsMaximumAge() {
        start(manual().maxConnectionAge(Duration.ofMillis(300)));
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade"))) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.closed.get()).startsWith("1000"));
        }
    }

    @Test
    void dropConnectionsClosesSocketsWithoutACloseFrame() {
        start(manual());
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade"))) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.dropConnections();
            await().atMost(Duration.ofSeconds(5)).until(() -> client.closed.get() != null);
            assertThat(client.closed.get()).doesNotStartWith("1000");
            await().until(() -> emulator.connectionCount() == 0);
        }
    }

    @Test
    void skippedDeliveryKeepsTradesInTheHistoryButNotOnTheSocket() throws Exception {
        start(manual());
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade"))) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.skipWebsocketDelivery(3);
            emulator.trade("BTCUSDT", 5);
            List<String> frames = client.next(2);
            assertThat(JSON.readTree(frames.get(0)).get("data").get("t").asLong()).isEqualTo(1_000_003L);
            assertThat(JSON.readTree(frames.get(1)).get("data").get("t").asLong()).isEqualTo(1_000_004L);
            assertThat(emulator.trades("BTCUSDT")).hasSize(5);
            assertThat(emulator.framesSkipped()).isEqualTo(3);
        }
    }

    @Test
    void malformedFramesReachEveryClientVerbatim() throws Exception {
        start(manual());
        try (WsTestClient a = new WsTestClient(combined("btcusdt@trade"));
             WsTestClient b = new WsTestClient(combined("ethusdt@trade"))) {
            await().until(() -> emulator.connectionCount() == 2);
            emulator.sendMalformedFrame("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"tra");
            assertThat(a.next()).isEqualTo("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"tra");
            assertThat(b.next()).isEqualTo("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"tra");
        }
    }

    @Test
    void marketKeepsTradingWhileNoClientIsConnected() {
        start(BinanceEmulator.builder().tradesPerSecond(500));
        await().atMost(Duration.ofSeconds(5)).until(() -> emulator.trades("BTCUSDT").size() > 100);
        assertThat(emulator.lastTradeId("BTCUSDT")).isGreaterThanOrEqualTo(1_000_100L);
    }

    @Test
    void closeStopsEveryThreadItStarted() {
        start(BinanceEmulator.builder());
        try (WsTestClient client = new WsTestClient(combined("btcusdt@trade"))) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.close();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(n -> n.equals("market-simulator") || n.startsWith("binance-emulator")
                        || n.startsWith("qtp") || n.startsWith("JettyServerThreadPool")));
    }
}
