package io.tickerplant.app.platform;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka Connect standalone worker in this JVM, with its standard REST API on 127.0.0.1.
 *
 * <p>Plugins are found through {@code META-INF/services} on the class path ({@code plugin.discovery=service_load}):
 * scanning the class path instead costs seconds and about 1 GB. Source offsets are kept in
 * {@code connect.offsets} under the given directory, so source connectors resume after a restart. Standalone
 * mode does not keep connector configurations: whoever starts the worker (re)creates its connectors with
 * {@link #createOrUpdateConnector(String, Map)} at every start.
 *
 * <p>The worker does not install Connect's own JVM shutdown hook: whoever owns it closes it, in order with
 * the broker it depends on (see {@code EmbeddedPlatform}).
 */
public final class EmbeddedConnectWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnectWorker.class);
    private static final String OFFSETS_FILE = "connect.offsets";
    // Exit's procedures are JVM-wide: two workers starting at once must not restore each other's.
    private static final Object EXIT_HOOKS_LOCK = new Object();

    private final Path dataDir;
    private final URI url;
    private final ConnectRestClient client;
    private final Duration startupTime;
    private final DirectoryLock lock;
    private Connect<?> connect;

    private EmbeddedConnectWorker(Builder builder) {
        long t0 = System.nanoTime();
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        // Port 0 goes to Jetty as is (no race); an explicit port is checked first for a clear message.
        int port = builder.port == 0 ? 0 : Ports.resolve(builder.port, builder.portSetting);
        // Two workers on one offsets file would overwrite each other's offsets.
        this.lock = DirectoryLock.acquire(dataDir);

        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", builder.bootstrapServers);
        props.put("listeners", "http://" + Ports.LOOPBACK + ":" + port);
        props.put("plugin.discovery", "service_load");
        props.put("offset.storage.file.filename", dataDir.resolve(OFFSETS_FILE).toString());
        // Offsets are flushed this often: after a crash a source re-reads at most this much.
        props.put("offset.flush.interval.ms", "1000");
        props.put("key.converter", ByteArrayConverter.class.getName());
        props.put("value.converter", ByteArrayConverter.class.getName());
        props.putAll(builder.overrides);

        Connect<?> started;
        try {
            started = startWithoutExitingTheJvm(props);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
        this.connect = started;
        this.url = stripTrailingSlash(started.rest().advertisedUrl());
        this.client = new ConnectRestClient(url);
        this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Kafka Connect worker ready on {} in {} ms (offsets {})", url, startupTime.toMillis(),
                offsetsFile());
    }

    /**
     * Starts describing a worker for the cluster at {@code bootstrapServers}, keeping its state in
     * {@code dataDir} (created if missing).
     */
    public static Builder builder(String bootstrapServers, Path dataDir) {
        return new Builder(bootstrapServers, dataDir);
    }

    /**
     * {@code ConnectStandalone} calls {@code Exit.exit} (System.exit) when the worker fails to start and
     * registers a JVM shutdown hook. Embedded, the first would kill the whole platform without a word and the
     * second would stop Connect concurrently with, and possibly after, the broker it needs. Both are redirected
     * for the duration of the start.
     */
    private static Connect<?> startWithoutExitingTheJvm(Map<String, String> props) {
        synchronized (EXIT_HOOKS_LOCK) {
            Exit.setExitProcedure((status, message) -> {
                throw new IllegalStateException("Kafka Connect worker failed to start (status " + status + ")"
                        + (message == null ? "" : ": " + message));
            });
            Exit.setShutdownHookAdder((name, runnable) -> {
                if (!"connect-shutdown-hook".equals(name)) {
                    Runtime.getRuntime().addShutdownHook(new Thread(runnable, name));
                }
            });
            try {
                return new ConnectStandalone().startConnect(props);
            } finally {
                Exit.resetExitProcedure();
                Exit.resetShutdownHookAdder();
            }
        }
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:8083}. */
    public URI url() {
        return url;
    }

    /** A REST client for this worker. */
    public ConnectRestClient client() {
        return client;
    }

    /** Where source offsets are kept across restarts. */
    public Path offsetsFile() {
        return dataDir.resolve(OFFSETS_FILE);
    }

    /** From the call to {@link Builder#start()} until the REST API answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** See {@link ConnectRestClient#createOrUpdateConnector(String, Map)}. */
    public boolean createOrUpdateConnector(String name, Map<String, String> config) {
        return client.createOrUpdateConnector(name, config);
    }

    /** See {@link ConnectRestClient#connectorStatus(String)}. */
    public ConnectorStatus connectorStatus(String name) {
        return client.connectorStatus(name);
    }

    /** See {@link ConnectRestClient#awaitRunning(String, Duration)}. */
    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        return client.awaitRunning(name, timeout);
    }

    /**
     * Stops the REST API, then every connector and task (source tasks commit their offsets, sink tasks their
     * consumer positions), and waits for it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (connect == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            connect.stop();
            connect.awaitStop();
        } catch (RuntimeException e) {
            log.warn("Kafka Connect worker did not stop cleanly", e);
        }
        connect = null;
        lock.close();
        log.info("Kafka Connect worker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** Describes the worker to start. */
    public static final class Builder {
        private final String bootstrapServers;
        private final Path dataDir;
        private int port = 8083;
        private String portSetting = "connect.port (--connect-port)";
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(String bootstrapServers, Path dataDir) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The REST port on 127.0.0.1 (default 8083); 0 picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** How the user changes the port, quoted when it is busy. */
        public Builder portSetting(String setting) {
            this.portSetting = Objects.requireNonNull(setting, "setting");
            return this;
        }

        /**
         * Any worker property, applied over the defaults: e.g. {@code value.converter} or
         * {@code producer.linger.ms}.
         */
        public Builder workerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Starts the worker; returns once its REST API answers. */
        public EmbeddedConnectWorker start() {
            return new EmbeddedConnectWorker(this);
        }
    }
}
