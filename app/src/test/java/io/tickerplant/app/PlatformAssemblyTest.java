package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.app.config.ConfigException;
import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.server.query.NamedQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformAssemblyTest {

    @Test
    void theBuiltInQueriesAreServedWithTheConfiguredLimits() {
        NamedQueries queries = PlatformAssembly.namedQueries(PlatformConfig.of(Map.of(
                "queries.statement.timeout", "2s", "queries.max.rows", "300")));

        assertThat(queries.catalog().names()).contains("trade-volume-hourly", "oracle-deviation-hourly");
        assertThat(queries.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(queries.maxRows()).isEqualTo(300);
    }

    @Test
    void aBadQueriesFileStopsTheStartNamingTheFileTheQueryAndTheSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, """
                queries:
                  - name: by-venue
                    description: Trades of a venue.
                    parameters:
                      venue: {type: text}
                    sql: SELECT * FROM trades WHERE venue = :venue
                """);

        assertThatThrownBy(() -> PlatformAssembly.assemble(
                PlatformConfig.of(Map.of("queries.file", file.toString())), Mode.DEMO))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("queries file " + file)
                .hasMessageContaining("query 'by-venue': parameter 'venue': unknown type 'text'")
                .hasMessageContaining("queries.file (--queries-file)");
    }
}
