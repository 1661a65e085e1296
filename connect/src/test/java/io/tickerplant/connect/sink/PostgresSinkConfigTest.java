package io.tickerplant.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PostgresSinkConfigTest {

    @Test
    void aNonPostgresUrlIsAnErrorNamingTheKeyAndTheExpectedForm() {
        assertThatThrownBy(() -> new PostgresSinkConfig(Map.of("connection.url", "jdbc:mysql://h/db")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connection.url")
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }

    @Test
    void thePasswordIsHiddenWhenTheConfigIsPrinted() {
        PostgresSinkConfig c = new PostgresSinkConfig(Map.of("connection.url", "jdbc:postgresql://h:5432/db",
                "connection.password", "s3cret"));
        assertThat(c.password().value()).isEqualTo("s3cret");
        assertThat(c.password().toString()).doesNotContain("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey key : PostgresSinkConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
        }
    }
}
