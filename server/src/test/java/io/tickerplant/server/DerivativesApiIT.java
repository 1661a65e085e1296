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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquidations, liquidation statistics, funding and the pipeline view (its database part: the sink latency) against
 * a real PostgreSQL, with every bad parameter answered 400 naming it.
 */
class DerivativesApiIT {

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
            // Five OKX BTC liquidations one second apart from 12:00:00, two in the same microsecond at 12:00:02
            // (only the quantity differs: the key breaks the tie), one Bybit ETH liquidation, one Bybit BTC.
            st.execute("INSERT INTO liquidations (venue, symbol, venue_symbol, event_time, side, price, quantity,"
                    + " liquidation_id, receive_time) VALUES"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:00Z','SELL','60000.1','0.010',null,'2026-05-01T12:00:00.1Z'),"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:01Z','BUY','60001.2','0.020',null,'2026-05-01T12:00:01.1Z'),"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:02Z','SELL','60002.3','0.030',null,'2026-05-01T12:00:02.1Z'),"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:02Z','SELL','60002.3','0.031',null,'2026-05-01T12:00:02.1Z'),"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:03Z','BUY','60003.4','0.040','x9','2026-05-01T12:00:03.1Z'),"
                    + " ('BYBIT','ETH-USDT-PERP','ETHUSDT','2026-05-01T12:00:04Z','SELL','3000.50','1.5',null,'2026-05-01T12:00:04.1Z'),"
                    + " ('BYBIT','BTC-USDT-PERP','BTCUSDT','2026-05-01T11:00:00Z','BUY','59000','0.5',null,'2026-05-01T11:00:00.1Z')");
            st.execute("INSERT INTO liquidation_stats (symbol, bucket_start, bucket_end, long_count, long_quantity,"
                    + " long_notional, short_count, short_quantity, short_notional, venues, final_bar, update_time)"
                    + " VALUES ('BTC-USDT-PERP','2026-05-01T12:00:00Z','2026-05-01T12:01:00Z',3,'0.071','4260.16',2,"
                    + "'0.060','2400.18','{OKX}',true,'2026-05-01T12:01:05Z'),"
                    + " ('BTC-USDT-PERP','2026-05-01T12:01:00Z','2026-05-01T12:02:00Z',0,'0','0',1,'0.5','29500.0',"
                    + "'{BYBIT,OKX}',false,'2026-05-01T12:01:30Z'),"
                    + " ('ETH-USDT-PERP','2026-05-01T12:00:00Z','2026-05-01T12:01:00Z',1,'1.5','4500.75',0,'0','0',"
                    + "'{BYBIT}',true,'2026-05-01T12:01:05Z')");
            // OKX sends mark price and funding rate apart: the newest row has only a mark price, the rate is older.
            st.execute("INSERT INTO funding (venue, symbol, venue_symbol, event_time, mark_price, index_price,"
                    + " funding_rate, next_funding_time, receive_time) VALUES"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:00Z',null,null,'0.00010000','2026-05-01T16:00:00Z','2026-05-01T12:00:00Z'),"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T12:00:05Z','60010.5',null,null,null,'2026-05-01T12:00:05Z'),"
                    + " ('OKX','BTC-USDT-PERP','BTC-USDT-SWAP','2026-05-01T11:59:00Z','59000.0',null,null,null,'2026-05-01T11:59:00Z'),"
                    + " ('BYBIT','BTC-USDT-PERP','BTCUSDT','2026-05-01T12:00:01Z','60011.0','60009.9','-0.00005','2026-05-01T16:00:00Z','2026-05-01T12:00:01Z'),"
                    + " ('BYBIT','ETH-USDT-PERP','ETHUSDT','2026-05-01T12:00:01Z','3001.25','3001.00','0.0001','2026-05-01T16:00:00Z','2026-05-01T12:00:01Z')");
        }
        // Trades received 250 ms before now, written now: the sink's latency is about 250 ms.
        Instant received = Instant.now().minusMillis(250);
        List<Trade> trades = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            trades.add(Trade.newBuilder().setVenue("BINANCE").setSymbol("BTC-USDT").setVenueSymbol("BTCUSDT")
                    .setEventTime(received.minusMillis(5)).setReceiveTime(received).setTradeId(Integer.toString(i))
                    .setPrice(Decimals.parse("60000.1")).setSize(Decimals.parse("0.001")).setSide(Side.BUY).build());
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

    static JsonNode ok(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static void badRequest(String path, String parameter) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(json.readTree(r.body()).get("parameter").asText()).as(path).isEqualTo(parameter);
    }

    private static List<String> quantities(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("liquidations").forEach(l -> out.add(l.get("quantity").asText()));
        return out;
    }

    @Test
    void liquidationsComeNewestFirstInPagesThatCoverEveryRowOnceWithExactAmounts() throws Exception {
        JsonNode first = ok("/api/liquidations?symbol=btc-usdt-perp&limit=2");
        assertThat(first.get("symbol").asText()).isEqualTo("BTC-USDT-PERP");
        assertThat(quantities(first)).containsExactly("0.040", "0.031");
        JsonNode newest = first.get("liquidations").get(0);
        assertThat(newest.get("venue").asText()).isEqualTo("OKX");
        assertThat(newest.get("price").asText()).isEqualTo("60003.4");
        assertThat(newest.get("side").asText()).isEqualTo("BUY");
        assertThat(newest.get("liquidationId").asText()).isEqualTo("x9");
        assertThat(newest.get("eventTime").asText()).isEqualTo("2026-05-01T12:00:03Z");

        List<String> all = new ArrayList<>(quantities(first));
        String next = first.get("next").asText();
        while (true) {
            JsonNode page = ok("/api/liquidations?symbol=BTC-USDT-PERP&limit=2&cursor="
                    + URLEncoder.encode(next, StandardCharsets.UTF_8));
            all.addAll(quantities(page));
            if (page.get("next").isNull()) {
                break;
            }
            next = page.get("next").asText();
        }
        assertThat(all).containsExactly("0.040", "0.031", "0.030", "0.020", "0.010", "0.5");
    }

    @Test
    void liquidationsNarrowByVenueAndTimeRangeOrShowEverySymbol() throws Exception {
        assertThat(quantities(ok("/api/liquidations?venue=bybit"))).containsExactly("1.5", "0.5");
        assertThat(quantities(ok("/api/liquidations?venue=ALL&from=2026-05-01T12:00:02Z&to=1777636804000")))
                .containsExactly("0.040", "0.031", "0.030");
        JsonNode everything = ok("/api/liquidations");
        assertThat(everything.get("symbol").isNull()).isTrue();
        assertThat(everything.get("liquidations")).hasSize(7);
        assertThat(everything.get("next").isNull()).isTrue();
    }

    @Test
    void liquidationParametersThatAreWrongAreNamed() throws Exception {
        badRequest("/api/liquidations?symbol=BTC", "symbol");
        badRequest("/api/liquidations?venue=no-such!", "venue");
        badRequest("/api/liquidations?from=yesterday", "from");
        badRequest("/api/liquidations?from=2026-05-02&to=2026-05-01", "to");
        badRequest("/api/liquidations?limit=0", "limit");
        badRequest("/api/liquidations?limit=abc", "limit");
        badRequest("/api/liquidations?cursor=garbage", "cursor");
        // A trades cursor is no liquidations cursor.
        badRequest("/api/liquidations?cursor=" + Cursors.trades(new io.tickerplant.store.TradeQueries.TradeKey(
                Instant.parse("2026-05-01T12:00:00Z"), "OKX", "1")), "cursor");
    }

    @Test
    void liquidationStatsAreMinutesOldestFirstWithLongsAndShorts() throws Exception {
        JsonNode stats = ok("/api/liquidations/stats?symbol=BTC-USDT-PERP");
        JsonNode minutes = stats.get("minutes");
        assertThat(minutes).hasSize(2);
        assertThat(minutes.get(0).get("bucketStart").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(minutes.get(0).get("longCount").asLong()).isEqualTo(3);
        assertThat(minutes.get(0).get("longNotional").asText()).isEqualTo("4260.16");
        assertThat(minutes.get(0).get("shortQuantity").asText()).isEqualTo("0.060");
        assertThat(minutes.get(0).get("finalBar").asBoolean()).isTrue();
        assertThat(minutes.get(1).get("venues").toString()).isEqualTo("[\"BYBIT\",\"OKX\"]");
        assertThat(minutes.get(1).get("finalBar").asBoolean()).isFalse();

        JsonNode range = ok("/api/liquidations/stats?symbol=BTC-USDT-PERP&from=2026-05-01T12:01:00Z");
        assertThat(range.get("minutes")).hasSize(1);
        assertThat(ok("/api/liquidations/stats?symbol=BTC-USDT-PERP&limit=1").get("minutes").get(0)
                .get("bucketStart").asText()).isEqualTo("2026-05-01T12:01:00Z");
    }

    @Test
    void liquidationStatsParametersThatAreWrongAreNamed() throws Exception {
        badRequest("/api/liquidations/stats", "symbol");
        badRequest("/api/liquidations/stats?symbol=BTC-USDT-PERP&to=later", "to");
        badRequest("/api/liquidations/stats?symbol=BTC-USDT-PERP&limit=1001", "limit");
    }

    @Test
    void fundingIsTheLatestMarkPriceAndTheLatestRatePerVenueAndSymbol() throws Exception {
        JsonNode all = ok("/api/funding").get("funding");
        assertThat(all).hasSize(3);
        // Ordered by symbol, then venue.
        assertThat(all.get(0).get("venue").asText()).isEqualTo("BYBIT");
        assertThat(all.get(0).get("symbol").asText()).isEqualTo("BTC-USDT-PERP");
        assertThat(all.get(0).get("fundingRate").asText()).isEqualTo("-0.00005");
        JsonNode okx = all.get(1);
        assertThat(okx.get("venue").asText()).isEqualTo("OKX");
        assertThat(okx.get("markPrice").asText()).isEqualTo("60010.5");
        assertThat(okx.get("markTime").asText()).isEqualTo("2026-05-01T12:00:05Z");
        assertThat(okx.get("fundingRate").asText()).isEqualTo("0.00010000");
        assertThat(okx.get("fundingTime").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(okx.get("nextFundingTime").asText()).isEqualTo("2026-05-01T16:00:00Z");
        assertThat(okx.get("indexPrice").isNull()).isTrue();

        assertThat(ok("/api/funding?symbol=eth-usdt-perp").get("funding")).hasSize(1);
        assertThat(ok("/api/funding?venue=okx").get("funding")).hasSize(1);
        assertThat(ok("/api/funding?venue=KRAKEN").get("funding")).isEmpty();
        badRequest("/api/funding?symbol=nope", "symbol");
        badRequest("/api/funding?venue=a%20b", "venue");
    }

    @Test
    void thePipelineViewHasTheContractShapeAndTheSinkLatencyFromTheDatabase() throws Exception {
        // The sink figures are measured at start and then every few seconds; without Kafka the rest stays empty.
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(ok("/api/pipeline").at("/sink/rowsLastMinute").asLong()).isEqualTo(20));
        JsonNode p = ok("/api/pipeline");
        for (String field : List.of("time", "connectors", "topics", "venues", "deadLetters", "consumerLag", "sink",
                "problems")) {
            assertThat(p.has(field)).as(field).isTrue();
        }
        assertThat(Instant.parse(p.get("time").asText())).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MINUTES));
        double p50 = p.at("/sink/latencyP50Ms").asDouble();
        assertThat(p50).as("receive -> ingest of trades received 250 ms before the insert").isBetween(240.0, 5000.0);
        assertThat(p.at("/sink/latencyP99Ms").asDouble()).isGreaterThanOrEqualTo(p50);
        assertThat(p.at("/sink/rowsPerSecond").asDouble()).isGreaterThan(0);
        assertThat(p.at("/deadLetters/total").asLong()).isZero();
        assertThat(p.get("problems")).isEmpty();

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("tickerplant_pipeline_sink_latency_ms{quantile=\"0.5\"}")
                .contains("tickerplant_pipeline_sink_rows_per_second");
    }
}
