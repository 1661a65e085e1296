package io.tickerplant.streams;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.LiquidationStats;
import io.tickerplant.model.avro.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
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
 * Liquidation statistics per symbol per minute across venues: count, quantity and notional of long and of short
 * liquidations, on event-time tumbling minutes with a grace period, published live and final like the candles
 * ({@link CandleTopology}).
 *
 * <p>Input: {@link Topics#liquidations()}, key {@code VENUE:SYMBOL}, value {@link Liquidation}; windows follow the
 * liquidation's own event time. Output: {@link Topics#liquidationStats()}, key
 * {@code SYMBOL}, value {@link LiquidationStats}. A SELL liquidation order closes a long position and counts as a
 * long liquidation; BUY closes a short; an UNKNOWN side is not counted (no venue we know sends one).
 *
 * <p>State: the window store {@value #STORE} (stats by symbol, kept for the minute plus grace), its suppression
 * buffer {@value #FINAL_BUFFER}, and the repartition topic {@value #BY_SYMBOL} that brings every venue's
 * liquidations of a symbol together.
 */
public final class LiquidationStatsTopology {
    private LiquidationStatsTopology() {
    }

    /** The bucket length. */
    public static final Duration BUCKET = Duration.ofMinutes(1);
    /** Window store of the per-minute stats by symbol. */
    public static final String STORE = "liquidation-stats-1m";
    /** Suppression buffer holding each minute until it closes. */
    public static final String FINAL_BUFFER = STORE + "-final";
    /** Repartition topic re-keying liquidations by symbol. */
    public static final String BY_SYMBOL = "liquidations-by-symbol";

    /** @param grace how long after a minute's end (in event time) late liquidations still correct it */
    public static Topology buildTopology(Topics topics, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        Serde<String> keys = Serdes.String();
        Serde<Liquidation> liquidations = AvroSerdes.serde(Liquidation.class);
        Serde<LiquidationStats> stats = AvroSerdes.serde(LiquidationStats.class);
        StreamsBuilder builder = new StreamsBuilder();
        KTable<Windowed<String>, LiquidationStats> minutes = builder
                .stream(topics.liquidations(), Consumed.with(keys, liquidations).withName("liquidations")
                        // The venue's event time, whatever timestamp the producer put on the record.
                        .withTimestampExtractor((r, partitionTime) -> r.value() instanceof Liquidation l
                                ? l.getEventTime().toEpochMilli() : r.timestamp()))
                .filter((k, l) -> l != null && l.getSide() != Side.UNKNOWN, Named.as("liquidations-with-side"))
                .selectKey((k, l) -> l.getSymbol(), Named.as("key-liquidations-by-symbol"))
                .repartition(Repartitioned.<String, Liquidation>as(BY_SYMBOL).withKeySerde(keys)
                        .withValueSerde(liquidations))
                .groupByKey(Grouped.with(STORE, keys, liquidations))
                .windowedBy(TimeWindows.ofSizeAndGrace(BUCKET, grace))
                .aggregate(() -> null, (symbol, l, s) -> add(s, l), Named.as(STORE),
                        Materialized.<String, LiquidationStats, WindowStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(keys).withValueSerde(stats));
        minutes.toStream(Named.as(STORE + "-live"))
                .filter((w, s) -> s != null, Named.as(STORE + "-live-present"))
                .map((w, s) -> publish(w, s, false), Named.as(STORE + "-live-publish"))
                .to(topics.liquidationStats(), Produced.with(keys, stats).withName(STORE + "-live-out"));
        minutes.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(FINAL_BUFFER))
                .toStream(Named.as(STORE + "-closed"))
                .filter((w, s) -> s != null, Named.as(STORE + "-closed-present"))
                .map((w, s) -> publish(w, s, true), Named.as(STORE + "-closed-publish"))
                .to(topics.liquidationStats(), Produced.with(keys, stats).withName(STORE + "-closed-out"));
        return builder.build();
    }

    /** The stats with one more liquidation; {@code s} is null for the first of a minute and is never modified. */
    static LiquidationStats add(LiquidationStats s, Liquidation l) {
        Decimal zero = Decimals.of(0, 0);
        LiquidationStats out = s == null
                ? LiquidationStats.newBuilder().setSymbol(l.getSymbol()).setBucketStart(Instant.EPOCH)
                        .setBucketEnd(Instant.EPOCH).setLongCount(0).setLongQuantity(zero).setLongNotional(zero)
                        .setShortCount(0).setShortQuantity(zero).setShortNotional(zero).setVenues(List.of())
                        .setFinalBar(false).setUpdateTime(Instant.EPOCH).build()
                : LiquidationStats.newBuilder(s).build();
        Decimal notional = CandleMath.multiply(l.getPrice(), l.getQuantity());
        if (l.getSide() == Side.SELL) {
            out.setLongCount(out.getLongCount() + 1);
            out.setLongQuantity(CandleMath.add(out.getLongQuantity(), l.getQuantity()));
            out.setLongNotional(CandleMath.add(out.getLongNotional(), notional));
        } else {
            out.setShortCount(out.getShortCount() + 1);
            out.setShortQuantity(CandleMath.add(out.getShortQuantity(), l.getQuantity()));
            out.setShortNotional(CandleMath.add(out.getShortNotional(), notional));
        }
        if (!out.getVenues().contains(l.getVenue())) {
            List<String> venues = new ArrayList<>(out.getVenues());
            venues.add(l.getVenue());
            venues.sort(null);
            out.setVenues(venues);
        }
        return out;
    }

    private static KeyValue<String, LiquidationStats> publish(Windowed<String> w, LiquidationStats s,
                                                              boolean finalBar) {
        LiquidationStats out = LiquidationStats.newBuilder(s)
                .setBucketStart(Instant.ofEpochMilli(w.window().start()))
                .setBucketEnd(Instant.ofEpochMilli(w.window().end()))
                .setFinalBar(finalBar)
                .setUpdateTime(Micros.toInstant(Micros.now()))
                .build();
        return KeyValue.pair(out.getSymbol(), out);
    }
}
