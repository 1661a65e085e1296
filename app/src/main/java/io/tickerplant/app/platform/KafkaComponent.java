package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The Kafka cluster: the embedded broker, or an external cluster that must answer at start. */
public final class KafkaComponent implements Component {

    private static final Duration EXTERNAL_TIMEOUT = Duration.ofSeconds(15);

    private final String externalBootstrap;
    private final Path dataDir;
    private final int port;
    private EmbeddedKafkaBroker broker;

    private KafkaComponent(String externalBootstrap, Path dataDir, int port) {
        this.externalBootstrap = externalBootstrap;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Embedded unless {@code kafka.bootstrap.servers} is set. */
    public static KafkaComponent from(PlatformConfig config) {
        return config.kafkaBootstrapServers()
                .map(KafkaComponent::external)
                .orElseGet(() -> embedded(config.kafkaDataDir(), config.kafkaPort()));
    }

    public static KafkaComponent embedded(Path dataDir, int port) {
        return new KafkaComponent(null, dataDir, port);
    }

    public static KafkaComponent external(String bootstrapServers) {
        return new KafkaComponent(bootstrapServers, null, -1);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start() throws Exception {
        if (externalBootstrap == null) {
            broker = EmbeddedKafkaBroker.builder(dataDir)
                    .port(port)
                    .portSetting(PlatformConfig.settingHint(PlatformConfig.KAFKA_PORT))
                    .start();
            return;
        }
        int timeoutMs = (int) EXTERNAL_TIMEOUT.toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, externalBootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs))) {
            admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("no answer from Kafka at " + externalBootstrap + " within "
                    + EXTERNAL_TIMEOUT.toSeconds() + " s: check " + PlatformConfig.settingHint(
                    PlatformConfig.KAFKA_BOOTSTRAP_SERVERS), e);
        }
    }

    /** {@code host:port,...} for clients; only valid once started. */
    public String bootstrapServers() {
        if (externalBootstrap != null) {
            return externalBootstrap;
        }
        if (broker == null) {
            throw new IllegalStateException("the embedded Kafka broker is not started");
        }
        return broker.bootstrapServers();
    }

    public boolean embedded() {
        return externalBootstrap == null;
    }

    /** The embedded broker, when there is one and it runs. */
    public Optional<EmbeddedKafkaBroker> broker() {
        return Optional.ofNullable(broker);
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of(bootstrapServers() + (embedded() ? "" : " (external)"));
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
