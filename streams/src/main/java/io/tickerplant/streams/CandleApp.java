package io.tickerplant.streams;

import io.tickerplant.model.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The Kafka Streams configuration of the candles application ({@link CandleTopology}); whoever runs it (the
 * embedded platform, a standalone instance, a test) starts {@code new KafkaStreams(topology, properties(...))}.
 * Any number of instances with the same {@link #APPLICATION_ID} share the work.
 */
public final class CandleApp {
    private CandleApp() {
    }

    /** Consumer group, prefix of internal topics, and state directory name. */
    public static final String APPLICATION_ID = "tickerplant-candles";
    /**
     * How often state is committed, and so how often live bars are published at most per bar (the store cache
     * coalesces changes in between): short enough for a live chart, long enough to keep transactions few.
     */
    public static final long COMMIT_INTERVAL_MS = 200;

    /**
     * Exactly-once ({@code exactly_once_v2}): a trade counts once in each bar, across crashes and rebalances, and
     * downstream read_committed consumers never see a bar from an aborted attempt. One stream thread per instance:
     * scale out with instances. Input that cannot be decoded, and a trade the aggregation fails on, is logged and
     * sent to the dead-letter topic instead of stopping the application.
     *
     * @param stateDir the directory holding the state stores (RocksDB), e.g. {@code DATA/streams}
     */
    public static Properties properties(String bootstrapServers, Path stateDir, Topics topics) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // Store and topic names must not depend on the order of operators: a change of the topology would
        // otherwise orphan the state behind a generated name.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        // The default from Kafka 5.0; set now so that the behaviour does not change under us.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters());
        return p;
    }
}
