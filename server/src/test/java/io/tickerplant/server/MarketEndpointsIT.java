package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.store.DailyPartitions;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.embedded.LocalPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/bbo, /api/index, /api/accuracy and /api/alerts against a real PostgreSQL. */
class MarketEndpointsIT {

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
            for (String table : List.of("bbo", "index_prices", "accuracy", "alerts")) {
                new DailyPartitions(table).ensure(c, List.of(LocalDate.of(2026, 5, 1)));
            }
            st.execute("INSERT INTO bbo (symbol, event_time, best_bid, best_bid_size, best_bid_venue, best_ask,"
                    + " best_ask_size, best_ask_venue, spread, spread_bps, crossed, venues, excluded) VALUES"
                    + " ('BTC-USDT','2026-05-01T12:00:00Z','59999.00','1','KRAKEN','60001.00','2','BINANCE','2.00',0.333,false,"
                    + "  '{BINANCE,KRAKEN}','{}'),"
                    + " ('BTC-USDT','2026-05-01T12:00:01Z','60000.10000000','0.5','BINANCE','60000.20','0.1','KRAKEN','0.10000000',"
                    + "  null,false,'{BINANCE,KRAKEN}','{\"OKX: quote older than 10s\"}')");
            st.execute("INSERT INTO index_prices (symbol, event_time, price, method, venues, deviations, excluded) VALUES"
                    + " ('BTC-USDT','2026-05-01T12:00:00Z','1','median-mid','{BINANCE}','{}','{}'),"
                    + " ('BTC-USDT','2026-05-01T12:00:01Z','60000.15000000','median-mid','{BINANCE,KRAKEN}',"
                    + "  '{\"KRAKEN\": {\"mid\": 60001.50, \"bps\": 0.225}, \"BINANCE\": {\"mid\": 59998.80000000, \"bps\": -0.225}}','{}')");
            st.execute("INSERT INTO accuracy (symbol, event_time, oracle_source, round_id, oracle_price, oracle_updated_at,"
                    + " api_average, api_sources, pct_diff, index_price, oracle_age_s, stale, index_symbol, index_time,"
                    + " pct_diff_index) VALUES"
                    + " ('ETH-USD','2026-05-01T12:00:00Z','CHAINLINK',18446744073709551617,'3030.00','2026-05-01T12:00:00Z',"
                    + "  '3000.00','{COINGECKO}','1.00000000','3001.00',0,false,'ETH-USDT','2026-05-01T11:59:59Z','0.96634455'),"
                    + " ('ETH-USD','2026-05-01T12:01:00Z','CHAINLINK',18446744073709551617,'3030.00','2026-05-01T12:00:00Z',"
                    + "  null,'{}',null,null,60,true,null,null,null)");
            st.execute("INSERT INTO alerts (symbol, event_time, kind, active, detail, value, threshold) VALUES"
                    + " ('ETH-USD','2026-05-01T12:00:00Z','DEVIATION',true,'ETH-USD CHAINLINK 1.0% off the APIs','1.00000000','0.5'),"
                    + " ('ETH-USD','2026-05-01T12:01:00Z','STALE',true,'ETH-USD oracle 60 s old','60','45'),"
                    + " ('BTC-USD','2026-05-01T11:00:00Z','STALE',false,'BTC-USD oracle fresh again','1','45')");
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
        assertThat(r.statusCode()).as(path).isEqualTo(400);
        assertThat(json.readTree(r.body()).get("parameter").asText()).as(path).isEqualTo(parameter);
    }

    @Test
    void theLatestBboIsExactAndNullWhenTheSymbolHasNone() throws Exception {
        JsonNode bbo = ok("/api/bbo?symbol=btc-usdt").get("bbo");
        assertThat(bbo.get("eventTime").asText()).isEqualTo("2026-05-01T12:00:01Z");
        assertThat(bbo.get("bestBid").asText()).isEqualTo("60000.10000000");
        assertThat(bbo.get("bestAskVenue").asText()).isEqualTo("KRAKEN");
        assertThat(bbo.get("spread").asText()).isEqualTo("0.10000000");
        assertThat(bbo.get("spreadBps").isNull()).isTrue();
        assertThat(bbo.get("excluded").get(0).asText()).isEqualTo("OKX: quote older than 10s");
        assertThat(ok("/api/bbo?symbol=ETH-USDT").get("bbo").isNull()).isTrue();
        badRequest("/api/bbo", "symbol");
    }

    @Test
    void theLatestIndexHasEachVenuesExactMidAndDeviationOrderedByVenue() throws Exception {
        JsonNode index = ok("/api/index?symbol=BTC-USDT").get("index");
        assertThat(index.get("price").asText()).isEqualTo("60000.15000000");
        assertThat(index.get("deviations")).extracting(d -> d.get("venue").asText()).containsExactly("BINANCE", "KRAKEN");
        assertThat(index.get("deviations").get(0).get("mid").asText()).isEqualTo("59998.80000000");
        assertThat(index.get("deviations").get(1).get("deviationBps").asDouble()).isEqualTo(0.225);
        assertThat(ok("/api/index?symbol=ETH-USDT").get("index").isNull()).isTrue();
        badRequest("/api/index?symbol=no%20such", "symbol");
    }

    @Test
    void accuracyRowsComeOldestFirstWithTheThresholdOfTheLatestDeviationAlert() throws Exception {
        JsonNode body = ok("/api/accuracy?pair=eth-usd");
        assertThat(body.get("thresholdPct").asText()).isEqualTo("0.5");
        JsonNode rows = body.get("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("pctDiff").asText()).isEqualTo("1.00000000");
        assertThat(rows.get(0).get("pctDiffIndex").asText()).isEqualTo("0.96634455");
        assertThat(rows.get(0).get("roundId").asText()).isEqualTo("18446744073709551617");
        assertThat(rows.get(1).get("stale").asBoolean()).isTrue();
        assertThat(rows.get(1).get("pctDiff").isNull()).isTrue();
        assertThat(ok("/api/accuracy?pair=BTC-USD").get("thresholdPct").isNull()).isTrue();
        badRequest("/api/accuracy", "pair");
        badRequest("/api/accuracy?pair=ETH-USD&limit=5000", "limit");
    }

    @Test
    void alertsAreNewestFirstForOnePairOrAll() throws Exception {
        assertThat(ok("/api/alerts").get("alerts")).extracting(a -> a.get("kind").asText() + " " + a.get("symbol").asText())
                .containsExactly("STALE ETH-USD", "DEVIATION ETH-USD", "STALE BTC-USD");
        JsonNode one = ok("/api/alerts?pair=BTC-USD&limit=5").get("alerts");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("active").asBoolean()).isFalse();
        assertThat(one.get(0).get("detail").asText()).isEqualTo("BTC-USD oracle fresh again");
        badRequest("/api/alerts?pair=%27%3B", "pair");
    }
}
