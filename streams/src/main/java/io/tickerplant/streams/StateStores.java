package io.tickerplant.streams;

import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Where {@link LiveState} finds the stores of one Streams application, read-only and keyed by strings: a running
 * {@link KafkaStreams} ({@link #of}), or in tests a {@code TopologyTestDriver} ({@code driver::getWindowStore} and
 * {@code driver::getKeyValueStore} fit the two methods).
 *
 * <p>Either method may throw {@link org.apache.kafka.streams.errors.InvalidStateStoreException} (or, for an
 * application that is not running, {@link IllegalStateException}); {@link LiveState} turns both into
 * {@link LiveStateUnavailableException}.
 */
public interface StateStores {

    /** The window store of that name, e.g. {@code candles-venue-1m}. */
    <V> ReadOnlyWindowStore<String, V> windowStore(String name);

    /** The key-value store of that name, e.g. {@code bbo-latest}. */
    <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name);

    /**
     * The local stores of a running application, through {@link KafkaStreams#store}: the active tasks of this
     * instance only, so each instance of a scaled-out application answers for the partitions it processes.
     *
     * @param streams asked at every query, so that a replaced or restarted instance is picked up; may throw
     *                {@link IllegalStateException} while there is none
     */
    static StateStores of(Supplier<KafkaStreams> streams) {
        return new StateStores() {
            @Override
            public <V> ReadOnlyWindowStore<String, V> windowStore(String name) {
                return streams.get().store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<String, V>windowStore()));
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name) {
                return streams.get().store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<String, V>keyValueStore()));
            }
        };
    }
}
