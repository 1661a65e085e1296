package io.tickerplant.app.platform;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft process that is both broker and controller, listening
 * on 127.0.0.1.
 *
 * <p>Its data lives in one directory. The first start formats it (a new cluster id, kept in
 * {@code meta.properties}); later starts find it formatted and resume with the same topics, offsets and
 * records. The controller's quorum is static ({@code controller.quorum.voters}), which is what lets the
 * controller port change from one start to the next: a dynamic quorum would have written the port into the
 * metadata log at format time.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(dataDir.resolve("kafka")).port(0).start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The only node: with a static quorum, the id is part of the storage format and must never change. */
    public static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final boolean formatted;
    private final Duration startupTime;
    private final DirectoryLock lock;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        long t0 = System.nanoTime();
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.port = Ports.resolve(builder.port, builder.portSetting);
        this.controllerPort = Ports.freePort();
        this.lock = DirectoryLock.acquire(dataDir);
        KafkaRaftServer raftServer = null;
        try {
            String existing = readClusterId(dataDir);
            this.formatted = existing == null;
            this.clusterId = existing != null ? existing : format(dataDir);

            KafkaConfig config = new KafkaConfig(brokerProperties(builder.overrides), false);
            raftServer = new KafkaRaftServer(config, Time.SYSTEM);
            // Returns once the broker is registered and unfenced, i.e. ready for clients.
            raftServer.startup();
        } catch (RuntimeException | Error e) {
            if (raftServer != null) {
                shutdownQuietly(raftServer);
            }
            lock.close();
            throw e;
        }
        this.server = raftServer;
        this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Kafka broker ready on {} in {} ms ({} cluster {}, data {})", bootstrapServers(),
                startupTime.toMillis(), formatted ? "new" : "existing", clusterId, dataDir);
    }

    /** Starts describing a broker whose storage is {@code dataDir} (created if missing). */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    /** The client port actually bound (a free one when 0 was asked for). */
    public int port() {
        return port;
    }

    /** The cluster id, kept in {@code meta.properties} across restarts. */
    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** True when this start formatted the directory (a brand-new cluster), false when it resumed one. */
    public boolean freshlyFormatted() {
        return formatted;
    }

    /** From the call to {@link Builder#start()} until the broker accepted clients. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Shuts the broker down cleanly (controlled shutdown, logs flushed, clean-shutdown marker written) so the
     * next start skips log recovery. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        shutdownQuietly(server);
        server = null;
        lock.close();
        log.info("Kafka broker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka broker did not shut down cleanly", e);
        }
    }

    private Map<String, String> brokerProperties(Map<String, String> overrides) {
        String dir = dataDir.toString();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + Ports.LOOPBACK + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + Ports.LOOPBACK + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + Ports.LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + Ports.LOOPBACK + ":" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dir);
        p.put("metadata.log.dir", dir);

        // One node: every internal topic has exactly one replica, and few partitions, since each partition
        // costs open files, memory-mapped indexes and recovery time on a laptop.
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        // No other members will join: the default 3 s wait before the first rebalance is pure latency.
        p.put("group.initial.rebalance.delay.ms", "0");

        // Small segments and indexes: less disk preallocated per partition, and retention can actually free
        // space on a laptop (it only ever deletes whole, closed segments).
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        // The cleaner (compacted __consumer_offsets) allocates its dedupe buffer up front: 128 MiB by default.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        // Thread pools sized for a handful of local clients rather than a production machine.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.replica.fetchers", "1");
        p.put("num.recovery.threads.per.data.dir", "2");
        // Controlled shutdown stays on although there is no one to hand leadership to: it is how the controller
        // learns the broker left. Without it the next start finds the old registration still alive and waits
        // out its session (DUPLICATE_BROKER_REGISTRATION, 9 s by default). After a crash that wait cannot be
        // avoided, so the session is short: an in-process broker has no network between it and its controller.
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "4000");
        p.put("auto.leader.rebalance.enable", "false");

        p.putAll(overrides);
        return p;
    }

    private String format(Path dir) {
        String newClusterId = Uuid.randomUuid().toString();
        // The formatter reports on a PrintStream; keep it out of the console and show it only at debug level.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(newClusterId)
                    .setDirectories(java.util.List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
        log.debug("formatted {}: {}", dir, out.toString(StandardCharsets.UTF_8).trim());
        return newClusterId;
    }

    /**
     * The cluster id of a formatted directory, or null. The formatter writes {@code meta.properties} last,
     * after the bootstrap metadata, so its presence means formatting completed.
     */
    static String readClusterId(Path dir) {
        Path meta = dir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        String nodeId = props.getProperty("node.id");
        if (nodeId != null && !nodeId.equals(Integer.toString(NODE_ID))) {
            throw new IllegalStateException(meta + " belongs to node " + nodeId + ", not the embedded broker's node "
                    + NODE_ID + ": point data.dir at another directory");
        }
        String id = props.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id: delete " + dir + " to start a new cluster");
        }
        return id;
    }

    /** Describes the broker to start. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private String portSetting = "kafka.port (--kafka-port)";
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** How the user changes the port, quoted when it is busy; defaults to the platform's setting. */
        public Builder portSetting(String setting) {
            this.portSetting = Objects.requireNonNull(setting, "setting");
            return this;
        }

        /** Any broker property, applied over the laptop defaults (e.g. {@code log.retention.hours}). */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Formats the directory if needed and starts the broker; returns once it accepts clients. */
        public EmbeddedKafkaBroker start() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
