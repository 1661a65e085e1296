package io.tickerplant.app.platform;

import io.tickerplant.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aRestartedBrokerStillHasItsTopicsAndRecords() throws Exception {
        Topics topics = new Topics("it.");
        broker = EmbeddedKafkaBroker.builder(dataDir).port(0).start();
        String clusterId = broker.clusterId();
        assertThat(broker.freshlyFormatted()).isTrue();
        assertThat(dataDir.resolve("meta.properties")).content().contains("cluster.id=" + clusterId);
        System.out.printf("broker cold start %d ms%n", broker.startupTime().toMillis());

        try (TopicAdmin admin = new TopicAdmin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
            assertThat(admin.ensureTopics(topics.all(), 3, (short) 1)).containsExactlyInAnyOrderElementsOf(topics.all());
            assertThat(admin.ensureTopics(topics.all(), 3, (short) 1)).isEmpty();
            assertThat(admin.describe(List.of(topics.trades())).get(topics.trades()).partitions()).hasSize(3);
        }
        RecordMetadata sent = TestClients.produce(broker.bootstrapServers(), topics.trades(),
                "BINANCE:BTC-USDT", "first trade");
        assertThat(TestClients.readAll(broker.bootstrapServers(), topics.trades()))
                .extracting(ConsumerRecord::value).containsExactly("first trade");

        broker.close();
        broker = EmbeddedKafkaBroker.builder(dataDir).port(0).start();
        System.out.printf("broker restart %d ms%n", broker.startupTime().toMillis());

        assertThat(broker.freshlyFormatted()).isFalse();
        assertThat(broker.clusterId()).isEqualTo(clusterId);
        try (TopicAdmin admin = new TopicAdmin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
            assertThat(admin.ensureTopics(topics.all(), 3, (short) 1)).isEmpty();
        }
        List<ConsumerRecord<String, String>> after = TestClients.readAll(broker.bootstrapServers(), topics.trades());
        assertThat(after).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("BINANCE:BTC-USDT");
            assertThat(r.value()).isEqualTo("first trade");
            assertThat(r.partition()).isEqualTo(sent.partition());
            assertThat(r.offset()).isEqualTo(sent.offset());
        });
    }

    @Test
    void aSecondBrokerOnTheSameDataDirectoryFailsWithoutDisturbingTheFirst() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dataDir).port(0).start();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(dataDir).port(0).start())
                .hasMessageContaining("is in use by another tickerplant");
        TestClients.produce(broker.bootstrapServers(), "it.still-works", "k", "v");
    }

    @Test
    void topicCreationRefusesAReplicationFactorTheClusterCannotHold() {
        broker = EmbeddedKafkaBroker.builder(dataDir).port(0).start();
        try (TopicAdmin admin = new TopicAdmin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> admin.ensureTopics(List.of("it.x"), 1, (short) 3))
                    .hasMessageContaining("replication factor 3")
                    .hasMessageContaining("1 broker(s)")
                    .hasMessageContaining("topic.replication.factor");
        }
    }
}
