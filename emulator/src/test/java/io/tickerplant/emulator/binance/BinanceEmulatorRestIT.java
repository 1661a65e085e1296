package io.tickerplant.emulator.binance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.emulator.EmittedTrade;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BinanceEmulatorRestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static BinanceEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT", "ETHBTC").generate(false).start();
        emulator.trade("BTCUSDT", 2_500);
        emulator.trade("ETHBTC", 3);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @AfterEach
    void clearFaults() {
        emulator.clearRestFailures();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(emulator.restUri() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void pingAnswersAnEmptyObject() throws Exception {
        HttpResponse<String> r = get("/api/v3/ping");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    }

    @Test
    void exchangeInfoListsTheConfiguredSymbols() throws Exception {
        JsonNode info = json(get("/api/v3/exchangeInfo"));
        assertThat(info.get("symbols")).hasSize(2);
        JsonNode btc = info.get("symbols").get(0);
        assertThat(btc.get("symbol").asText()).isEqualTo("BTCUSDT");
        assertThat(btc.get("status").asText()).isEqualTo("TRADING");
        assertThat(btc.get("baseAsset").asText()).isEqualTo("BTC");
        assertThat(btc.get("quoteAsset").asText()).isEqualTo("USDT");
        assertThat(info.get("symbols").get(1).get("quoteAsset").asText()).isEqualTo("BTC");
        assertThat(json(get("/api/v3/exchangeInfo?symbol=ETHBTC")).get("symbols")).hasSize(1);
    }

    @Test
    void historicalTradesPaginatesThroughTheWholeHistoryByFromId() throws Exception {
        List<Long> ids = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        long fromId = 1_000_000;
        while (true) {
            JsonNode page = json(get("/api/v3/historicalTrades?symbol=BTCUSDT&fromId=" + fromId + "&limit=1000"));
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(t -> ids.add(t.get("id").asLong()));
            fromId = ids.get(ids.size() - 1) + 1;
        }
        assertThat(pageSizes).containsExactly(1000, 1000, 500, 0);
        assertThat(ids).isEqualTo(emulator.trades("BTCUSDT").stream().map(EmittedTrade::id).toList());
    }

    @Test
    void historicalTradesCarryTheGroundTruthFields() throws Exception {
        JsonNode t = json(get("/api/v3/historicalTrades?symbol=ETHBTC&fromId=1000001&limit=1")).get(0);
        EmittedTrade truth = emulator.trades("ETHBTC").get(1);
        assertThat(t.get("id").asLong()).isEqualTo(truth.id());
        assertThat(t.get("price").asText()).isEqualTo(truth.price());
        assertThat(t.get("qty").asText()).isEqualTo(truth.qty());
        assertThat(t.get("quoteQty").asText()).isEqualTo(truth.quoteQty());
        assertThat(t.get("time").asLong()).isEqualTo(truth.timeMillis());
        assertThat(t.get("isBuyerMaker").asBoolean()).isEqualTo(truth.buyerIsMaker());
        assertThat(t.get("isBestMatch").asBoolean()).isTrue();
    }

    @Test
    void historicalTradesDefaultsTo500MostRecentAndCapsTheLimitAt1000() throws Exception {
        JsonNode recent = json(get("/api/v3/historicalTrades?symbol=BTCUSDT"));
        assertThat(recent).hasSize(500);
        assertThat(recent.get(499).get("id").asLong()).isEqualTo(emulator.lastTradeId("BTCUSDT"));
        assertThat(json(get("/api/v3/historicalTrades?symbol=BTCUSDT&fromId=1000000&limit=5000"))).hasSize(1000);
        assertThat(json(get("/api/v3/trades?symbol=BTCUSDT&limit=3"))).hasSize(3);
    }

    @Test
    void errorsUseBinanceCodesAndMessages() throws Exception {
        HttpResponse<String> unknown = get("/api/v3/historicalTrades?symbol=XRPUSDT");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
        HttpResponse<String> missing = get("/api/v3/historicalTrades");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("code").asInt()).isEqualTo(-1102);
        assertThat(json(get("/api/v3/historicalTrades?symbol=btcusdt")).get("code").asInt()).isEqualTo(-1100);
        assertThat(json(get("/api/v3/historicalTrades?symbol=BTCUSDT&fromId=abc")).get("code").asInt()).isEqualTo(-1100);
        assertThat(json(get("/api/v3/historicalTrades?symbol=BTCUSDT&limit=0")).get("code").asInt()).isEqualTo(-1130);
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfterForTheNextRequestsOnly() throws Exception {
        emulator.rateLimitRest(2, Duration.ofSeconds(3));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = get("/api/v3/ping");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).contains("3");
            assertThat(json(r).get("code").asInt()).isEqualTo(-1003);
        }
        assertThat(get("/api/v3/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void failuresCanLastUntilCleared() throws Exception {
        emulator.failRestRequests(Integer.MAX_VALUE, 503, Duration.ZERO);
        for (int i = 0; i < 5; i++) {
            assertThat(get("/api/v3/ping").statusCode()).isEqualTo(503);
        }
        emulator.clearRestFailures();
        assertThat(get("/api/v3/ping").statusCode()).isEqualTo(200);
    }
}
