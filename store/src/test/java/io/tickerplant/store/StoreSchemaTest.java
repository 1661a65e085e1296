package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSchemaTest {

    @Test
    void substitutesKnownPlaceholders() {
        assertThat(StoreSchema.substitute("CREATE TABLE t (x int) ${p};", Map.of("p", "PARTITION BY RANGE (x)")))
            .isEqualTo("CREATE TABLE t (x int) PARTITION BY RANGE (x);");
        assertThat(StoreSchema.substitute("a ${p} b", Map.of("p", ""))).isEqualTo("a  b");
    }

    @Test
    void refusesUnknownPlaceholders() {
        assertThatThrownBy(() -> StoreSchema.substitute("${nope}", Map.of("p", "")))
            .hasMessageContaining("${nope}");
    }

    @Test
    void migrationsAreNamedAndOrdered() {
        assertThat(StoreSchema.MIGRATIONS).isNotEmpty().allMatch(n -> n.matches("V\\d+__\\w+\\.sql"));
    }
}
