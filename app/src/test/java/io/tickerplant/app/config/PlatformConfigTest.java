package io.tickerplant.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformConfigTest {

    @Test
    void defaultsDescribeAnEmbeddedLaptopSetup() {
        PlatformConfig config = PlatformConfig.defaults();

        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.embeddedKafka()).isTrue();
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.embeddedConnect()).isTrue();
        assertThat(config.connectPort()).isEqualTo(8083);
        assertThat(config.embeddedPostgres()).isTrue();
        assertThat(config.postgresPort()).isEqualTo(15432);
        assertThat(config.webPort()).isEqualTo(8080);
        assertThat(config.topicPrefix()).isEqualTo("tp.");
        assertThat(config.topics().trades()).isEqualTo("tp.trades");
        assertThat(config.topicPartitions()).isEqualTo(3);
        assertThat(config.topicReplicationFactor()).isEqualTo((short) 1);
        assertThat(config.symbols()).containsExactly("BTC-USDT", "ETH-USDT", "BTC-USDT-PERP", "ETH-USDT-PERP");
        assertThat(config.kafkaDataDir()).isEqualTo(Path.of("./data/kafka"));
    }

    @Test
    void everyKeyIsDocumentedAndReachableFromTheCommandLineAndEnvironment() {
        assertThat(PlatformConfig.keys()).isNotEmpty().allSatisfy(key -> {
            assertThat(key.doc()).as(key.name()).hasSizeGreaterThan(20).endsWith(".");
            assertThat(key.expected()).as(key.name()).isNotBlank();
            assertThat(key.cliOption()).startsWith("--").doesNotContain(".");
            assertThat(key.envVar()).matches("TICKERPLANT_[A-Z0-9_]+");
        });
        String listing = PlatformConfig.defaults().describe();
        PlatformConfig.keys().forEach(key -> assertThat(listing).contains(key.name(), key.cliOption(), key.envVar()));
        PlatformConfig.keys().forEach(key -> assertThat(PlatformConfig.template()).contains("#" + key.name() + "="));
    }

    @Test
    void candleIntervalsAndGraceAreDurationsWithUnits() {
        PlatformConfig config = PlatformConfig.of(Map.of("candles.intervals", "500ms, 1s,1m,4h,1d", "candles.grace", "2s"));
        assertThat(config.candleIntervals()).containsExactly(java.time.Duration.ofMillis(500),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(4),
                java.time.Duration.ofDays(1));
        assertThat(config.candleGrace()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("candles.intervals", "1m,60s")))
                .hasMessageContaining("candles.intervals").hasMessageContaining("twice");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("candles.grace", "5 minutes")))
                .hasMessageContaining("candles.grace").hasMessageContaining("a duration such as 5s");
    }

    @Test
    void namedQueriesDefaultToTheBuiltInFileFiveSecondsAndAThousandRows() {
        PlatformConfig defaults = PlatformConfig.defaults();
        assertThat(defaults.queriesFile()).isEmpty();
        assertThat(defaults.queriesStatementTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(defaults.queriesMaxRows()).isEqualTo(1000);

        PlatformConfig set = PlatformConfig.of(Map.of("queries.file", "my-queries.yaml",
                "queries.statement.timeout", "1500ms", "queries.max.rows", "20"));
        assertThat(set.queriesFile()).contains(Path.of("my-queries.yaml"));
        assertThat(set.queriesStatementTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(set.queriesMaxRows()).isEqualTo(20);

        assertThatThrownBy(() -> PlatformConfig.of(Map.of("queries.statement.timeout", "0s")))
                .hasMessageContaining("queries.statement.timeout").hasMessageContaining("from 1ms to 1d");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("queries.max.rows", "0")))
                .hasMessageContaining("queries.max.rows").hasMessageContaining("1-100000");
    }

    @Test
    void aNonNumericPortIsRejectedNamingTheKeyItsOriginAndWhatIsExpected() {
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("kafka.port", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.port")
                .hasMessageContaining("--kafka-port")
                .hasMessageContaining("'abc'")
                .hasMessageContaining("port number 0-65535");
    }

    @Test
    void anOutOfRangePortFromTheEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> PlatformConfig.load(null, Map.of("TICKERPLANT_WEB_PORT", "70000"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.port")
                .hasMessageContaining("TICKERPLANT_WEB_PORT")
                .hasMessageContaining("0-65535");
    }

    @Test
    void commandLineBeatsEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tp.properties");
        Files.writeString(file, "kafka.port=1001\nconnect.port=1002\nweb.port=1003\n");

        PlatformConfig config = PlatformConfig.load(file,
                Map.of("TICKERPLANT_CONNECT_PORT", "2002", "TICKERPLANT_WEB_PORT", "2003"),
                Map.of("web.port", "3003"));

        assertThat(config.kafkaPort()).isEqualTo(1001);
        assertThat(config.connectPort()).isEqualTo(2002);
        assertThat(config.webPort()).isEqualTo(3003);
        assertThat(config.setting(PlatformConfig.KAFKA_PORT).source()).isEqualTo(PlatformConfig.Source.FILE);
        assertThat(config.setting(PlatformConfig.WEB_PORT).origin()).isEqualTo("--web-port");
        assertThat(config.file()).contains(file);
    }

    @Test
    void aTypoInTheFileIsRejectedWithASuggestion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tp.properties");
        Files.writeString(file, "kafka.prot=9093\n");

        assertThatThrownBy(() -> PlatformConfig.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'kafka.prot'")
                .hasMessageContaining("did you mean kafka.port?");
    }

    @Test
    void aMissingConfigFileIsAnErrorNotSilentlyIgnored(@TempDir Path dir) {
        assertThatThrownBy(() -> PlatformConfig.load(dir.resolve("nope.properties"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.properties")
                .hasMessageContaining("does not exist");
    }

    @Test
    void replicationAboveOneNeedsAnExternalCluster() {
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("topic.replication.factor", "3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic.replication.factor")
                .hasMessageContaining("kafka.bootstrap.servers");

        PlatformConfig external = PlatformConfig.of(Map.of("topic.replication.factor", "3",
                "kafka.bootstrap.servers", "k1:9092, k2:9092"));
        assertThat(external.topicReplicationFactor()).isEqualTo((short) 3);
        assertThat(external.kafkaBootstrapServers()).contains("k1:9092,k2:9092");
    }

    @Test
    void twoEmbeddedServersCannotShareAPortButFreePortsCanRepeat() {
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("connect.port", "9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.port and connect.port are both 9092");

        PlatformConfig config = PlatformConfig.of(Map.of("kafka.port", "0", "connect.port", "0", "web.port", "0"));
        assertThat(config.kafkaPort()).isZero();
        // An external broker's port is not ours to bind, so it cannot clash.
        assertThat(PlatformConfig.of(Map.of("connect.port", "9092", "kafka.bootstrap.servers", "k:9092"))
                .connectPort()).isEqualTo(9092);
    }

    @Test
    void externalUrlsAreCheckedForTheirShape() {
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("kafka.bootstrap.servers", "kafka")))
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("host:port");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("connect.url", "connect:8083")))
                .hasMessageContaining("connect.url").hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("postgres.jdbc.url", "jdbc:mysql://db/x")))
                .hasMessageContaining("postgres.jdbc.url").hasMessageContaining("jdbc:postgresql:");

        PlatformConfig config = PlatformConfig.of(Map.of("connect.url", "http://connect:8083/",
                "postgres.jdbc.url", "jdbc:postgresql://db:5432/tp"));
        assertThat(config.connectUrl()).contains(URI.create("http://connect:8083"));
        assertThat(config.postgresJdbcUrl()).isEqualTo(Optional.of("jdbc:postgresql://db:5432/tp"));
    }

    @Test
    void symbolsAreCanonicalizedAndInvalidOnesExplained() {
        assertThat(PlatformConfig.of(Map.of("symbols", " btc-usdt, ETH-USD ,BTC-USDT,sol-usdt-perp")).symbols())
                .containsExactly("BTC-USDT", "ETH-USD", "SOL-USDT-PERP");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("symbols", "BTCUSDT")))
                .hasMessageContaining("symbols").hasMessageContaining("BASE-QUOTE");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("symbols", " , ")))
                .hasMessageContaining("symbols");
    }

    @Test
    void topicSettingsAreBounded() {
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("topic.partitions", "0")))
                .hasMessageContaining("topic.partitions").hasMessageContaining("1-10000");
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("topic.prefix", "tp/")))
                .hasMessageContaining("topic.prefix");
        assertThat(PlatformConfig.of(Map.of("topic.prefix", "")).topics().trades()).isEqualTo("trades");
    }

    @Test
    void anUnknownKeyInCodeIsRejected() {
        assertThatThrownBy(() -> PlatformConfig.of(Map.of("web.prot", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean web.port?");
    }
}
