package io.tickerplant.streams;

import io.tickerplant.model.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of the oracle-accuracy application ({@link AccuracyTopology}): the same as
 * {@link CandleApp}'s (exactly-once, bad input to the dead-letter topic, explicit names) under its own
 * {@link #APPLICATION_ID}, so that it has its own consumer group, state and internal topics and can be deployed,
 * reset and scaled apart from the candles.
 */
public final class AccuracyApp {
    private AccuracyApp() {
    }

    /** Consumer group, prefix of internal topics, and state directory name. */
    public static final String APPLICATION_ID = "tickerplant-accuracy";

    /** @param stateDir the directory holding the state stores, e.g. {@code DATA/streams} (shared with candles is fine) */
    public static Properties properties(String bootstrapServers, Path stateDir, Topics topics) {
        Properties p = CandleApp.properties(bootstrapServers, stateDir, topics);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        return p;
    }
}
