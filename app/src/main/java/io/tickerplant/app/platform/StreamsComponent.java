package io.tickerplant.app.platform;

import io.tickerplant.streams.LiveState;
import io.tickerplant.streams.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's Kafka Streams applications (candles, consolidated BBO and index, oracle accuracy), each with its
 * own application id, on whichever cluster {@link KafkaComponent} points at, with state under {@code DATA/streams}.
 * Start returns at once: a first rebalance takes seconds, and the components after this one need not wait for it;
 * {@link #runningCheck()} is where the platform waits. Close leaves the groups at once, so that a restart does not
 * wait out the session timeout (~45 s) for the old members to expire.
 */
public final class StreamsComponent implements Component {

    /** The name of the candles application ({@code CandleTopology}), as {@link #liveState} looks it up. */
    public static final String CANDLES = "candles";
    /** The name of the BBO and index application ({@code BboTopology}), as {@link #liveState} looks it up. */
    public static final String BBO = "bbo";

    private static final Logger log = LoggerFactory.getLogger(StreamsComponent.class);
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * One Streams application.
     *
     * @param name what logs and errors call it, e.g. {@code candles}
     * @param topology its topology
     * @param properties its settings from (bootstrap servers, state directory)
     */
    public record App(String name, Topology topology, BiFunction<String, Path, Properties> properties) {
    }

    private final Supplier<String> bootstrapServers;
    private final Path stateDir;
    private final List<App> apps;
    private final List<Running> running = new ArrayList<>();

    private static final class Running {
        final App app;
        final KafkaStreams streams;
        final CountDownLatch settled = new CountDownLatch(1);
        final AtomicReference<KafkaStreams.State> outcome = new AtomicReference<>();

        Running(App app, KafkaStreams streams) {
            this.app = app;
            this.streams = streams;
        }
    }

    public StreamsComponent(Supplier<String> bootstrapServers, Path stateDir, List<App> apps) {
        this.bootstrapServers = bootstrapServers;
        this.stateDir = stateDir;
        this.apps = List.copyOf(apps);
    }

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public void start() {
        for (App app : apps) {
            KafkaStreams s = new KafkaStreams(app.topology(), app.properties().apply(bootstrapServers.get(), stateDir));
            Running r = new Running(app, s);
            s.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING || !now.isRunningOrRebalancing()) {
                    r.outcome.compareAndSet(null, now);
                    r.settled.countDown();
                }
            });
            // A failed thread (the broker gone for longer than the clients retry, a fenced producer) is replaced:
            // its tasks resume from the last commit, which exactly-once makes safe. Bad input never gets here; the
            // exception handlers send it to the dead-letter topic.
            s.setUncaughtExceptionHandler(e -> {
                log.error("{} stream thread failed; replacing it", app.name(), e);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            synchronized (running) {
                running.add(r);
            }
            s.start();
        }
    }

    /** Waits until every application runs; fails naming the one that does not and what to check. */
    public void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        for (Running r : snapshot()) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!r.settled.await(left, TimeUnit.NANOSECONDS) || r.outcome.get() != KafkaStreams.State.RUNNING) {
                throw new IllegalStateException("the " + r.app.name() + " stream application is "
                        + r.streams.state() + ", not RUNNING, after " + RUNNING_TIMEOUT.toSeconds()
                        + " s: check that Kafka answers at " + bootstrapServers.get()
                        + " and that the platform topics exist");
            }
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
                // StreamsComponent itself closes the applications.
            }
        };
    }

    /** A running application by name, for interactive queries of its stores; only valid once started. */
    public KafkaStreams streams(String appName) {
        return snapshot().stream().filter(r -> r.app.name().equals(appName)).map(r -> r.streams).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running stream application " + appName));
    }

    /**
     * Interactive queries of the {@link #CANDLES} and {@link #BBO} applications' stores. Usable before the start:
     * each query looks the applications up, and answers "unavailable" while they are not running.
     *
     * @param candleIntervals the intervals the candles application was built with
     */
    public LiveState liveState(List<Duration> candleIntervals) {
        return LiveState.of(StateStores.of(() -> streams(CANDLES)), candleIntervals,
                StateStores.of(() -> streams(BBO)));
    }

    private List<Running> snapshot() {
        synchronized (running) {
            return List.copyOf(running);
        }
    }

    @Override
    public void close() {
        List<Running> all = snapshot();
        synchronized (running) {
            running.clear();
        }
        for (Running r : all) {
            boolean closed = r.streams.close(CloseOptions
                    .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            if (!closed) {
                log.warn("the {} stream application did not stop within {} s", r.app.name(), CLOSE_TIMEOUT.toSeconds());
            }
        }
    }
}
