package io.tickerplant.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParameterTypeTest {

    @Test
    void aStringIsTakenAsGivenQuotesAndSpacesIncluded() {
        assertThat(ParameterType.STRING.value(" BTC-USDT' OR '1'='1")).isEqualTo(" BTC-USDT' OR '1'='1");
    }

    @Test
    void anIntIsAWholeNumberOf64Bits() {
        assertThat(ParameterType.INT.value(" 42 ")).isEqualTo(42L);
        assertThat(ParameterType.INT.value("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> ParameterType.INT.value("1.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'1.5' is not an int: expected a whole number such as 100");
        assertThatThrownBy(() -> ParameterType.INT.value("9223372036854775808")).hasMessageContaining("not an int");
        assertThatThrownBy(() -> ParameterType.INT.value("1; drop table trades")).hasMessageContaining("not an int");
    }

    @Test
    void aNumericIsAPlainExactDecimal() {
        assertThat(ParameterType.NUMERIC.value("0.10000000")).isEqualTo(new BigDecimal("0.10000000"));
        assertThat(ParameterType.NUMERIC.value("-.5")).isEqualTo(new BigDecimal("-0.5"));
        assertThat(ParameterType.NUMERIC.shown(ParameterType.NUMERIC.value("60000.10"))).isEqualTo("60000.10");
        assertThatThrownBy(() -> ParameterType.NUMERIC.value("1e999999999"))
                .hasMessage("'1e999999999' is not a numeric: expected a decimal number such as 0.25");
        assertThatThrownBy(() -> ParameterType.NUMERIC.value("NaN")).hasMessageContaining("not a numeric");
        assertThatThrownBy(() -> ParameterType.NUMERIC.value("")).hasMessageContaining("not a numeric");
    }

    @Test
    void aBooleanIsTrueOrFalseAndNothingElse() {
        assertThat(ParameterType.BOOLEAN.value("TRUE")).isEqualTo(true);
        assertThat(ParameterType.BOOLEAN.value("false")).isEqualTo(false);
        assertThatThrownBy(() -> ParameterType.BOOLEAN.value("yes"))
                .hasMessage("'yes' is not a boolean: expected true or false");
    }

    @Test
    void aTimestampIsIso8601OrEpochMillisAndShownInUtc() {
        Instant t = Instant.parse("2026-05-01T12:00:00Z");
        assertThat(ParameterType.TIMESTAMP.value("2026-05-01T14:00:00+02:00")).isEqualTo(t);
        assertThat(ParameterType.TIMESTAMP.value(Long.toString(t.toEpochMilli()))).isEqualTo(t);
        assertThat(ParameterType.TIMESTAMP.value("2026-05-01")).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThat(ParameterType.TIMESTAMP.shown(t)).isEqualTo("2026-05-01T12:00:00Z");
        assertThatThrownBy(() -> ParameterType.TIMESTAMP.value("yesterday"))
                .hasMessageContaining("'yesterday' is not a timestamp")
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("epoch milliseconds");
    }

    @Test
    void typesAreNamedInFilesByTheirIds() {
        assertThat(ParameterType.of("timestamp")).contains(ParameterType.TIMESTAMP);
        assertThat(ParameterType.of("Timestamp")).isEmpty();
        assertThat(ParameterType.of("float")).isEmpty();
        assertThat(ParameterType.ids()).isEqualTo("string, int, numeric, boolean, timestamp");
    }
}
