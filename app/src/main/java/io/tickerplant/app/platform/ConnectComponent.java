package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Kafka Connect: the embedded standalone worker, or an external Connect cluster whose REST API must answer
 * at start. Either way, {@link #client()} is how later components create their connectors.
 */
public final class ConnectComponent implements Component {

    private final URI externalUrl;
    private final Supplier<String> bootstrapServers;
    private final Path dataDir;
    private final int port;
    private EmbeddedConnectWorker worker;
    private ConnectRestClient client;

    private ConnectComponent(URI externalUrl, Supplier<String> bootstrapServers, Path dataDir, int port) {
        this.externalUrl = externalUrl;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Embedded unless {@code connect.url} is set. */
    public static ConnectComponent from(PlatformConfig config, KafkaComponent kafka) {
        return config.connectUrl()
                .map(ConnectComponent::external)
                .orElseGet(() -> embedded(kafka::bootstrapServers, config.connectDataDir(), config.connectPort()));
    }

    public static ConnectComponent embedded(Supplier<String> bootstrapServers, Path dataDir, int port) {
        return new ConnectComponent(null, bootstrapServers, dataDir, port);
    }

    public static ConnectComponent external(URI url) {
        return new ConnectComponent(url, null, null, -1);
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public void start() {
        if (externalUrl == null) {
            worker = EmbeddedConnectWorker.builder(bootstrapServers.get(), dataDir)
                    .port(port)
                    .portSetting(PlatformConfig.settingHint(PlatformConfig.CONNECT_PORT))
                    .start();
            client = worker.client();
            return;
        }
        client = new ConnectRestClient(externalUrl);
        // Fails with "cannot reach Kafka Connect at ...: check connect.url" when nothing answers.
        client.serverInfo();
    }

    /** The REST client; only valid once started. */
    public ConnectRestClient client() {
        if (client == null) {
            throw new IllegalStateException("Kafka Connect is not started");
        }
        return client;
    }

    /** The REST API's base URL; only valid once started. */
    public URI url() {
        return client().url();
    }

    public boolean embedded() {
        return externalUrl == null;
    }

    /** The embedded worker, when there is one and it runs. */
    public Optional<EmbeddedConnectWorker> worker() {
        return Optional.ofNullable(worker);
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of(url() + (embedded() ? "" : " (external)"));
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }
}
