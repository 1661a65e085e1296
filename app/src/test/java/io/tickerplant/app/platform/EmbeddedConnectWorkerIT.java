package io.tickerplant.app.platform;

import io.tickerplant.app.platform.testconnector.CountingSourceConnector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedConnectWorkerIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private EmbeddedConnectWorker worker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder(dataDir.resolve("kafka")).port(0).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    private EmbeddedConnectWorker startWorker() {
        EmbeddedConnectWorker started = EmbeddedConnectWorker.builder(broker.bootstrapServers(), dataDir.resolve("connect"))
                .port(0)
                .start();
        System.out.printf("connect worker start %d ms%n", started.startupTime().toMillis());
        return started;
    }

    @Test
    void theRestApiAnswersAndListsServiceLoadedPlugins() throws Exception {
        worker = startWorker();

        HttpResponse<String> root = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(worker.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("\"version\"");

        ConnectRestClient.ServerInfo info = worker.client().serverInfo();
        assertThat(info.version()).isEqualTo("4.3.1");
        assertThat(info.kafkaClusterId()).isEqualTo(broker.clusterId());

        assertThat(worker.client().plugins(true)).extracting(ConnectRestClient.PluginInfo::className)
                .contains(CountingSourceConnector.class.getName());
        assertThat(worker.client().plugins(false))
                .anySatisfy(p -> {
                    assertThat(p.className()).isEqualTo(ByteArrayConverter.class.getName());
                    assertThat(p.type()).isEqualTo("converter");
                });
    }

    @Test
    void aConnectorWithAnUnknownClassIsRejectedWithConnectsExplanation() {
        worker = startWorker();

        assertThatThrownBy(() -> worker.createOrUpdateConnector("bogus",
                Map.of("connector.class", "com.example.NoSuchConnector", "tasks.max", "1")))
                .isInstanceOf(ConnectRestException.class)
                .hasMessageContaining("com.example.NoSuchConnector")
                .satisfies(e -> assertThat(((ConnectRestException) e).status()).isBetween(400, 499));
        assertThat(worker.client().connectors()).doesNotContain("bogus");

        assertThatThrownBy(() -> worker.connectorStatus("bogus"))
                .isInstanceOf(ConnectRestException.class)
                .satisfies(e -> assertThat(((ConnectRestException) e).status()).isEqualTo(404));
    }

    @Test
    void aSourceConnectorResumesFromItsStoredOffsetAfterAWorkerRestart() {
        String topic = "it.counted";
        Map<String, String> config = Map.of(
                "connector.class", CountingSourceConnector.class.getName(),
                "tasks.max", "1",
                "topic", topic,
                "count", "5");

        worker = startWorker();
        assertThat(worker.createOrUpdateConnector("counter", config)).isTrue();
        assertThat(worker.createOrUpdateConnector("counter", config)).isFalse();
        ConnectorStatus status = worker.awaitRunning("counter", Duration.ofSeconds(20));
        assertThat(status.tasks()).extracting(ConnectorStatus.TaskState::state).containsExactly("RUNNING");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestClients.readAll(broker.bootstrapServers(), topic).size() == 5);
        worker.close();
        assertThat(worker.offsetsFile()).exists();

        // Standalone mode forgets connectors: the owner re-creates them, and offsets make them resume.
        worker = startWorker();
        worker.createOrUpdateConnector("counter", Map.of(
                "connector.class", CountingSourceConnector.class.getName(),
                "tasks.max", "1",
                "topic", topic,
                "count", "8"));
        worker.awaitRunning("counter", Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestClients.readAll(broker.bootstrapServers(), topic).size() >= 8);

        List<String> values = TestClients.readAll(broker.bootstrapServers(), topic).stream()
                .map(ConsumerRecord::value).toList();
        assertThat(values).containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
    }
}
