package io.tickerplant.streams;

import io.tickerplant.model.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of the liquidation statistics application ({@link LiquidationStatsTopology}):
 * the same settings as {@link CandleApp} (exactly-once, explicit internal names, bad input to the dead-letter topic) under its own
 * application id, so that it runs, scales and restores its state independently of the candles and BBO.
 */
public final class LiquidationStatsApp {
    private LiquidationStatsApp() {
    }

    /** Consumer group, prefix of internal topics, and state directory name. */
    public static final String APPLICATION_ID = "tickerplant-liquidations";
    /**
     * How often state is committed, which bounds how late a live minute reaches tp.liquidation-stats; liquidations
     * are rare next to trades, so a second costs nothing in transactions and is quick enough for a chart.
     */
    public static final long COMMIT_INTERVAL_MS = 1000;

    /**
     * @param stateDir the directory holding the state stores (RocksDB), e.g. {@code DATA/streams}; the application
     *                 id keeps them apart from the candles'
     */
    public static Properties properties(String bootstrapServers, Path stateDir, Topics topics) {
        Properties p = CandleApp.properties(bootstrapServers, stateDir, topics);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        return p;
    }
}
