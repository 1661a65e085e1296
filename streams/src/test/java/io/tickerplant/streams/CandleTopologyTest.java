package io.tickerplant.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandleTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, Trade> trades;
    TestOutputTopic<String, Candle> candles;
    int nextId;

    private void start(List<Duration> intervals, Duration grace) {
        Properties p = CandleApp.properties("unused:9092", stateDir, TOPICS);
        driver = new TopologyTestDriver(CandleTopology.buildTopology(TOPICS, intervals, grace), p);
        trades = driver.createInputTopic(TOPICS.trades(), Serdes.String().serializer(), AvroSerdes.serializer());
        candles = driver.createOutputTopic(TOPICS.candles(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(Candle.class));
    }

    private void startOneMinute() {
        start(List.of(MINUTE), GRACE);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** Pipes a trade with a record timestamp far from its event time, so that only the trade's own time can count. */
    private Trade send(String venue, Instant eventTime, String price, String size, Side side) {
        Trade t = Trade.newBuilder().setVenue(venue).setSymbol("BTC-USDT").setVenueSymbol("BTCUSDT")
                .setEventTime(eventTime).setReceiveTime(eventTime.plusMillis(2)).setTradeId(Integer.toString(++nextId))
                .setPrice(Decimals.parse(price)).setSize(Decimals.parse(size)).setSide(side).build();
        trades.pipeInput(venue + ":BTC-USDT", t, Instant.parse("2000-01-01T00:00:00Z"));
        return t;
    }

    private Trade send(Instant eventTime, String price, String size, Side side) {
        return send("BINANCE", eventTime, price, size, side);
    }

    private List<KeyValue<String, Candle>> output() {
        return candles.readKeyValuesToList();
    }

    /** The latest update per bar, as a reader of the topic sees it. */
    private static Map<String, Candle> latest(List<KeyValue<String, Candle>> updates) {
        Map<String, Candle> out = new java.util.TreeMap<>();
        for (KeyValue<String, Candle> kv : updates) {
            out.put(kv.key + "@" + kv.value.getBucketStart(), kv.value);
        }
        return out;
    }

    private static Candle last(List<KeyValue<String, Candle>> updates, String key) {
        Candle c = null;
        for (KeyValue<String, Candle> kv : updates) {
            if (kv.key.equals(key)) {
                c = kv.value;
            }
        }
        assertThat(c).as("an update for %s in %s", key, updates).isNotNull();
        return c;
    }

    private static String plain(Decimal d) {
        return d == null ? null : Decimals.toPlainString(d);
    }

    @Test
    void aTradeExactlyAtTheBucketEndOpensTheNextBar() {
        startOneMinute();
        send(T0, "100", "1", Side.BUY);
        send(T0.plus(MINUTE).minusNanos(1_000), "101", "1", Side.BUY);
        send(T0.plus(MINUTE), "102", "1", Side.BUY);

        Map<String, Candle> bars = latest(output());

        assertThat(bars).hasSize(4); // two bars, each as BINANCE and as ALL
        Candle first = bars.get("BINANCE:BTC-USDT:1m@" + T0);
        Candle second = bars.get("BINANCE:BTC-USDT:1m@" + T0.plus(MINUTE));
        assertThat(first.getTradeCount()).isEqualTo(2);
        assertThat(plain(first.getClose())).isEqualTo("101");
        assertThat(first.getBucketEnd()).isEqualTo(T0.plus(MINUTE));
        assertThat(first.getLastTradeTime()).isEqualTo(T0.plus(MINUTE).minusNanos(1_000));
        assertThat(second.getTradeCount()).isEqualTo(1);
        assertThat(plain(second.getOpen())).isEqualTo("102");
        assertThat(second.getBucketStart()).isEqualTo(T0.plus(MINUTE));
    }

    @Test
    void aBarHoldsExactOhlcVolumesBuySellSplitAndVwap() {
        startOneMinute();
        send(T0.plusSeconds(1), "60000.10000000", "0.10000000", Side.BUY);
        send(T0.plusSeconds(2), "60010.20000000", "0.00300000", Side.SELL);
        send(T0.plusSeconds(3), "59990.01000000", "1.00000000", Side.BUY);
        send(T0.plusSeconds(4), "60000.00000000", "0.20000000", Side.UNKNOWN);

        Candle c = last(output(), "BINANCE:BTC-USDT:1m");

        assertThat(c.getVenue()).isEqualTo("BINANCE");
        assertThat(c.getSymbol()).isEqualTo("BTC-USDT");
        assertThat(c.getInterval()).isEqualTo("1m");
        assertThat(c.getBucketStart()).isEqualTo(T0);
        assertThat(c.getBucketEnd()).isEqualTo(T0.plus(MINUTE));
        assertThat(plain(c.getOpen())).isEqualTo("60000.10000000");
        assertThat(plain(c.getHigh())).isEqualTo("60010.20000000");
        assertThat(plain(c.getLow())).isEqualTo("59990.01000000");
        assertThat(plain(c.getClose())).isEqualTo("60000.00000000");
        assertThat(plain(c.getVolume())).isEqualTo("1.30300000");
        assertThat(plain(c.getBuyVolume())).isEqualTo("1.10000000");
        assertThat(plain(c.getSellVolume())).isEqualTo("0.00300000");
        // 6000.01 + 180.0306 + 59990.01 + 12000 = 78170.0506, exact
        assertThat(Decimals.toBigDecimal(c.getQuoteVolume())).isEqualByComparingTo("78170.0506");
        // 78170.0506 / 1.303 = 59992.364236377590..., HALF_EVEN at 8 + 4 decimals
        assertThat(plain(c.getVwap())).isEqualTo("59992.364236377590");
        assertThat(c.getTradeCount()).isEqualTo(4);
        assertThat(c.getFirstTradeTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(c.getLastTradeTime()).isEqualTo(T0.plusSeconds(4));
        assertThat(c.getFinalBar()).isFalse();
    }

    @Test
    void everyChangePublishesALiveUpdateOfTheSameBar() {
        startOneMinute();
        send(T0.plusSeconds(1), "10", "1", Side.BUY);
        send(T0.plusSeconds(2), "11", "2", Side.SELL);

        List<KeyValue<String, Candle>> out = output().stream()
                .filter(kv -> kv.key.equals("BINANCE:BTC-USDT:1m")).toList();

        assertThat(out).extracting(kv -> kv.value.getTradeCount()).containsExactly(1L, 2L);
        assertThat(out).allSatisfy(kv -> assertThat(kv.value.getFinalBar()).isFalse());
        assertThat(out.get(1).value.getUpdateTime()).isAfterOrEqualTo(out.get(0).value.getUpdateTime());
    }

    @Test
    void outOfOrderTradesSetOpenAndCloseByEventTime() {
        startOneMinute();
        send(T0.plusSeconds(30), "2", "1", Side.BUY);
        send(T0.plusSeconds(10), "1", "1", Side.BUY);
        send(T0.plusSeconds(50), "3", "1", Side.SELL);
        send(T0.plusSeconds(20), "4", "1", Side.SELL);

        Candle c = last(output(), "BINANCE:BTC-USDT:1m");

        assertThat(plain(c.getOpen())).isEqualTo("1");
        assertThat(plain(c.getClose())).isEqualTo("3");
        assertThat(plain(c.getHigh())).isEqualTo("4");
        assertThat(plain(c.getLow())).isEqualTo("1");
        assertThat(c.getFirstTradeTime()).isEqualTo(T0.plusSeconds(10));
        assertThat(c.getLastTradeTime()).isEqualTo(T0.plusSeconds(50));
    }

    @Test
    void amongTradesAtTheSameTimeTheFirstOpensAndTheLastCloses() {
        startOneMinute();
        send(T0.plusSeconds(5), "1", "1", Side.BUY);
        send(T0.plusSeconds(5), "2", "1", Side.BUY);
        send(T0.plusSeconds(5), "3", "1", Side.BUY);

        Candle c = last(output(), "BINANCE:BTC-USDT:1m");

        assertThat(plain(c.getOpen())).isEqualTo("1");
        assertThat(plain(c.getClose())).isEqualTo("3");
    }

    @Test
    void aLateTradeWithinGraceCorrectsItsBar() {
        startOneMinute();
        send(T0.plusSeconds(30), "100", "1", Side.BUY);
        send(T0.plus(MINUTE).plusSeconds(5), "200", "1", Side.BUY); // stream time 10:01:05
        output();

        send(T0.plusSeconds(10), "50", "2", Side.SELL); // late by 55 s, but its bar closes at 10:01:10

        Candle corrected = last(output(), "BINANCE:BTC-USDT:1m");
        assertThat(corrected.getBucketStart()).isEqualTo(T0);
        assertThat(corrected.getTradeCount()).isEqualTo(2);
        assertThat(plain(corrected.getOpen())).isEqualTo("50");
        assertThat(plain(corrected.getClose())).isEqualTo("100");
        assertThat(plain(corrected.getLow())).isEqualTo("50");
        assertThat(plain(corrected.getVolume())).isEqualTo("3");
        assertThat(plain(corrected.getSellVolume())).isEqualTo("2");
        assertThat(corrected.getFinalBar()).isFalse();
    }

    @Test
    void aTradeLaterThanGraceIsDroppedAndCounted() {
        startOneMinute();
        send(T0.plusSeconds(30), "100", "1", Side.BUY);
        send(T0.plus(MINUTE).plus(GRACE), "200", "1", Side.BUY); // closes the 10:00 bar
        output();

        send(T0.plusSeconds(59), "50", "2", Side.SELL);

        assertThat(output()).noneMatch(kv -> kv.value.getBucketStart().equals(T0));
        // One drop per window aggregation that saw it: the venue's bar and the ALL bar.
        assertThat(droppedRecords()).isEqualTo(2.0);
        Candle stored = storedBar(CandleTopology.storeName(CandleTopology.Scope.VENUE, MINUTE), "BINANCE:BTC-USDT",
                T0);
        assertThat(stored.getTradeCount()).isEqualTo(1);
    }

    @Test
    void theFinalBarIsPublishedOnceWhenStreamTimePassesItsEndPlusGrace() {
        startOneMinute();
        send(T0.plusSeconds(10), "100", "1", Side.BUY);
        send(T0.plusSeconds(20), "101", "1", Side.SELL);
        send(T0.plus(MINUTE).plus(GRACE).minusMillis(1), "102", "1", Side.BUY);
        assertThat(output()).noneMatch(kv -> kv.value.getFinalBar());

        send(T0.plus(MINUTE).plus(GRACE), "103", "1", Side.BUY);
        send(T0.plus(MINUTE).plus(GRACE).plusSeconds(1), "104", "1", Side.BUY);

        List<KeyValue<String, Candle>> out = output();
        List<Candle> finals = out.stream().filter(kv -> kv.value.getFinalBar()).map(kv -> kv.value).toList();
        assertThat(finals).extracting(c -> c.getVenue() + "@" + c.getBucketStart())
                .containsExactlyInAnyOrder("BINANCE@" + T0, "ALL@" + T0);
        Candle fin = finals.stream().filter(c -> c.getVenue().equals("BINANCE")).findFirst().orElseThrow();
        assertThat(fin.getTradeCount()).isEqualTo(2);
        assertThat(plain(fin.getOpen())).isEqualTo("100");
        assertThat(plain(fin.getClose())).isEqualTo("101");
        assertThat(plain(fin.getVwap())).isEqualTo("100.5000");
        assertThat(fin.getBucketEnd()).isEqualTo(T0.plus(MINUTE));
    }

    @Test
    void theAllBarAggregatesEveryVenueOfASymbol() {
        startOneMinute();
        send("BINANCE", T0.plusSeconds(1), "100.00", "1.5", Side.BUY);
        send("COINBASE", T0.plusSeconds(2), "100.10", "0.25", Side.SELL);
        send("BINANCE", T0.plusSeconds(3), "99.90", "1", Side.SELL);

        List<KeyValue<String, Candle>> out = output();
        Candle all = last(out, "ALL:BTC-USDT:1m");
        Candle binance = last(out, "BINANCE:BTC-USDT:1m");
        Candle coinbase = last(out, "COINBASE:BTC-USDT:1m");

        assertThat(all.getVenue()).isEqualTo("ALL");
        assertThat(all.getTradeCount()).isEqualTo(3);
        assertThat(plain(all.getOpen())).isEqualTo("100.00");
        assertThat(plain(all.getHigh())).isEqualTo("100.10");
        assertThat(plain(all.getLow())).isEqualTo("99.90");
        assertThat(plain(all.getClose())).isEqualTo("99.90");
        assertThat(Decimals.toBigDecimal(all.getVolume())).isEqualByComparingTo("2.75");
        assertThat(Decimals.toBigDecimal(all.getBuyVolume())).isEqualByComparingTo("1.5");
        assertThat(Decimals.toBigDecimal(all.getSellVolume())).isEqualByComparingTo("1.25");
        // 150 + 25.025 + 99.9 = 274.925; / 2.75 = 99.97272727..., 2 + 4 decimals
        assertThat(Decimals.toBigDecimal(all.getQuoteVolume())).isEqualByComparingTo("274.925");
        assertThat(plain(all.getVwap())).isEqualTo("99.972727");
        assertThat(binance.getTradeCount()).isEqualTo(2);
        assertThat(coinbase.getTradeCount()).isEqualTo(1);
    }

    @Test
    void eachIntervalHasItsOwnAlignedBars() {
        start(List.of(Duration.ofSeconds(1), Duration.ofMinutes(5)), GRACE);
        send(T0.plusMillis(4_999), "1", "1", Side.BUY);
        send(T0.plusMillis(5_000), "2", "1", Side.BUY);

        Map<String, Candle> bars = latest(output());

        assertThat(bars.keySet()).containsExactlyInAnyOrder(
                "BINANCE:BTC-USDT:1s@" + T0.plusSeconds(4), "BINANCE:BTC-USDT:1s@" + T0.plusSeconds(5),
                "ALL:BTC-USDT:1s@" + T0.plusSeconds(4), "ALL:BTC-USDT:1s@" + T0.plusSeconds(5),
                "BINANCE:BTC-USDT:5m@" + T0, "ALL:BTC-USDT:5m@" + T0);
        assertThat(bars.get("BINANCE:BTC-USDT:5m@" + T0).getTradeCount()).isEqualTo(2);
        assertThat(bars.get("BINANCE:BTC-USDT:5m@" + T0).getBucketEnd()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aQuoteVolumeBeyondEighteenDigitsIsRoundedNotRefused() {
        startOneMinute();
        // 123456789.12345678 * 0.12345678 = 15241577.6543209965279684: 24 significant digits
        send(T0.plusSeconds(1), "123456789.12345678", "0.12345678", Side.BUY);

        Candle c = last(output(), "BINANCE:BTC-USDT:1m");

        assertThat(plain(c.getQuoteVolume())).isEqualTo("15241577.6543209965");
        assertThat(c.getTradeCount()).isEqualTo(1);
    }

    @Test
    void aZeroVolumeBarHasNoVwap() {
        startOneMinute();
        send(T0.plusSeconds(1), "100", "0", Side.BUY);

        assertThat(last(output(), "BINANCE:BTC-USDT:1m").getVwap()).isNull();
    }

    @Test
    void storesAreNamedByScopeAndInterval() {
        assertThat(CandleTopology.storeName(CandleTopology.Scope.VENUE, MINUTE)).isEqualTo("candles-venue-1m");
        assertThat(CandleTopology.storeName(CandleTopology.Scope.ALL, Duration.ofHours(1))).isEqualTo("candles-all-1h");
        assertThat(CandleTopology.finalBufferName(CandleTopology.Scope.ALL, Duration.ofSeconds(1)))
                .isEqualTo("candles-all-1s-final");
        Function<Duration, String> label = CandleTopology::label;
        assertThat(List.of(Duration.ofMillis(250), Duration.ofSeconds(90), Duration.ofMinutes(5), Duration.ofDays(1)))
                .extracting(label).containsExactly("250ms", "90s", "5m", "1d");
    }

    @Test
    void refusesIntervalsThatAreNotWholeMillisecondsOrRepeated() {
        assertThatThrownBy(() -> CandleTopology.buildTopology(TOPICS, List.of(Duration.ofNanos(1_500_000)), GRACE))
                .hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> CandleTopology.buildTopology(TOPICS, List.of(MINUTE, Duration.ofSeconds(60)), GRACE))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> CandleTopology.buildTopology(TOPICS, List.of(), GRACE))
                .hasMessageContaining("at least one");
    }

    private double droppedRecords() {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
            if (m.getKey().name().equals("dropped-records-total")) {
                total += ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    private Candle storedBar(String store, String key, Instant bucketStart) {
        WindowStore<String, Candle> s = driver.getWindowStore(store);
        List<Candle> found = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Candle> it = s.fetch(key, key, bucketStart, bucketStart)) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
