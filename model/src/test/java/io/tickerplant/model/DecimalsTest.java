package io.tickerplant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.avro.Decimal;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalsTest {

    @Test
    void keepsTheVenuesDigitsIncludingTrailingZeros() {
        Decimal d = Decimals.parse("0.10000000");
        assertThat(d.getUnscaled()).isEqualTo(10_000_000L);
        assertThat(d.getScale()).isEqualTo(8);
        assertThat(Decimals.toPlainString(d)).isEqualTo("0.10000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"27123.45", "-0.001", "0", "123456789012.345678", "0.00000001", "1000", "+5.5"})
    void parsesExactlyLikeBigDecimal(String text) {
        assertThat(Decimals.toBigDecimal(Decimals.parse(text))).isEqualTo(new BigDecimal(text));
    }

    @Test
    void acceptsExponentsAsJsonNumbersWriteThem() {
        assertThat(Decimals.toBigDecimal(Decimals.parse("1.5e-7")).compareTo(new BigDecimal("0.00000015"))).isZero();
        Decimal big = Decimals.parse("2E3");
        assertThat(big.getScale()).isZero();
        assertThat(big.getUnscaled()).isEqualTo(2000);
    }

    @Test
    void dropsTrailingZerosOnlyWhenTheyDoNotFitAndNeverRounds() {
        Decimal d = Decimals.parse("123456789012.1234560000000");
        assertThat(Decimals.toBigDecimal(d).compareTo(new BigDecimal("123456789012.123456"))).isZero();
        assertThatThrownBy(() -> Decimals.parse("1234567890123456789.1"))
                .isInstanceOf(NumberFormatException.class).hasMessageContaining("18 significant digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", ".", "abc", "1.2.3", "1e", "12x", "NaN"})
    void rejectsTextThatIsNotANumberWithTheTextInTheMessage(String text) {
        assertThatThrownBy(() -> Decimals.parse(text)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void comparesByValueAcrossScales() {
        assertThat(Decimals.compare(Decimals.parse("1.50"), Decimals.parse("1.5"))).isZero();
        assertThat(Decimals.compare(Decimals.parse("1.49"), Decimals.parse("1.5"))).isNegative();
        assertThat(Decimals.toDouble(Decimals.parse("27123.45"))).isEqualTo(27123.45);
    }
}
