package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tickerplant.app.platform.ConnectRestException;
import io.tickerplant.app.platform.ConnectorsComponent;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.model.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: Binance emulator -> source connector -> Kafka -> sink connector -> PostgreSQL,
 * compared row for row with every trade the emulator made, through dropped connections, lost frames and
 * malformed input.
 */
class PipelineIT {

    @TempDir
    static Path dataDir;

    static BinanceEmulator emulator;
    static EmbeddedPlatform platform;

    @BeforeAll
    static void start() {
        emulator = PipelineFixture.emulator(150);
        platform = PipelineFixture.start(dataDir, emulator);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void everyTradeArrivesOnceThroughDroppedConnectionsLostFramesAndMalformedFrames() throws Exception {
        PipelineFixture.openMarket(emulator);
        PipelineFixture.awaitTrades(emulator, 300);
        emulator.dropConnections();
        PipelineFixture.awaitTrades(emulator, 600);
        emulator.skipWebsocketDelivery(25);
        emulator.sendMalformedFrame("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\","
                + "\"t\":1,\"p\":\"abc\",\"q\":\"1\",\"T\":1,\"m\":true}}");
        emulator.sendMalformedFrame("{not json");
        PipelineFixture.awaitTrades(emulator, 900);
        emulator.dropConnections();
        PipelineFixture.awaitTrades(emulator, 1200);
        emulator.pause();

        PipelineFixture.awaitDatabaseEqualsGroundTruth(platform, emulator);
    }

    @Test
    void aMalformedFrameBecomesADeadLetterWithTheReasonAndTheFeedGoesOn() {
        String bad = "{\"stream\":\"ethusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"ETHUSDT\",\"t\":5,"
                + "\"p\":\"12x\",\"q\":\"1\",\"T\":1,\"m\":false}}";
        emulator.sendMalformedFrame(bad);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters();
            assertThat(letters).anySatisfy(r -> {
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(bad);
                assertThat(header(r, DeadLetters.REASON)).contains("'p'").contains("12x");
                assertThat(header(r, DeadLetters.STAGE)).isEqualTo("source:BINANCE");
            });
        });
        assertThat(platform.connect().client().connectorStatus(ConnectorsComponent.BINANCE_SOURCE).running()).isTrue();
    }

    @Test
    void aConnectorWithABadSymbolIsRefusedWithAnErrorNamingTheKey() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.tickerplant.connect.source.VenueSourceConnector");
        config.put("venue", "BINANCE");
        config.put("symbols", "BTCUSDT");
        assertThatThrownBy(() -> platform.connect().client().createOrUpdateConnector("bad-source", config))
                .isInstanceOf(ConnectRestException.class)
                .hasMessageContaining("symbols").hasMessageContaining("BTCUSDT").hasMessageContaining("BASE-QUOTE");
    }


    private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka().bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(platform.config().topics().deadLetters()));
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
