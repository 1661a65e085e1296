package io.tickerplant.streams;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.IndexPrice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** {@link LiveState} over the stores of the candles and BBO applications. */
final class StoreLiveState implements LiveState {
    /** The latest time a window store is asked about: its newest window, whatever the clock says. */
    private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final StateStores candles;
    private final StateStores bbo;
    private final Map<String, Duration> intervals = new LinkedHashMap<>();
    private final Clock clock;

    StoreLiveState(StateStores candles, List<Duration> candleIntervals, StateStores bbo, Clock clock) {
        this.candles = candles;
        this.bbo = bbo;
        this.clock = clock;
        candleIntervals.forEach(d -> intervals.put(CandleTopology.label(d), d));
    }

    @Override
    public Optional<Candle> latestCandle(String venue, String symbol, String interval) {
        Duration length = intervals.get(interval);
        if (length == null) {
            throw new IllegalArgumentException("'" + interval + "' is not a candle interval of this platform: "
                    + String.join(", ", intervals.keySet()));
        }
        boolean all = CandleTopology.ALL_VENUES.equals(venue);
        String store = CandleTopology.storeName(all ? CandleTopology.Scope.ALL : CandleTopology.Scope.VENUE, length);
        String key = all ? symbol : venue + ":" + symbol;
        Instant from = clock.instant().minus(LiveState.LOOK_BACK).minus(length);
        return query(store, () -> {
            ReadOnlyWindowStore<String, Candle> windows = candles.windowStore(store);
            // Newest window first: the first one present is the answer.
            try (WindowStoreIterator<Candle> it = windows.backwardFetch(key, from, END_OF_TIME)) {
                while (it.hasNext()) {
                    KeyValue<Long, Candle> w = it.next();
                    if (w.value != null) {
                        return Optional.of(asPublished(w.value, w.key, length));
                    }
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public Optional<Bbo> latestBbo(String symbol) {
        return latest(BboTopology.LATEST_BBO_STORE, symbol);
    }

    @Override
    public Optional<IndexPrice> latestIndex(String symbol) {
        return latest(BboTopology.LATEST_INDEX_STORE, symbol);
    }

    @Override
    public List<String> candleIntervals() {
        return List.copyOf(intervals.keySet());
    }

    private <V> Optional<V> latest(String store, String symbol) {
        return query(store, () -> {
            ReadOnlyKeyValueStore<String, V> values = bbo.keyValueStore(store);
            return Optional.ofNullable(values.get(symbol));
        });
    }

    /** The stored aggregate with what {@link CandleTopology} adds when it publishes a live bar. */
    private Candle asPublished(Candle state, long windowStartMs, Duration length) {
        return Candle.newBuilder(state)
                .setBucketStart(Instant.ofEpochMilli(windowStartMs))
                .setBucketEnd(Instant.ofEpochMilli(windowStartMs + length.toMillis()))
                .setVwap(CandleMath.vwap(state))
                .setFinalBar(false)
                .setUpdateTime(Micros.toInstant(Micros.now()))
                .build();
    }

    /**
     * Runs a store query, turning "the stores cannot answer now" into {@link LiveStateUnavailableException}: a
     * store that is migrating or restoring ({@link InvalidStateStoreException}, also thrown while iterating), or an
     * application that is not running ({@link IllegalStateException} from {@code KafkaStreams.store}).
     */
    private static <T> T query(String store, Supplier<T> q) {
        try {
            return q.get();
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new LiveStateUnavailableException("the state store " + store + " cannot be queried now ("
                    + e.getMessage() + "); try again shortly", e);
        }
    }
}
