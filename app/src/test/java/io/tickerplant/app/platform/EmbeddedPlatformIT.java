package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPlatformIT {

    @TempDir
    Path dataDir;

    @Test
    void theStandardPlatformStartsEmbeddedAndASecondOneUsesItAsExternal() {
        PlatformConfig embedded = PlatformConfig.of(Map.of(
                "data.dir", dataDir.toString(),
                "kafka.port", "0",
                "connect.port", "0",
                "topic.prefix", "pit.",
                "topic.partitions", "2"));

        try (EmbeddedPlatform platform = EmbeddedPlatform.standard(embedded)) {
            platform.start();
            String bootstrap = platform.kafka().bootstrapServers();
            String connectUrl = platform.connect().url().toString();
            System.out.println(platform.readyLine());
            assertThat(platform.readyLine())
                    .startsWith("tickerplant ready in ")
                    .contains(" — kafka " + bootstrap, " · connect " + connectUrl);
            assertThat(dataDir.resolve("kafka/meta.properties")).exists();

            try (TopicAdmin admin = new TopicAdmin(bootstrap, Duration.ofSeconds(30))) {
                assertThat(admin.describe(embedded.topics().all())).hasSize(embedded.topics().all().size())
                        .allSatisfy((name, d) -> assertThat(d.partitions()).hasSize(2));
            }

            PlatformConfig external = PlatformConfig.of(Map.of(
                    "data.dir", dataDir.resolve("other").toString(),
                    "kafka.bootstrap.servers", bootstrap,
                    "connect.url", connectUrl,
                    "topic.prefix", "pit.ext."));
            try (EmbeddedPlatform client = EmbeddedPlatform.standard(external)) {
                client.start();
                assertThat(client.readyLine()).contains("kafka " + bootstrap + " (external)",
                        "connect " + connectUrl + " (external)");
                assertThat(client.connect().client().serverInfo().version()).isEqualTo("4.3.1");
            }
            assertThat(dataDir.resolve("other/kafka")).doesNotExist();
        }
    }
}
