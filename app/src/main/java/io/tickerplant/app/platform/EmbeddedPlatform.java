package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The whole platform as an ordered list of {@link Component}s: started in the order added, closed in reverse.
 *
 * <p>{@link #standard(PlatformConfig)} holds Kafka (embedded or external), the platform topics and Kafka
 * Connect (embedded or external). More components (PostgreSQL, the emulators, the connectors, the web server)
 * are {@link #add added} after it and may use the earlier ones:
 *
 * <pre>{@code
 * EmbeddedPlatform platform = EmbeddedPlatform.standard(config);
 * PostgresComponent db = platform.add(new PostgresComponent(config));
 * platform.add(new ConnectorsComponent(platform.connect()::client, db::jdbcUrl));
 * platform.closeOnShutdown();
 * platform.start();
 * System.out.println(platform.readyLine());
 * platform.awaitClosed();
 * }</pre>
 *
 * <p>If a component fails to start, those already started are closed (in reverse) and {@link #start()}
 * throws a {@link StartException} naming the component. {@link #close()} may be called from another thread
 * (the shutdown hook) while {@link #start()} runs: it waits for the component being started, then closes, and
 * {@link #start()} throws a {@link StartException#cancelled() cancelled} StartException.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatform.class);
    /** How long the shutdown hook waits for {@link #close()} before halting the JVM. */
    static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(30);

    private final PlatformConfig config;
    private final List<Component> components = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    private final Object lock = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closeRequested;
    private boolean startCalled;
    private Duration startupTime;

    /** An empty platform: add components, then start. */
    public EmbeddedPlatform(PlatformConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Kafka, the platform topics and Kafka Connect, each embedded or external as configured. */
    public static EmbeddedPlatform standard(PlatformConfig config) {
        EmbeddedPlatform platform = new EmbeddedPlatform(config);
        KafkaComponent kafka = platform.add(KafkaComponent.from(config));
        platform.add(TopicsComponent.from(config, kafka));
        platform.add(ConnectComponent.from(config, kafka));
        return platform;
    }

    public PlatformConfig config() {
        return config;
    }

    /** Appends a component: it starts after, and closes before, those already added. */
    public <C extends Component> C add(C component) {
        Objects.requireNonNull(component, "component");
        synchronized (lock) {
            if (startCalled) {
                throw new IllegalStateException("cannot add " + component.name() + ": the platform has started");
            }
            components.add(component);
        }
        return component;
    }

    /** The components, in start order. */
    public List<Component> components() {
        synchronized (lock) {
            return List.copyOf(components);
        }
    }

    /** The first component of this type, if any. */
    public <C extends Component> Optional<C> find(Class<C> type) {
        return components().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The Kafka component ({@link #standard} adds it). */
    public KafkaComponent kafka() {
        return find(KafkaComponent.class).orElseThrow(() -> new IllegalStateException("no kafka component"));
    }

    /** The Connect component ({@link #standard} adds it). */
    public ConnectComponent connect() {
        return find(ConnectComponent.class).orElseThrow(() -> new IllegalStateException("no connect component"));
    }

    /**
     * Starts every component in order, logging how long each took.
     *
     * @throws StartException when one fails (the others are closed by then), or when {@link #close()} was
     *                        called meanwhile
     */
    public void start() {
        List<Component> toStart;
        synchronized (lock) {
            if (startCalled) {
                throw new IllegalStateException("the platform was already started");
            }
            startCalled = true;
            toStart = List.copyOf(components);
        }
        long t0 = System.nanoTime();
        for (Component component : toStart) {
            // Held during each start so that close() waits for a half-started component instead of racing it.
            synchronized (lock) {
                if (closeRequested) {
                    throw new StartException(component.name(), "start cancelled before " + component.name(), null,
                            true);
                }
                long c0 = System.nanoTime();
                try {
                    component.start();
                } catch (Throwable e) {
                    // Throwable: a library's static initializer failing (ExceptionInInitializerError) is a start
                    // failure like any other, and what started before it must still be closed.
                    log.debug("{} failed to start", component.name(), e);
                    closeStarted();
                    if (closeRequested) {
                        // Ctrl-C during a start makes components fail in odd ways (no shutdown hooks allowed...):
                        // that is the cancellation, not a failure to report.
                        throw new StartException(component.name(), "start cancelled during " + component.name(), e,
                                true);
                    }
                    throw new StartException(component.name(), component.name() + " failed to start: "
                            + describe(e), e, false);
                }
                started.add(component);
                log.info("{} started in {}{}", component.name(), seconds(Duration.ofNanos(System.nanoTime() - c0)),
                        component.endpoint().map(e -> " (" + e + ")").orElse(""));
            }
        }
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** How long {@link #start()} took; null before it returns. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * One line for the console, e.g. {@code tickerplant ready in 6.1 s — kafka 127.0.0.1:9092 · connect
     * http://127.0.0.1:8083}: every component with an endpoint, in start order.
     */
    public String readyLine() {
        StringBuilder line = new StringBuilder("tickerplant ready in ").append(seconds(startupTime));
        String sep = " — ";
        for (Component component : List.copyOf(started)) {
            Optional<String> endpoint = component.endpoint();
            if (endpoint.isPresent()) {
                line.append(sep).append(component.name()).append(' ').append(endpoint.get());
                sep = " · ";
            }
        }
        return line.toString();
    }

    /**
     * Closes the started components in reverse order. A component that fails to close is logged and the
     * others are still closed. Idempotent and safe to call from a shutdown hook.
     */
    @Override
    public void close() {
        closeRequested = true;
        synchronized (lock) {
            closeStarted();
        }
        closed.countDown();
    }

    /** Blocks until {@link #close()} has completed, e.g. the main thread of {@code tickerplant up}. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Registers a JVM shutdown hook that closes the platform (Ctrl-C, SIGTERM), so the broker writes its clean
     * shutdown marker and Connect commits its offsets before the process exits.
     *
     * @param after run once the platform is closed, e.g. to flush and stop logging
     */
    public Thread closeOnShutdown(Runnable after) {
        Thread hook = new Thread(() -> {
            // A component stuck in close would leave the process unkillable short of kill -9: a bounded wait,
            // then halt. Unclean, but the broker recovers its log and Connect re-reads from its last offsets.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_LIMIT.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("tickerplant: shutdown did not finish within " + SHUTDOWN_LIMIT.toSeconds()
                        + " s, halting");
                Runtime.getRuntime().halt(1);
            }, "tickerplant-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            if (closed.getCount() > 0) {
                log.info("shutting down");
            }
            close();
            after.run();
            watchdog.interrupt();
        }, "tickerplant-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private void closeStarted() {
        if (started.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        for (int i = started.size() - 1; i >= 0; i--) {
            Component component = started.get(i);
            try {
                component.close();
            } catch (Exception e) {
                log.warn("{} did not close cleanly: {}", component.name(), describe(e), e);
            }
        }
        started.clear();
        log.info("tickerplant stopped in {}", seconds(Duration.ofNanos(System.nanoTime() - t0)));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * A component did not start, or the start was cancelled by {@link #close()}; the message says which and why,
     * and is meant for the user.
     */
    public static final class StartException extends RuntimeException {
        private final String component;
        private final boolean cancelled;

        public StartException(String component, String message, Throwable cause, boolean cancelled) {
            super(message, cause);
            this.component = component;
            this.cancelled = cancelled;
        }

        /** The name of the component that failed or was about to start. */
        public String component() {
            return component;
        }

        /** True when {@link #close()} (Ctrl-C) stopped the start: nothing to report as an error. */
        public boolean cancelled() {
            return cancelled;
        }
    }
}
