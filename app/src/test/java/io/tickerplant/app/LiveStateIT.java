package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.WebComponent;
import io.tickerplant.emulator.binance.BinanceEmulator;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emulator -> source -> Kafka -> candles and BBO streams: {@code /api/live/candle}, read from the Streams state
 * store, answers the same bar as the newest row of the {@code candles} table (which the sink wrote from
 * {@code tp.candles}), for BINANCE and for ALL; {@code /api/live/bbo} and {@code /api/live/index} answer from the
 * emulator's quotes; a symbol without state is a 404, an interval the platform does not compute a 400.
 */
class LiveStateIT {
    private static final long MINUTE_MS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    static BinanceEmulator emulator;
    static EmbeddedPlatform platform;
    static String api;

    @BeforeAll
    static void start() {
        emulator = PipelineFixture.emulator(20);
        platform = PipelineFixture.start(dataDir, emulator, Map.of("candles.intervals", "1s,1m", "candles.grace", "1s"));
        api = platform.find(WebComponent.class).orElseThrow().endpoint().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void theLiveBarEqualsTheNewestBarOfTheCandlesTable() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> emulator.connectionCount() > 0);
        // Into the second minute and then some: the newest bar stays open, so the table's newest row is a live one.
        long end = (emulator.market().nowMillis() / MINUTE_MS + 2) * MINUTE_MS + 10_000;
        while (emulator.market().nowMillis() < end) {
            emulator.step(Duration.ofSeconds(5));
        }
        emulator.pause();

        try (Connection c = PipelineFixture.db(platform)) {
            for (String symbol : PipelineFixture.SYMBOLS.values()) {
                for (String venue : List.of("BINANCE", "ALL")) {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        HttpResponse<String> r = get("/api/live/candle?symbol=" + symbol + "&venue=" + venue
                                + "&interval=1m");
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        assertThat(live(JSON.readTree(r.body()))).as("%s %s", venue, symbol)
                                .isEqualTo(newestStored(c, venue, symbol));
                    });
                }
            }
        }
    }

    @Test
    void theBboAndIndexAreServedAndMissingOrBadKeysAreRefused() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> bbo = get("/api/live/bbo?symbol=BTC-USDT");
            assertThat(bbo.statusCode()).as(bbo.body()).isEqualTo(200);
            JsonNode b = JSON.readTree(bbo.body());
            assertThat(b.get("symbol").asText()).isEqualTo("BTC-USDT");
            assertThat(b.get("venues").toString()).contains("BINANCE");
            HttpResponse<String> index = get("/api/live/index?symbol=ETH-USDT");
            assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
            assertThat(new BigDecimal(JSON.readTree(index.body()).get("price").asText())).isPositive();
        });

        assertThat(get("/api/live/bbo?symbol=SOL-USDT").statusCode()).isEqualTo(404);
        assertThat(get("/api/live/candle?symbol=SOL-USDT").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get("/api/live/candle?symbol=BTC-USDT&interval=5m");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("parameter").asText()).isEqualTo("interval");
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> live(JsonNode j) {
        return bar(Instant.parse(j.get("bucketStart").asText()), Instant.parse(j.get("bucketEnd").asText()),
                num(j, "open"), num(j, "high"), num(j, "low"), num(j, "close"), num(j, "volume"),
                num(j, "buyVolume"), num(j, "sellVolume"), num(j, "quoteVolume"), j.get("tradeCount").asLong(),
                num(j, "vwap"), Instant.parse(j.get("firstTradeTime").asText()),
                Instant.parse(j.get("lastTradeTime").asText()));
    }

    private static BigDecimal num(JsonNode j, String field) {
        return j.get(field).isNull() ? null : new BigDecimal(j.get(field).asText());
    }

    private static Map<String, Object> newestStored(Connection c, String venue, String symbol) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket_start, bucket_end, open, high, low, close,"
                + " volume, buy_volume, sell_volume, quote_volume, trade_count, vwap, first_trade_time,"
                + " last_trade_time FROM candles WHERE venue = ? AND symbol = ? AND interval = '1m'"
                + " ORDER BY bucket_start DESC LIMIT 1")) {
            ps.setString(1, venue);
            ps.setString(2, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                return bar(instant(rs, 1), instant(rs, 2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                        rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getLong(11), rs.getBigDecimal(12),
                        instant(rs, 13), instant(rs, 14));
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws Exception {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** Numbers by value (trailing zeros dropped), so that equal bars compare equal whatever the scale. */
    private static Map<String, Object> bar(Instant start, Instant end, BigDecimal open, BigDecimal high,
            BigDecimal low, BigDecimal close, BigDecimal volume, BigDecimal buy, BigDecimal sell, BigDecimal quote,
            long count, BigDecimal vwap, Instant first, Instant last) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bucket", start + ".." + end);
        f.put("o", plain(open));
        f.put("h", plain(high));
        f.put("l", plain(low));
        f.put("c", plain(close));
        f.put("vol", plain(volume));
        f.put("buy", plain(buy));
        f.put("sell", plain(sell));
        f.put("quote", plain(quote));
        f.put("n", count);
        f.put("vwap", plain(vwap));
        f.put("first", first);
        f.put("last", last);
        return f;
    }

    private static String plain(BigDecimal v) {
        return v == null ? "null" : v.stripTrailingZeros().toPlainString();
    }
}
