package io.tickerplant.streams;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Trade candles (OHLCV bars) per venue-symbol and per symbol across venues, for each configured interval, on
 * event-time tumbling windows aligned to the epoch (a 1h bar is a UTC hour).
 *
 * <p>Input: {@link Topics#trades()}, key {@code VENUE:SYMBOL}, value {@link Trade}; the event time is the trade's
 * own ({@link TradeTimestampExtractor}). Output: {@link Topics#candles()}, value {@link Candle}, key
 * {@code VENUE:SYMBOL:INTERVAL} for a venue's bar and {@code ALL:SYMBOL:INTERVAL} for the cross-venue bar (e.g.
 * {@code BINANCE:BTC-USDT:1m}, {@code ALL:BTC-USDT:1m}), so that every update of a bar lands on one partition, in
 * order.
 *
 * <p>Emission: every change of a bar is published with {@code finalBar = false} (live bars; the state-store cache
 * coalesces changes between commits, so a busy bar is published about once per commit interval, not per trade).
 * When stream time passes the bar's end plus the grace period, the same bar is published once more with
 * {@code finalBar = true}: a {@link Suppressed#untilWindowCloses suppress} on the same aggregation, so there is
 * one copy of each bar's state and the final record always follows the last live one. A trade that arrives late
 * but within grace updates its bar (a new live record for the same key and bucket); later than that, Streams drops
 * it and counts it in the task metric {@code dropped-records-total}. Readers keep the latest update per
 * {@code (venue, symbol, interval, bucketStart)}; {@code updateTime} orders them.
 *
 * <p>The cross-venue bars re-key trades by symbol through one repartition topic ({@link #BY_SYMBOL}); its stream
 * time follows the most advanced venue, so a venue lagging the others by more than the grace period loses trades
 * from the {@code ALL} bar (they still count in its own bar).
 *
 * <p>State stores, one pair per scope and interval, e.g. for 1m: {@code candles-venue-1m} and
 * {@code candles-all-1m} (window stores of {@link Candle} by {@code VENUE:SYMBOL} or {@code SYMBOL}, kept for the
 * interval plus grace), and their suppression buffers {@code candles-venue-1m-final}, {@code candles-all-1m-final};
 * see {@link #storeName} and {@link #finalBufferName}. Every store and internal topic is named explicitly, so the
 * names (and the changelogs behind them) survive topology changes.
 */
public final class CandleTopology {
    private CandleTopology() {
    }

    /** The venue of a bar over every venue. */
    public static final String ALL_VENUES = "ALL";
    /** 1s, 1m, 5m, 1h. */
    public static final List<Duration> DEFAULT_INTERVALS =
            List.of(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1));
    /** How long after a bar's end a late trade still corrects it. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Prefix of the window stores of the venue bars: {@code candles-venue-<interval>}. */
    public static final String VENUE_STORE_PREFIX = "candles-venue-";
    /** Prefix of the window stores of the cross-venue bars: {@code candles-all-<interval>}. */
    public static final String ALL_STORE_PREFIX = "candles-all-";
    /** Suffix of a window store's suppression buffer, which holds each bar until its window closes. */
    public static final String FINAL_BUFFER_SUFFIX = "-final";
    /** Name of the repartition topic that re-keys trades by symbol ({@code <application.id>-trades-by-symbol-repartition}). */
    public static final String BY_SYMBOL = "trades-by-symbol";

    /** Whose bars: one venue's, or every venue's together. */
    public enum Scope {
        VENUE(VENUE_STORE_PREFIX), ALL(ALL_STORE_PREFIX);

        private final String storePrefix;

        Scope(String storePrefix) {
            this.storePrefix = storePrefix;
        }
    }

    /** The topology with the default intervals and grace. */
    public static Topology buildTopology(Topics topics) {
        return buildTopology(topics, DEFAULT_INTERVALS, DEFAULT_GRACE);
    }

    /**
     * @param intervals bar lengths, whole milliseconds, each listed once
     * @param grace     how long after a bar's end (in event time) late trades still correct it
     */
    public static Topology buildTopology(Topics topics, List<Duration> intervals, Duration grace) {
        validate(intervals, grace);
        Serde<String> keys = Serdes.String();
        Serde<Trade> trades = AvroSerdes.serde(Trade.class);
        Serde<Candle> candles = AvroSerdes.serde(Candle.class);
        StreamsBuilder builder = new StreamsBuilder();

        KStream<String, Trade> byVenueSymbol = builder
                .stream(topics.trades(), Consumed.with(keys, trades)
                        .withTimestampExtractor(new TradeTimestampExtractor())
                        .withName("trades"))
                .filter((k, t) -> k != null && t != null, Named.as("trades-with-key-and-value"));
        KStream<String, Trade> bySymbol = byVenueSymbol
                .selectKey((k, t) -> t.getSymbol(), Named.as("key-by-symbol"))
                .repartition(Repartitioned.<String, Trade>as(BY_SYMBOL).withKeySerde(keys).withValueSerde(trades));

        for (Duration interval : intervals) {
            bars(byVenueSymbol, Scope.VENUE, interval, grace, topics, keys, trades, candles);
            bars(bySymbol, Scope.ALL, interval, grace, topics, keys, trades, candles);
        }
        return builder.build();
    }

    private static void bars(KStream<String, Trade> in, Scope scope, Duration interval, Duration grace, Topics topics,
            Serde<String> keys, Serde<Trade> trades, Serde<Candle> candles) {
        String label = label(interval);
        String store = storeName(scope, interval);
        KTable<Windowed<String>, Candle> bars = in
                .groupByKey(Grouped.with(store, keys, trades))
                .windowedBy(TimeWindows.ofSizeAndGrace(interval, grace))
                .aggregate(() -> null,
                        (key, t, bar) -> CandleMath.add(bar, t, scope == Scope.ALL ? ALL_VENUES : t.getVenue(), label),
                        Named.as(store),
                        Materialized.<String, Candle, WindowStore<Bytes, byte[]>>as(store)
                                .withKeySerde(keys).withValueSerde(candles));
        bars.toStream(Named.as(store + "-live"))
                .filter((w, bar) -> bar != null, Named.as(store + "-live-present"))
                .map((w, bar) -> publish(w, bar, false), Named.as(store + "-live-publish"))
                .to(topics.candles(), Produced.with(keys, candles).withName(store + "-live-out"));
        bars.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(finalBufferName(scope, interval)))
                .toStream(Named.as(store + "-closed"))
                .filter((w, bar) -> bar != null, Named.as(store + "-closed-present"))
                .map((w, bar) -> publish(w, bar, true), Named.as(store + "-closed-publish"))
                .to(topics.candles(), Produced.with(keys, candles).withName(store + "-closed-out"));
    }

    /** The bar as published: its bucket, VWAP, finality and update time filled in, keyed for the candles topic. */
    private static KeyValue<String, Candle> publish(Windowed<String> w, Candle state, boolean finalBar) {
        Candle c = Candle.newBuilder(state)
                .setBucketStart(Instant.ofEpochMilli(w.window().start()))
                .setBucketEnd(Instant.ofEpochMilli(w.window().end()))
                .setVwap(CandleMath.vwap(state))
                .setFinalBar(finalBar)
                .setUpdateTime(Micros.toInstant(Micros.now()))
                .build();
        return KeyValue.pair(key(c.getVenue(), c.getSymbol(), c.getInterval()), c);
    }

    /** The candles topic's key: {@code VENUE:SYMBOL:INTERVAL}, or {@code ALL:SYMBOL:INTERVAL}. */
    public static String key(String venue, String symbol, String interval) {
        return venue + ":" + symbol + ":" + interval;
    }

    /** The window store of one scope and interval: {@code candles-venue-1m}, {@code candles-all-1h}. */
    public static String storeName(Scope scope, Duration interval) {
        return scope.storePrefix + label(interval);
    }

    /** The suppression buffer that holds the bars of {@link #storeName} until their window closes. */
    public static String finalBufferName(Scope scope, Duration interval) {
        return storeName(scope, interval) + FINAL_BUFFER_SUFFIX;
    }

    /** {@code 1s}, {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}; {@code 250ms} for what is not whole seconds. */
    public static String label(Duration interval) {
        long ms = interval.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    private static void validate(List<Duration> intervals, Duration grace) {
        if (intervals.isEmpty()) {
            throw new IllegalArgumentException("at least one candle interval is needed");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        for (Duration d : intervals) {
            if (d.isNegative() || d.isZero() || d.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException("candle interval " + d
                        + " must be a positive whole number of milliseconds");
            }
        }
        if (intervals.stream().map(CandleTopology::label).distinct().count() != intervals.size()) {
            throw new IllegalArgumentException("candle intervals are listed more than once: " + intervals);
        }
    }
}
