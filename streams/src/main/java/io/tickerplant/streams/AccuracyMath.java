package io.tickerplant.streams;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Decimal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;

/**
 * The arithmetic of oracle accuracy, in exact decimals: the API average and the percentage difference.
 *
 * <p>The average of one or two prices is exact (halving adds at most one decimal); of more, it is rounded HALF_EVEN
 * to 34 significant digits ({@link MathContext#DECIMAL128}), far below any price's own precision. The percentage is
 * computed from that unrounded average and rounded once, HALF_EVEN, to {@link #PCT_SCALE} decimals, so that an
 * independent computation with the same rule gets the same digits.
 */
public final class AccuracyMath {
    private AccuracyMath() {
    }

    /** Decimals of {@code pctDiff}. */
    public static final int PCT_SCALE = 8;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Mean of the prices (not empty). */
    public static BigDecimal average(Collection<BigDecimal> prices) {
        if (prices.isEmpty()) {
            throw new IllegalArgumentException("no price to average");
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal p : prices) {
            sum = sum.add(p);
        }
        return sum.divide(BigDecimal.valueOf(prices.size()), MathContext.DECIMAL128);
    }

    /** {@code (oracle - average) / average * 100}, rounded HALF_EVEN to {@link #PCT_SCALE} decimals. */
    public static BigDecimal pctDiff(BigDecimal oracle, BigDecimal average) {
        if (average.signum() <= 0) {
            throw new IllegalArgumentException("the API average must be positive, not " + average);
        }
        return oracle.subtract(average).multiply(HUNDRED).divide(average, PCT_SCALE, RoundingMode.HALF_EVEN);
    }

    /** True when {@code |pctDiff|} is strictly above the threshold (percent). */
    public static boolean exceeds(BigDecimal pctDiff, BigDecimal thresholdPct) {
        return pctDiff.abs().compareTo(thresholdPct) > 0;
    }

    /** As a {@link Decimal}: exact when it fits (18 significant digits), else rounded HALF_EVEN to fit. */
    public static Decimal toDecimal(BigDecimal v) {
        return CandleMath.fit(v);
    }
}
