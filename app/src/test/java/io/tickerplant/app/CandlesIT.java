package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.binance.BinanceEmulator;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emulator -> source connector -> Kafka -> candles stream -> sink -> PostgreSQL: the 1m bars in {@code candles}, for
 * BINANCE and for ALL, equal bars computed directly from the emulator's ground-truth trades, and every bar whose
 * window has closed is final.
 *
 * <p>The market runs on the emulator's virtual clock, so minutes of trading take seconds.
 */
class CandlesIT {

    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final long MINUTE_MS = 60_000;

    @TempDir
    static Path dataDir;

    static BinanceEmulator emulator;
    static EmbeddedPlatform platform;

    @BeforeAll
    static void start() {
        emulator = PipelineFixture.emulator(20);
        platform = PipelineFixture.start(dataDir, emulator,
                Map.of("candles.intervals", "1s,1m", "candles.grace", GRACE.toSeconds() + "s"));
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
    void oneMinuteBarsInTheDatabaseEqualBarsComputedFromTheEmulatorsTrades() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> emulator.connectionCount() > 0);
        // Three whole minutes and then some: the last bar stays open (no later trade closes it), the others close.
        long end = (emulator.market().nowMillis() / MINUTE_MS + 4) * MINUTE_MS + 10_000;
        while (emulator.market().nowMillis() < end) {
            emulator.step(Duration.ofSeconds(5));
        }
        emulator.pause();

        try (Connection c = PipelineFixture.db(platform)) {
            for (Map.Entry<String, String> s : PipelineFixture.SYMBOLS.entrySet()) {
                List<EmittedTrade> trades = emulator.trades(s.getKey());
                assertThat(trades).as("trades of %s", s.getKey()).hasSizeGreaterThan(1_000);
                for (String venue : List.of("BINANCE", "ALL")) {
                    List<String> expected = expectedBars(trades, trades.get(trades.size() - 1).timeMillis());
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .untilAsserted(() -> assertThat(storedBars(c, venue, s.getValue()))
                                    .as("%s %s 1m bars", venue, s.getValue())
                                    .containsExactlyElementsOf(expected));
                }
            }
        }
    }

    /** Bars from the trades as the emulator made them, in bucket order, in the form of {@link #storedBars}. */
    private static List<String> expectedBars(List<EmittedTrade> trades, long streamTimeMs) {
        Map<Long, List<EmittedTrade>> buckets = new TreeMap<>();
        for (EmittedTrade t : trades) {
            buckets.computeIfAbsent(Math.floorDiv(t.timeMillis(), MINUTE_MS), k -> new ArrayList<>()).add(t);
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, List<EmittedTrade>> b : buckets.entrySet()) {
            List<EmittedTrade> ts = b.getValue();
            BigDecimal high = null;
            BigDecimal low = null;
            BigDecimal volume = BigDecimal.ZERO;
            BigDecimal buy = BigDecimal.ZERO;
            BigDecimal sell = BigDecimal.ZERO;
            BigDecimal quote = BigDecimal.ZERO;
            int priceScale = 0;
            for (EmittedTrade t : ts) {
                BigDecimal p = new BigDecimal(t.price());
                BigDecimal q = new BigDecimal(t.qty());
                priceScale = Math.max(priceScale, p.scale());
                high = high == null || p.compareTo(high) > 0 ? p : high;
                low = low == null || p.compareTo(low) < 0 ? p : low;
                volume = volume.add(q);
                quote = quote.add(p.multiply(q));
                if (t.buyerIsMaker()) {
                    sell = sell.add(q);
                } else {
                    buy = buy.add(q);
                }
            }
            BigDecimal vwap = quote.divide(volume, priceScale + 4, RoundingMode.HALF_EVEN);
            if (vwap.precision() > 18) {
                vwap = vwap.round(new MathContext(18, RoundingMode.HALF_EVEN));
            }
            long startMs = b.getKey() * MINUTE_MS;
            boolean closed = streamTimeMs >= startMs + MINUTE_MS + GRACE.toMillis();
            out.add(bar(Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(startMs + MINUTE_MS),
                    new BigDecimal(ts.get(0).price()), high, low, new BigDecimal(ts.get(ts.size() - 1).price()),
                    volume, buy, sell, quote, ts.size(), vwap, Instant.ofEpochMilli(ts.get(0).timeMillis()),
                    Instant.ofEpochMilli(ts.get(ts.size() - 1).timeMillis()), closed));
        }
        return out;
    }

    private static List<String> storedBars(Connection c, String venue, String symbol) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket_start, bucket_end, open, high, low, close,"
                + " volume, buy_volume, sell_volume, quote_volume, trade_count, vwap, first_trade_time,"
                + " last_trade_time, final FROM candles WHERE venue = ? AND symbol = ? AND interval = '1m'"
                + " ORDER BY bucket_start")) {
            ps.setString(1, venue);
            ps.setString(2, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(bar(instant(rs, 1), instant(rs, 2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                            rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getLong(11), rs.getBigDecimal(12),
                            instant(rs, 13), instant(rs, 14), rs.getBoolean(15)));
                }
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws Exception {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** One line per bar; numbers by value (trailing zeros dropped), so that equal bars print equal. */
    private static String bar(Instant start, Instant end, BigDecimal open, BigDecimal high, BigDecimal low,
            BigDecimal close, BigDecimal volume, BigDecimal buy, BigDecimal sell, BigDecimal quote, long count,
            BigDecimal vwap, Instant first, Instant last, boolean isFinal) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bucket", start + ".." + end);
        f.put("o", num(open));
        f.put("h", num(high));
        f.put("l", num(low));
        f.put("c", num(close));
        f.put("vol", num(volume));
        f.put("buy", num(buy));
        f.put("sell", num(sell));
        f.put("quote", num(quote));
        f.put("n", count);
        f.put("vwap", num(vwap));
        f.put("first", first);
        f.put("last", last);
        f.put("final", isFinal);
        return f.toString();
    }

    private static String num(BigDecimal v) {
        return v == null ? "null" : v.stripTrailingZeros().toPlainString();
    }
}
