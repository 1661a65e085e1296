package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.server.query.QueryCatalog;
import io.tickerplant.store.DailyPartitions;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.TradeQueries;
import io.tickerplant.store.TradeWriter;
import io.tickerplant.store.embedded.LocalPostgres;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named queries over HTTP against a real PostgreSQL: the built-in ones, and a file of test queries. */
class NamedQueriesIT {

    /** Queries that probe the rules: types, paging, the timeout, writes, broken SQL. */
    static final String TEST_QUERIES = """
            queries:
              - name: trades-of
                description: The trade ids of a symbol, by venue and id.
                parameters:
                  symbol: {type: string, description: "exactly as stored"}
                sql: SELECT venue, trade_id FROM trades WHERE symbol = :symbol ORDER BY venue, trade_id

              - name: typed
                description: One value of each parameter type and of the common column types.
                parameters:
                  n: {type: int, default: 7}
                  x: {type: numeric, default: null}
                  b: {type: boolean, default: false}
                  t: {type: timestamp, default: '2026-05-01T12:00:00Z'}
                  s: {type: string, default: "it's"}
                sql: |
                  SELECT :n AS n, :x AS x, :b AS b, :t AS t, :s AS s,
                         0.10000000::numeric AS exact, 1.5::float8 AS f, 'NaN'::float8 AS nan,
                         ARRAY['a', 'b'] AS arr, ARRAY[1.50, 2.0] AS nums,
                         '{"mid": 60000.123456789012345678}'::jsonb AS j, NULL::text AS nothing,
                         '2026-05-01'::date AS d, interval '90 seconds' AS iv, 'it''s :not_a_param' AS literal

              - name: numbers
                description: Whole numbers from 1 to n, to page through.
                parameters:
                  n: {type: int}
                sql: SELECT i FROM generate_series(1, :n) AS i ORDER BY i

              - name: sleepy
                description: Sleeps, to run into the statement timeout.
                parameters:
                  seconds: {type: numeric}
                sql: SELECT pg_sleep(:seconds) AS slept

              - name: delete-trades
                description: Tries to delete trades.
                parameters:
                  symbol: {type: string}
                sql: DELETE FROM trades WHERE symbol = :symbol

              - name: insert-trade
                description: Tries to insert a trade.
                sql: |
                  INSERT INTO trades (venue, symbol, venue_symbol, trade_id, price, size, side, event_time, receive_time)
                  VALUES ('BINANCE', 'BTC-USDT', 'BTCUSDT', 'forged', 1, 1, 'BUY', now(), now()) RETURNING trade_id

              - name: divide
                description: 100 divided by a number.
                parameters:
                  by: {type: int}
                sql: SELECT 100 / :by AS quotient

              - name: broken
                description: Reads a table that does not exist.
                sql: SELECT * FROM no_such_table
            """;

    @TempDir
    static Path dir;
    static LocalPostgres db;
    static WebServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    // Floats read as BigDecimal, so that a test sees the exact digits the server sent.
    static final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @BeforeAll
    static void start() throws Exception {
        db = LocalPostgres.builder(dir.resolve("pg")).port(0).durable(false).start();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            StoreSchema.migrate(c);
            // accuracy is in daily partitions (V6); the writers create them, direct inserts must first.
            new DailyPartitions("accuracy").ensure(c, List.of(java.time.LocalDate.of(2026, 5, 1)));
            st.execute("INSERT INTO accuracy (symbol, event_time, oracle_source, round_id, oracle_price,"
                    + " oracle_updated_at, api_average, api_sources, pct_diff, index_price, oracle_age_s, stale) VALUES"
                    + " ('ETH-USD', '2026-05-01T12:10:00Z', 'CHAINLINK', 100, 3015.00, '2026-05-01T12:10:00Z', 3000.00,"
                    + "  '{COINGECKO,COINPAPRIKA}', 0.5, NULL, 0, false),"
                    + " ('ETH-USD', '2026-05-01T12:40:00Z', 'CHAINLINK', 101, 2962.50, '2026-05-01T12:40:00Z', 3000.00,"
                    + "  '{COINGECKO,COINPAPRIKA}', -1.25, NULL, 0, false),"
                    + " ('ETH-USD', '2026-05-01T12:50:00Z', 'CHAINLINK', 101, 2962.50, '2026-05-01T12:40:00Z', 3000.00,"
                    + "  '{COINGECKO,COINPAPRIKA}', -1.25, NULL, 600, false)");
            for (String venue : List.of("BINANCE", "ALL")) {
                st.execute(bar(venue, "2026-05-01T12:00:00Z", "60001.00"));
                st.execute(bar(venue, "2026-05-01T12:01:00Z", "60002.00"));
            }
        }
        try (TradeWriter w = new TradeWriter(db::connect)) {
            w.write(List.of(trade("BINANCE", "BTC-USDT", "1", "60000.10", "0.5", Side.BUY, "2026-05-01T12:00:01Z"),
                    trade("BINANCE", "BTC-USDT", "2", "60010.00", "0.25", Side.SELL, "2026-05-01T12:30:00Z"),
                    trade("BINANCE", "BTC-USDT", "3", "60020.00", "1.0", Side.BUY, "2026-05-01T13:05:00Z"),
                    trade("COINBASE", "BTC-USDT", "a", "59990.5", "2", Side.SELL, "2026-05-01T12:15:00Z"),
                    trade("BINANCE", "ETH-USDT", "1", "3000.01", "1", Side.BUY, "2026-05-01T12:20:00Z")));
        }
        Path file = dir.resolve("test-queries.yaml");
        Files.writeString(file, TEST_QUERIES);
        NamedQueries queries = new NamedQueries(QueryCatalog.load(Optional.of(file)), Duration.ofMillis(500), 50);
        server = new WebServer("127.0.0.1", 0, db::connect, () -> Map.of("status", "UP"), null, null, queries).start();
    }

    private static Trade trade(String venue, String symbol, String id, String price, String size, Side side,
            String time) {
        Instant t = Instant.parse(time);
        return Trade.newBuilder().setVenue(venue).setSymbol(symbol).setVenueSymbol(symbol.replace("-", ""))
                .setEventTime(t).setReceiveTime(t).setTradeId(id).setPrice(Decimals.parse(price))
                .setSize(Decimals.parse(size)).setSide(side).build();
    }

    private static String bar(String venue, String start, String close) {
        return "INSERT INTO candles (venue, symbol, interval, bucket_start, bucket_end, open, high, low, close, volume,"
                + " buy_volume, sell_volume, quote_volume, trade_count, vwap, first_trade_time, last_trade_time, final,"
                + " update_time) VALUES ('" + venue + "', 'BTC-USDT', '1m', '" + start + "', '" + start
                + "'::timestamptz + interval '1 minute', 59999.00, 60010.00, 59990.00, " + close + ", 0.5, 0.3, 0.2,"
                + " 30000, 12, NULL, '" + start + "', '" + start + "', true, now())";
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

    /** A JSON error of {@code status}, without a stack trace. */
    static JsonNode error(String path, int status) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.");
        return json.readTree(r.body());
    }

    static JsonNode badParameter(String path, String parameter) throws Exception {
        JsonNode body = error(path, 400);
        assertThat(body.get("parameter").asText()).as(path).isEqualTo(parameter);
        assertThat(body.get("error").asText()).as(path).contains("'" + parameter + "'");
        return body;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static long tradeCount() throws Exception {
        try (Connection c = db.connect()) {
            return TradeQueries.count(c);
        }
    }

    @Test
    void theListingShowsEachQueryWithItsParametersTheRowCapAndTheTimeout() throws Exception {
        JsonNode list = ok("/api/queries");

        assertThat(list.get("maxRows").asInt()).isEqualTo(50);
        assertThat(list.get("statementTimeout").asText()).isEqualTo("500ms");
        List<String> names = new ArrayList<>();
        list.get("queries").forEach(q -> names.add(q.get("name").asText()));
        assertThat(names).contains("trade-volume-hourly", "oracle-deviation-hourly", "latest-candles", "trades-of",
                "sleepy");
        JsonNode typed = list.get("queries").get(names.indexOf("typed"));
        assertThat(typed.get("path").asText()).isEqualTo("/api/queries/typed");
        JsonNode n = typed.get("parameters").get(0);
        assertThat(n.get("name").asText()).isEqualTo("n");
        assertThat(n.get("type").asText()).isEqualTo("int");
        assertThat(n.get("required").asBoolean()).isFalse();
        assertThat(n.get("default").asLong()).isEqualTo(7);
        JsonNode symbol = list.get("queries").get(names.indexOf("trades-of")).get("parameters").get(0);
        assertThat(symbol.get("required").asBoolean()).isTrue();
        assertThat(symbol.has("default")).isFalse();
        assertThat(symbol.get("description").asText()).isEqualTo("exactly as stored");
    }

    @Test
    void hourlyVolumeIsExactPerHourVenueAndSymbolNewestFirst() throws Exception {
        JsonNode page = ok("/api/queries/trade-volume-hourly?symbol=btc-usdt&from=2026-05-01&to="
                + Instant.parse("2026-05-02T00:00:00Z").toEpochMilli());

        assertThat(page.get("query").asText()).isEqualTo("trade-volume-hourly");
        assertThat(page.get("parameters").get("from").asText()).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(page.get("parameters").get("venue").isNull()).isTrue();
        JsonNode rows = page.get("rows");
        assertThat(rows).extracting(r -> r.get("hour").asText() + " " + r.get("venue").asText())
                .containsExactly("2026-05-01T13:00:00Z BINANCE", "2026-05-01T12:00:00Z BINANCE",
                        "2026-05-01T12:00:00Z COINBASE");
        JsonNode binance12 = rows.get(1);
        assertThat(binance12.get("trades").isNumber()).isTrue();
        assertThat(binance12.get("trades").asLong()).isEqualTo(2);
        assertThat(binance12.get("volume").asText()).isEqualTo("0.75");
        assertThat(binance12.get("quote_volume").asText()).isEqualTo("45002.5500");
        assertThat(binance12.get("vwap").asText()).isEqualTo("60003.40000000");
        assertThat(binance12.get("buy_volume").asText()).isEqualTo("0.5");
        assertThat(binance12.get("sell_volume").asText()).isEqualTo("0.25");
        assertThat(binance12.get("low").asText()).isEqualTo("60000.10");
        assertThat(page.get("columns").get(0).get("type").asText()).isEqualTo("timestamptz");
        assertThat(page.get("next").isNull()).isTrue();

        JsonNode coinbaseOnly = ok("/api/queries/trade-volume-hourly?venue=coinbase&from=2026-05-01").get("rows");
        assertThat(coinbaseOnly).hasSize(1);
        assertThat(coinbaseOnly.get(0).get("quote_volume").asText()).isEqualTo("119981.0");
    }

    @Test
    void oracleDeviationHourlyCountsEachRoundOnceWithTheWorstOne() throws Exception {
        JsonNode rows = ok("/api/queries/oracle-deviation-hourly?pair=eth-usd&from=2026-05-01T00:00:00Z").get("rows");

        assertThat(rows).hasSize(1);
        JsonNode hour = rows.get(0);
        assertThat(hour.get("hour").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(hour.get("pair").asText()).isEqualTo("ETH-USD");
        assertThat(hour.get("rounds").asLong()).isEqualTo(2);
        assertThat(new BigDecimal(hour.get("avg_abs_pct_diff").asText())).isEqualByComparingTo("0.875");
        assertThat(hour.get("worst_pct_diff").asText()).isEqualTo("-1.25");
        assertThat(hour.get("worst_round_id").asText()).isEqualTo("101");
        assertThat(hour.get("max_oracle_age_s").asLong()).isEqualTo(600);
        assertThat(hour.get("stale").asBoolean()).isFalse();
    }

    @Test
    void latestCandlesAreTheNewestBarPerVenueAcrossVenuesFirst() throws Exception {
        JsonNode rows = ok("/api/queries/latest-candles?symbol=BTC-USDT").get("rows");

        assertThat(rows).extracting(r -> r.get("venue").asText() + " " + r.get("bucket_start").asText() + " "
                + r.get("close").asText())
                .containsExactly("ALL 2026-05-01T12:01:00Z 60002.00", "BINANCE 2026-05-01T12:01:00Z 60002.00");
        assertThat(ok("/api/queries/latest-candles?symbol=BTC-USDT&interval=1h").get("rows")).isEmpty();
    }

    @Test
    void valuesAreTypedConsistentlyNumericsExactTimesInUtc() throws Exception {
        JsonNode page = ok("/api/queries/typed?x=0.10&b=true&t=2026-05-01T14:00:00%2B02:00&s=" + encode("a 'b'"));
        JsonNode row = page.get("rows").get(0);

        assertThat(row.get("n").isIntegralNumber()).isTrue();
        assertThat(row.get("n").asLong()).isEqualTo(7);
        assertThat(row.get("x").asText()).isEqualTo("0.10");
        assertThat(row.get("b").isBoolean()).isTrue();
        assertThat(row.get("b").asBoolean()).isTrue();
        assertThat(row.get("t").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(row.get("s").asText()).isEqualTo("a 'b'");
        assertThat(row.get("exact").asText()).isEqualTo("0.10000000");
        assertThat(row.get("f").isNumber()).isTrue();
        assertThat(row.get("f").asDouble()).isEqualTo(1.5);
        assertThat(row.get("nan").asText()).isEqualTo("NaN");
        assertThat(row.get("arr")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(row.get("nums")).extracting(JsonNode::asText).containsExactly("1.50", "2.0");
        assertThat(row.get("j").get("mid").decimalValue()).isEqualTo(new BigDecimal("60000.123456789012345678"));
        assertThat(row.get("nothing").isNull()).isTrue();
        assertThat(row.get("d").asText()).isEqualTo("2026-05-01");
        assertThat(row.get("iv").asText()).isEqualTo("00:01:30");
        assertThat(row.get("literal").asText()).isEqualTo("it's :not_a_param");
        assertThat(page.get("parameters").get("x").asText()).isEqualTo("0.10");

        JsonNode defaults = ok("/api/queries/typed").get("rows").get(0);
        assertThat(defaults.get("x").isNull()).isTrue();
        assertThat(defaults.get("s").asText()).isEqualTo("it's");
        assertThat(defaults.get("t").asText()).isEqualTo("2026-05-01T12:00:00Z");
    }

    @Test
    void pagesFollowTheCursorToTheEndWithoutGapsOrRepeats() throws Exception {
        List<Long> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = ok("/api/queries/numbers?n=23&limit=10" + (next == null ? "" : "&cursor=" + next));
            page.get("rows").forEach(r -> seen.add(r.get("i").asLong()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(23).startsWith(1L, 2L).endsWith(23L).doesNotHaveDuplicates().isSorted();
        // Exactly a full last page: no empty page after it.
        JsonNode twenty = ok("/api/queries/numbers?n=20&limit=10");
        JsonNode second = ok("/api/queries/numbers?n=20&limit=10&cursor=" + twenty.get("next").asText());
        assertThat(second.get("rows")).hasSize(10);
        assertThat(second.get("next").isNull()).isTrue();
    }

    @Test
    void theRowCapBoundsEveryPage() throws Exception {
        JsonNode page = ok("/api/queries/numbers?n=120");
        assertThat(page.get("rows")).hasSize(50);
        assertThat(page.get("next").isNull()).isFalse();
        assertThat(badParameter("/api/queries/numbers?n=120&limit=51", "limit").get("error").asText())
                .contains("1 to 50");
    }

    @Test
    void aCursorIsOnlyGoodForTheQueryAndParametersThatMadeIt() throws Exception {
        String next = ok("/api/queries/numbers?n=23&limit=10").get("next").asText();

        assertThat(badParameter("/api/queries/numbers?n=24&limit=10&cursor=" + next, "cursor").get("error").asText())
                .contains("another query or other parameters");
        badParameter("/api/queries/typed?cursor=" + next, "cursor");
        badParameter("/api/queries/numbers?n=23&cursor=not-a-cursor", "cursor");
        // The page size may change between pages: the cursor counts rows, not pages.
        assertThat(ok("/api/queries/numbers?n=23&limit=5&cursor=" + next).get("rows").get(0).get("i").asLong())
                .isEqualTo(11);
    }

    @Test
    void aMissingMistypedUnknownOrRepeatedParameterIsA400NamingIt() throws Exception {
        assertThat(badParameter("/api/queries/trades-of", "symbol").get("error").asText())
                .contains("required by query 'trades-of'");
        assertThat(badParameter("/api/queries/numbers?n=ten", "n").get("error").asText())
                .contains("'ten' is not an int");
        badParameter("/api/queries/typed?x=1e5", "x");
        badParameter("/api/queries/typed?b=yes", "b");
        assertThat(badParameter("/api/queries/typed?t=tomorrow", "t").get("error").asText())
                .contains("ISO-8601").contains("epoch milliseconds");
        assertThat(badParameter("/api/queries/numbers?n=3&m=4", "m").get("error").asText())
                .contains("unknown parameter").contains("n, limit, cursor");
        badParameter("/api/queries/numbers?n=3&n=4", "n");
        badParameter("/api/queries/numbers?n=3&limit=0", "limit");
    }

    @Test
    void anUnknownQueryIsA404ListingTheQueries() throws Exception {
        JsonNode body = error("/api/queries/no-such-query", 404);

        assertThat(body.get("error").asText()).contains("'no-such-query'");
        List<String> names = new ArrayList<>();
        body.get("queries").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("trade-volume-hourly", "numbers");
    }

    @Test
    void aQueryPastTheStatementTimeoutIsCancelledAndSaysSo() throws Exception {
        long start = System.nanoTime();
        JsonNode body = error("/api/queries/sleepy?seconds=30", 503);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(body.get("error").asText()).isEqualTo("query 'sleepy' exceeded the statement timeout of 500ms:"
                + " narrow its parameters");
        assertThat(body.get("query").asText()).isEqualTo("sleepy");
        // The timeout was the query's own: the next one runs normally.
        assertThat(ok("/api/queries/sleepy?seconds=0.01").get("rows")).hasSize(1);
    }

    @Test
    void aQueryThatWritesIsRefusedByItsReadOnlyTransactionAndChangesNothing() throws Exception {
        long before = tradeCount();

        JsonNode delete = error("/api/queries/delete-trades?symbol=BTC-USDT", 403);
        assertThat(delete.get("error").asText()).contains("query 'delete-trades' was refused")
                .contains("read-only transaction").contains("DELETE");
        JsonNode insert = error("/api/queries/insert-trade", 403);
        assertThat(insert.get("error").asText()).contains("INSERT").contains("read-only");

        assertThat(tradeCount()).isEqualTo(before);
    }

    @Test
    void anSqlInjectionAttemptThroughAParameterIsBoundAsAValueAndChangesNothing() throws Exception {
        long before = tradeCount();
        assertThat(ok("/api/queries/trades-of?symbol=BTC-USDT").get("rows")).hasSize(4);

        for (String attack : List.of("BTC-USDT' OR '1'='1", "x'; drop table trades; --", "BTC-USDT'--",
                "' UNION SELECT 'x', current_user --")) {
            JsonNode page = ok("/api/queries/trades-of?symbol=" + encode(attack));
            assertThat(page.get("rows")).as(attack).isEmpty();
            assertThat(page.get("parameters").get("symbol").asText()).isEqualTo(attack);
        }
        badParameter("/api/queries/numbers?n=" + encode("1; DROP TABLE trades"), "n");
        badParameter("/api/queries/trade-volume-hourly?from=" + encode("now()'); DROP TABLE trades; --"), "from");

        assertThat(tradeCount()).isEqualTo(before);
        assertThat(ok("/api/queries/trades-of?symbol=BTC-USDT").get("rows")).hasSize(4);
    }

    @Test
    void anErrorFromAValueIsA400AndABrokenQueryA500NamingTheQueryFile() throws Exception {
        assertThat(error("/api/queries/divide?by=0", 400).get("error").asText())
                .contains("query 'divide' failed on these parameters").contains("division by zero");
        assertThat(ok("/api/queries/divide?by=8").get("rows").get(0).get("quotient").asLong()).isEqualTo(12);

        JsonNode broken = error("/api/queries/broken", 500);
        assertThat(broken.get("error").asText()).contains("no_such_table").contains("test-queries.yaml");
        assertThat(broken.get("query").asText()).isEqualTo("broken");
    }

    @Test
    void theOpenApiDocumentDescribesTheLoadedQueries() throws Exception {
        JsonNode doc = ok("/api/openapi.json");

        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/api/queries/{name}")).isTrue();
        JsonNode numbers = doc.get("paths").get("/api/queries/numbers").get("get");
        assertThat(numbers.get("parameters").get(0).get("name").asText()).isEqualTo("n");
        assertThat(numbers.get("parameters").get(0).get("required").asBoolean()).isTrue();
        assertThat(numbers.get("parameters").get(0).get("schema").get("type").asText()).isEqualTo("integer");
    }
}
