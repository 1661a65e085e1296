package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.TradeWriter;
import io.tickerplant.store.embedded.LocalPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebServerIT {

    @TempDir
    static Path dir;
    static LocalPostgres db;
    static WebServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        db = LocalPostgres.builder(dir).port(0).durable(false).start();
        try (Connection c = db.connect()) {
            StoreSchema.migrate(c);
        }
        List<Trade> trades = new ArrayList<>();
        Instant t0 = Instant.parse("2026-05-01T12:00:00Z");
        for (int i = 1; i <= 30; i++) {
            trades.add(Trade.newBuilder().setVenue("BINANCE").setSymbol("BTC-USDT").setVenueSymbol("BTCUSDT")
                    .setEventTime(t0.plusMillis(i)).setReceiveTime(t0.plusMillis(i + 1)).setTradeId(Integer.toString(i))
                    .setPrice(Decimals.parse("60000.10000000")).setSize(Decimals.parse("0.00100000"))
                    .setSide(i % 2 == 0 ? Side.BUY : Side.SELL).build());
        }
        try (TradeWriter w = new TradeWriter(db::connect)) {
            w.write(trades);
        }
        server = new WebServer("127.0.0.1", 0, db::connect, () -> Map.of("status", "UP")).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void latestTradesComeNewestFirstWithExactDecimalStrings() throws Exception {
        HttpResponse<String> r = get("/api/trades?symbol=btc-usdt&limit=5");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode trades = json.readTree(r.body()).get("trades");
        assertThat(trades).hasSize(5);
        assertThat(trades.get(0).get("tradeId").asText()).isEqualTo("30");
        assertThat(trades.get(0).get("price").asText()).isEqualTo("60000.10000000");
        assertThat(trades.get(0).get("eventTime").asText()).isEqualTo("2026-05-01T12:00:00.030Z");
    }

    @Test
    void theCursorPagesThroughEveryTradeOnceNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = json.readTree(get("/api/trades?symbol=BTC-USDT&limit=7"
                    + (next == null ? "" : "&cursor=" + next)).body());
            page.get("trades").forEach(t -> ids.add(t.get("tradeId").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);

        assertThat(pages).isEqualTo(5);
        List<String> expected = new ArrayList<>();
        for (int i = 30; i >= 1; i--) {
            expected.add(Integer.toString(i));
        }
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void tradesOfOneMicrosecondPageByVenueThenNumericIdWithoutLossOrRepeat() throws Exception {
        Instant t = Instant.parse("2026-05-01T13:00:00.000001Z");
        try (TradeWriter w = new TradeWriter(db::connect)) {
            w.write(List.of(sol("BINANCE", "9", t), sol("BINANCE", "10", t), sol("BINANCE", "11", t),
                    sol("OKX", "1", t), sol("OKX", "2", t), sol("OKX", "0", t.minusNanos(1000))));
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = json.readTree(get("/api/trades?symbol=SOL-USDT&limit=1"
                    + (next == null ? "" : "&cursor=" + next)).body());
            page.get("trades").forEach(tr -> seen.add(tr.get("venue").asText() + ":" + tr.get("tradeId").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(seen).containsExactly("OKX:2", "OKX:1", "BINANCE:11", "BINANCE:10", "BINANCE:9", "OKX:0");
    }

    private static Trade sol(String venue, String id, Instant t) {
        return Trade.newBuilder().setVenue(venue).setSymbol("SOL-USDT").setVenueSymbol("SOLUSDT").setEventTime(t)
                .setReceiveTime(t).setTradeId(id).setPrice(Decimals.parse("150.00")).setSize(Decimals.parse("1"))
                .setSide(Side.BUY).build();
    }

    @Test
    void aCursorThisServerDidNotMakeIsA400NamingIt() throws Exception {
        for (String cursor : List.of("garbage!", "dDE6MTpCSU5BTkNF", "cTE6MTA6YWJj")) {
            HttpResponse<String> r = get("/api/trades?symbol=BTC-USDT&cursor=" + cursor);
            assertThat(r.statusCode()).as(cursor).isEqualTo(400);
            assertThat(json.readTree(r.body()).get("parameter").asText()).isEqualTo("cursor");
        }
        JsonNode last = json.readTree(get("/api/trades?symbol=BTC-USDT&limit=1000").body());
        assertThat(last.get("trades")).hasSize(30);
        assertThat(last.get("next").isNull()).isTrue();
    }

    @Test
    void aBadParameterIsA400ThatNamesTheParameterWithoutAStackTrace() throws Exception {
        HttpResponse<String> r = get("/api/trades?symbol=BTC-USDT&limit=abc");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("parameter").asText()).isEqualTo("limit");
        assertThat(body.get("error").asText()).contains("'abc'").contains("1 to 1000");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");

        HttpResponse<String> missing = get("/api/trades");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json.readTree(missing.body()).get("parameter").asText()).isEqualTo("symbol");

        HttpResponse<String> malformed = get("/api/trades?symbol=BTCUSDT");
        assertThat(json.readTree(malformed.body()).get("error").asText()).contains("BASE-QUOTE");
    }

    @Test
    void healthAndTheStatusPageAreServedAndUnknownPathsAreJson404s() throws Exception {
        assertThat(json.readTree(get("/api/health").body()).get("status").asText()).isEqualTo("UP");
        assertThat(get("/").body()).contains("<title>tickerplant</title>");
        HttpResponse<String> r = get("/api/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("/api/nope");
    }
}
