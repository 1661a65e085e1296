package io.tickerplant.streams;

import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.IndexPrice;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The newest derived values per symbol, read straight from the Streams applications' state stores (interactive
 * queries): no round trip through Kafka and PostgreSQL, so what a caller sees is what the topology holds now, up to
 * one commit interval ahead of the topics (the stores include what is processed but not yet committed).
 *
 * <p>Where each answer comes from:
 * <ul>
 * <li>{@link #latestCandle}: the window store {@code candles-venue-<interval>} (key {@code VENUE:SYMBOL}) or
 * {@code candles-all-<interval>} (key {@code SYMBOL}) of {@link CandleTopology}; the window with the latest start;</li>
 * <li>{@link #latestBbo}, {@link #latestIndex}: the key-value stores {@link BboTopology#LATEST_BBO_STORE} and
 * {@link BboTopology#LATEST_INDEX_STORE} (key {@code SYMBOL}), which hold exactly what was last published to
 * {@code tp.bbo} and {@code tp.index}.</li>
 * </ul>
 * Every method throws {@link LiveStateUnavailableException} while the stores cannot answer (start, rebalance,
 * restore, shutdown). Only this instance's stores are read: with several instances of an application, each one
 * answers for the partitions it processes.
 */
public interface LiveState {

    /**
     * How far before the wall clock the latest bar may start and still be found. Window stores are scanned segment
     * by segment from a lower time bound, so the bound must be finite; a week covers an application catching up
     * on a backlog. Bars in the future (a simulated market running ahead) are always found.
     */
    Duration LOOK_BACK = Duration.ofDays(7);

    /**
     * The newest bar of a symbol, as it stands now: the bucket, VWAP and {@code updateTime} (the time of this query)
     * filled in as the candles topic would have them. {@code finalBar} is always false: a store does not know
     * whether the window has closed (the topic's final record says so).
     *
     * @param venue    a venue id, or {@link CandleTopology#ALL_VENUES} for the bar across venues
     * @param symbol   canonical, e.g. {@code BTC-USDT}
     * @param interval a label among {@link #candleIntervals()}, e.g. {@code 1m}
     * @return empty when no trade of the symbol reached a bar still in the store
     * @throws IllegalArgumentException for an interval the candles application does not compute
     */
    Optional<Candle> latestCandle(String venue, String symbol, String interval);

    /** The consolidated best bid and offer last published for the symbol; empty before its first. */
    Optional<Bbo> latestBbo(String symbol);

    /** The index price last published for the symbol; empty before its first. */
    Optional<IndexPrice> latestIndex(String symbol);

    /** The interval labels the candles application computes, in its order, e.g. {@code [1s, 1m, 5m, 1h]}. */
    List<String> candleIntervals();

    /**
     * @param candles         the stores of the candles application ({@link CandleTopology})
     * @param candleIntervals the intervals it was built with
     * @param bbo             the stores of the BBO and index application ({@link BboTopology})
     */
    static LiveState of(StateStores candles, List<Duration> candleIntervals, StateStores bbo) {
        return of(candles, candleIntervals, bbo, Clock.systemUTC());
    }

    /** As {@link #of(StateStores, List, StateStores)}, with the clock {@link #LOOK_BACK} counts from (tests). */
    static LiveState of(StateStores candles, List<Duration> candleIntervals, StateStores bbo, Clock clock) {
        return new StoreLiveState(candles, candleIntervals, bbo, clock);
    }
}
