package io.tickerplant.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyMathTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void theAverageOfTwoPricesIsExact() {
        assertThat(AccuracyMath.average(List.of(d("3010"), d("2990.5")))).isEqualByComparingTo("3000.25");
        assertThat(AccuracyMath.average(List.of(d("0.000000000001"), d("0")))).isEqualByComparingTo("5E-13");
    }

    @Test
    void aNonTerminatingAverageKeepsThirtyFourDigitsAndThePercentageIsRoundedOnce() {
        BigDecimal avg = AccuracyMath.average(List.of(d("1"), d("1"), d("2")));
        assertThat(avg.precision()).isEqualTo(34);
        // (1.5 - 4/3) / (4/3) * 100 = 12.5 exactly in reals; 34 digits of 4/3 still give 12.50000000
        assertThat(AccuracyMath.pctDiff(d("1.5"), avg)).isEqualTo(d("12.50000000"));
        assertThat(Decimals.toPlainString(AccuracyMath.toDecimal(avg))).isEqualTo("1.33333333333333333");
    }

    @Test
    void pctDiffIsSignedAndHalfEven() {
        assertThat(AccuracyMath.pctDiff(d("2997"), d("3000"))).isEqualTo(d("-0.10000000"));
        assertThat(AccuracyMath.pctDiff(d("100.000000025"), d("100"))).isEqualTo(d("0.00000002"));
        assertThat(AccuracyMath.pctDiff(d("99.999999975"), d("100"))).isEqualTo(d("-0.00000002"));
        assertThatThrownBy(() -> AccuracyMath.pctDiff(d("1"), BigDecimal.ZERO)).hasMessageContaining("positive");
    }

    @Test
    void onlyAboveTheThresholdExceedsIt() {
        assertThat(AccuracyMath.exceeds(d("1.00000000"), d("1"))).isFalse();
        assertThat(AccuracyMath.exceeds(d("-1.00000001"), d("1"))).isTrue();
    }
}
