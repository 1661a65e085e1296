package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.model.Topics;
import io.tickerplant.streams.CandleApp;
import io.tickerplant.streams.CandleTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams application computing candles ({@link CandleTopology}) on whichever cluster
 * {@link KafkaComponent} points at, embedded or external, with its state under {@code DATA/streams}. Start returns
 * once the application is RUNNING (it has joined its group and owns its tasks); close leaves the group at once, so
 * that a restart does not wait out the session timeout (~45 s) for the old member to expire.
 */
public final class StreamsComponent implements Component {

    private static final Logger log = LoggerFactory.getLogger(StreamsComponent.class);
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    private final Supplier<String> bootstrapServers;
    private final Path stateDir;
    private final Topics topics;
    private final List<Duration> intervals;
    private final Duration grace;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final AtomicReference<KafkaStreams.State> outcome = new AtomicReference<>();
    private volatile KafkaStreams streams;

    public StreamsComponent(Supplier<String> bootstrapServers, Path stateDir, Topics topics, List<Duration> intervals,
            Duration grace) {
        this.bootstrapServers = bootstrapServers;
        this.stateDir = stateDir;
        this.topics = topics;
        this.intervals = List.copyOf(intervals);
        this.grace = grace;
    }

    /** Default intervals (1s, 1m, 5m, 1h) and grace, state in {@code <data.dir>/streams}. */
    public static StreamsComponent from(PlatformConfig config, KafkaComponent kafka) {
        return new StreamsComponent(kafka::bootstrapServers, config.dataDir().resolve("streams"), config.topics(),
                config.candleIntervals(), config.candleGrace());
    }

    @Override
    public String name() {
        return "streams";
    }

    /**
     * Starts the application and returns at once: its first rebalance takes seconds, and the components after it
     * (PostgreSQL, Connect) need not wait for it. {@link #runningCheck()} is where the platform waits.
     */
    @Override
    public void start() {
        KafkaStreams s = new KafkaStreams(CandleTopology.buildTopology(topics, intervals, grace),
                CandleApp.properties(bootstrapServers.get(), stateDir, topics));
        s.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING || !now.isRunningOrRebalancing()) {
                outcome.compareAndSet(null, now);
                settled.countDown();
            }
        });
        // A failed thread (the broker gone for longer than the clients retry, a fenced producer) is replaced: its
        // tasks resume from the last commit, which exactly-once makes safe. Bad input never gets here; the
        // exception handlers send it to the dead-letter topic.
        s.setUncaughtExceptionHandler(e -> {
            log.error("candles stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams = s;
        s.start();
    }

    /** Waits until the application runs; fails naming what to check when it does not. */
    public void awaitRunning() throws InterruptedException {
        if (!settled.await(RUNNING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                || outcome.get() != KafkaStreams.State.RUNNING) {
            KafkaStreams s = streams;
            throw new IllegalStateException("the candles stream application is " + (s == null ? "closed" : s.state())
                    + ", not RUNNING, after " + RUNNING_TIMEOUT.toSeconds() + " s: check that Kafka answers at "
                    + bootstrapServers.get() + " and that the topic " + topics.trades() + " exists");
        }
    }

    /** A component that only waits for {@link #awaitRunning()}: add it after the components that can start meanwhile. */
    public Component runningCheck() {
        return new Component() {
            @Override
            public String name() {
                return "streams (running)";
            }

            @Override
            public void start() throws InterruptedException {
                awaitRunning();
            }

            @Override
            public void close() {
                // StreamsComponent itself closes the application.
            }
        };
    }

    /** The running application, for interactive queries of the candle stores; only valid once started. */
    public KafkaStreams streams() {
        if (streams == null) {
            throw new IllegalStateException("the candles stream application is not started");
        }
        return streams;
    }

    @Override
    public void close() {
        KafkaStreams s = streams;
        streams = null;
        if (s != null) {
            boolean closed = s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            if (!closed) {
                log.warn("the candles stream application did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
            }
        }
    }
}
