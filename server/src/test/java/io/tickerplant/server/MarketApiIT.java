package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.DailyPartitions;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.TradeWriter;
import io.tickerplant.store.TradeQueries;
import io.tickerplant.store.embedded.LocalPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The market endpoints (candles, prices, reference) and /metrics against a real PostgreSQL. */
class MarketApiIT {

    @TempDir
    static Path dir;
    static LocalPostgres db;
    static WebServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        db = LocalPostgres.builder(dir).port(0).durable(false).start();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            StoreSchema.migrate(c);
            // Ten 1m bars of BTC-USDT across venues from 12:00, two on BINANCE, and one 1s bar as a distractor.
            for (int i = 0; i < 10; i++) {
                st.execute(bar("ALL", "1m", "2026-05-01T12:0" + i + ":00Z", "60000." + i + "0"));
            }
            st.execute(bar("BINANCE", "1m", "2026-05-01T12:00:00Z", "60001.00"));
            st.execute(bar("BINANCE", "1m", "2026-05-01T12:01:00Z", "60002.00"));
            st.execute(bar("ALL", "1s", "2026-05-01T12:00:00Z", "1.00"));
            // Reference prices are in daily partitions (V6); the writers create them, direct inserts must first.
            for (String table : List.of("contract_price", "api_price")) {
                new DailyPartitions(table).ensure(c, List.of(java.time.LocalDate.of(2026, 5, 1)));
            }
            st.execute("INSERT INTO contract_price (symbol, source, source_id, round_id, price, updated_at, receive_time) VALUES"
                    + " ('ETH-USD','CHAINLINK','0xabc',18446744073709551617,'3030.00','2026-05-01T12:00:00Z','2026-05-01T12:00:01Z'),"
                    + " ('ETH-USD','CHAINLINK','0xabc',18446744073709551618,'3000.00','2026-05-01T13:00:00Z','2026-05-01T13:00:01Z')");
            st.execute("INSERT INTO api_price (symbol, source, source_id, price, source_time, receive_time) VALUES"
                    + " ('ETH-USD','COINGECKO','ethereum','3000.00','2026-05-01T11:59:00Z','2026-05-01T11:59:30Z'),"
                    + " ('ETH-USD','COINGECKO','ethereum','3000.00','2026-05-01T12:59:00Z','2026-05-01T12:59:30Z')");
        }
        try (TradeWriter w = new TradeWriter(db::connect)) {
            w.write(List.of(trade("BINANCE", "BTC-USDT", "9", "60000.10000000", "2026-05-01T12:00:00Z"),
                    trade("BINANCE", "BTC-USDT", "10", "60000.20000000", "2026-05-01T12:00:00Z"),
                    trade("COINBASE", "BTC-USDT", "a", "59999.5", "2026-05-01T11:00:00Z"),
                    trade("BINANCE", "ETH-USDT", "1", "3000.01", "2026-05-01T10:00:00Z")));
        }
        server = new WebServer("127.0.0.1", 0, db::connect, () -> Map.of("status", "UP")).start();
    }

    private static Trade trade(String venue, String symbol, String id, String price, String time) {
        Instant t = Instant.parse(time);
        return Trade.newBuilder().setVenue(venue).setSymbol(symbol).setVenueSymbol(symbol.replace("-", ""))
                .setEventTime(t).setReceiveTime(t).setTradeId(id).setPrice(Decimals.parse(price))
                .setSize(Decimals.parse("0.001")).setSide(Side.BUY).build();
    }

    private static String bar(String venue, String interval, String start, String close) {
        return "INSERT INTO candles (venue, symbol, interval, bucket_start, bucket_end, open, high, low, close, volume,"
                + " buy_volume, sell_volume, quote_volume, trade_count, vwap, first_trade_time, last_trade_time, final,"
                + " update_time) VALUES ('" + venue + "','BTC-USDT','" + interval + "','" + start + "','" + start
                + "'::timestamptz + interval '1 " + (interval.equals("1m") ? "minute" : "second") + "','59999.00','60010.00',"
                + "'59990.00','" + close + "','0.5','0.3','0.2','30000','12',null,'" + start + "','" + start + "',true,now())";
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

    static JsonNode ok(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static JsonNode badRequest(String path, String parameter) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(400);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("parameter").asText()).as(path).isEqualTo(parameter);
        return body;
    }

    @Test
    void candlesAreTheNewestBarsInTheRangeOldestFirstWithExactCloses() throws Exception {
        JsonNode all = ok("/api/candles?symbol=BTC-USDT&interval=1m&limit=3").get("candles");
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("bucketStart").asText()).isEqualTo("2026-05-01T12:07:00Z");
        assertThat(all.get(2).get("bucketStart").asText()).isEqualTo("2026-05-01T12:09:00Z");
        assertThat(all.get(2).get("close").asText()).isEqualTo("60000.90");
        assertThat(all.get(2).get("venue").asText()).isEqualTo("ALL");

        JsonNode ranged = ok("/api/candles?symbol=btc-usdt&venue=ALL&interval=1m&from=2026-05-01T12:02:00Z&to="
                + java.time.Instant.parse("2026-05-01T12:04:00Z").toEpochMilli()).get("candles");
        assertThat(ranged).extracting(n -> n.get("bucketStart").asText())
                .containsExactly("2026-05-01T12:02:00Z", "2026-05-01T12:03:00Z");

        JsonNode binance = ok("/api/candles?symbol=BTC-USDT&venue=binance&interval=1m").get("candles");
        assertThat(binance).extracting(n -> n.get("close").asText()).containsExactly("60001.00", "60002.00");
        assertThat(ok("/api/candles?symbol=BTC-USDT&interval=1s").get("candles")).hasSize(1);
    }

    @Test
    void candleParametersThatAreWrongAreNamedIn400s() throws Exception {
        badRequest("/api/candles?interval=1m", "symbol");
        assertThat(badRequest("/api/candles?symbol=BTC-USDT&interval=banana", "interval").get("error").asText())
                .contains("1m");
        badRequest("/api/candles?symbol=BTC-USDT&venue=BIN%20ANCE", "venue");
        assertThat(badRequest("/api/candles?symbol=BTC-USDT&from=yesterday", "from").get("error").asText())
                .contains("ISO-8601").contains("epoch milliseconds");
        badRequest("/api/candles?symbol=BTC-USDT&from=2026-05-02&to=2026-05-01", "to");
        badRequest("/api/candles?symbol=BTC-USDT&limit=0", "limit");
    }

    @Test
    void anSqlInjectionAttemptThroughAParameterIsRefusedOrInertAndTheDataSurvives() throws Exception {
        String attack = URLEncoder.encode("ALL' OR '1'='1'; DROP TABLE trades; --", StandardCharsets.UTF_8);
        badRequest("/api/candles?symbol=BTC-USDT&venue=" + attack, "venue");
        badRequest("/api/candles?symbol=BTC-USDT&interval=" + attack, "interval");
        badRequest("/api/reference?pair=" + attack, "pair");
        // A well-formed id that carries SQL is bound as a value: it matches nothing and changes nothing.
        String sqlish = URLEncoder.encode("ALL_OR_1_EQ_1_DROP_TABLE_TRADES", StandardCharsets.UTF_8);
        assertThat(ok("/api/candles?symbol=BTC-USDT&venue=" + sqlish).get("candles")).isEmpty();
        try (Connection c = db.connect()) {
            assertThat(TradeQueries.count(c)).isEqualTo(4);
        }
    }

    @Test
    void pricesAreTheLatestTradePerSymbolAndVenue() throws Exception {
        JsonNode prices = ok("/api/prices").get("prices");
        assertThat(prices).extracting(n -> n.get("symbol").asText() + "@" + n.get("venue").asText() + "="
                + n.get("price").asText())
                .containsExactly("BTC-USDT@BINANCE=60000.20000000", "BTC-USDT@COINBASE=59999.5",
                        "ETH-USDT@BINANCE=3000.01");
        assertThat(ok("/api/prices?symbol=ETH-USDT").get("prices")).hasSize(1);
        badRequest("/api/prices?symbol=ETHUSDT", "symbol");
    }

    @Test
    void referenceShowsRoundsQuotesAndDeviationAndTheLatestPerPair() throws Exception {
        JsonNode eth = ok("/api/reference?pair=ETH-USD");
        assertThat(eth.get("contract")).hasSize(2);
        assertThat(eth.get("contract").get(0).get("roundId").asText()).isEqualTo("18446744073709551617");
        assertThat(eth.get("api")).hasSize(2);
        // 3030 against 3000 is +1%, 3000 against 3000 is 0%: exact decimals, never in exponent notation.
        assertThat(eth.get("deviation")).extracting(n -> n.get("pctDiff").asText())
                .containsExactly("1.00000000000000000000", "0.00000000000000000000");

        JsonNode ranged = ok("/api/reference?pair=ETH-USD&from=2026-05-01T12:30:00Z");
        assertThat(ranged.get("contract")).hasSize(1);

        JsonNode latest = ok("/api/reference").get("latest");
        assertThat(latest).hasSize(1);
        assertThat(latest.get(0).get("updatedAt").asText()).isEqualTo("2026-05-01T13:00:00Z");
        assertThat(latest.get(0).get("pctDiff").decimalValue()).isEqualByComparingTo("0");
        badRequest("/api/reference?pair=ETH-USD&to=13:00", "to");
    }

    @Test
    void metricsAreInPrometheusTextFormatWithRequestsAndJvmMemory() throws Exception {
        ok("/api/prices");
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/prices\",status=\"200\"}")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void theStreamWithoutKafkaIsAJson503AndBadTypesAreNamed() throws Exception {
        badRequest("/api/stream?types=trades,gossip", "types");
        HttpResponse<String> r = get("/api/stream?symbol=BTC-USDT");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("live push");
    }
}
