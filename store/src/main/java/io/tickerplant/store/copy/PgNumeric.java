package io.tickerplant.store.copy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;

/**
 * PostgreSQL's binary NUMERIC format ({@code numeric_send}/{@code numeric_recv}), written straight from
 * {@code unscaled * 10^-scale} without going through BigDecimal or text.
 *
 * <p>Layout, all int16 big-endian: {@code ndigits, weight, sign, dscale}, then {@code ndigits} base-10000 digit
 * groups, most significant first. The value is {@code sum(digit[i] * 10000^(weight - i))}; groups are aligned on
 * the decimal point, so a fraction with 5 decimals uses two groups. {@code dscale} is the number of decimals shown,
 * which is what makes {@code 0.10000000} read back with its eight decimals. Leading and trailing zero groups are
 * left out, exactly as {@code numeric_send} does, so the bytes equal what the server itself would send.
 */
final class PgNumeric {
    private PgNumeric() {
    }

    static final int POS = 0x0000;
    static final int NEG = 0x4000;
    /** NUMERIC_DSCALE_MAX: the largest display scale a numeric can carry. */
    static final int MAX_DSCALE = 0x3FFF;
    /** Header plus the groups of a 19-digit long padded on both sides of the decimal point. */
    static final int MAX_BYTES = 8 + 2 * 8;
    /** Scratch groups needed by {@link #encode}. */
    static final int MAX_GROUPS = 8;

    /** Numeric allows 131072 digits before the point; beyond that the server would refuse the value anyway. */
    static final int MAX_NEGATIVE_SCALE = 131_072;

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000};
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Writes {@code unscaled * 10^-scale} at {@code out[off]} (which needs {@link #MAX_BYTES} bytes of room) and
     * returns the number of bytes written. {@code groups} is caller-owned scratch of {@link #MAX_GROUPS} entries, so
     * the hot path allocates nothing.
     */
    static int encode(long unscaled, int scale, short[] groups, byte[] out, int off) {
        if (scale < 0 || unscaled == Long.MIN_VALUE) {
            // Neither occurs for venue data (Decimals never produces a negative scale); the general path is exact.
            return encodeGeneral(BigDecimal.valueOf(unscaled, scale), out, off);
        }
        checkScale(scale);
        long mag = Math.abs(unscaled);
        int n = 0;
        if (mag != 0) {
            // Groups are filled least significant first. When the scale is not a multiple of 4, the lowest group
            // holds the last (scale % 4) decimals shifted left, so that every group sits on a 10000^k boundary.
            int partial = scale & 3;
            if (partial != 0) {
                long p = POW10[partial];
                groups[n++] = (short) (mag % p * POW10[4 - partial]);
                mag /= p;
            }
            while (mag != 0) {
                groups[n++] = (short) (mag % 10_000);
                mag /= 10_000;
            }
        }
        int fractionGroups = (scale + 3) >> 2;
        int weight = n == 0 ? 0 : n - 1 - fractionGroups;
        int lowest = 0;
        while (lowest < n && groups[lowest] == 0) {
            lowest++;
        }
        return write(n - lowest, weight, unscaled < 0 ? NEG : POS, scale, groups, n - 1, lowest, out, off);
    }

    /**
     * The same encoding from a decimal digit string: slower, but obviously correct, so it handles the rare inputs
     * the long arithmetic does not (negative scales, {@code Long.MIN_VALUE}) and serves as the reference in tests.
     */
    static int encodeGeneral(BigDecimal value, byte[] out, int off) {
        int scale = value.scale();
        if (scale < -MAX_NEGATIVE_SCALE) {
            throw new IllegalArgumentException("numeric value " + value + " is too large for PostgreSQL");
        }
        String digits = value.unscaledValue().abs().toString();
        if (scale < 0) {
            digits = digits + "0".repeat(-scale);
            scale = 0;
        }
        checkScale(scale);
        int sign = value.signum() < 0 ? NEG : POS;
        if (value.signum() == 0) {
            return write(0, 0, POS, scale, new short[0], -1, 0, out, off);
        }
        int integerDigits = digits.length() - scale;
        int leftPad = Math.floorMod(-integerDigits, 4);
        String padded = "0".repeat(leftPad) + digits + "0".repeat(Math.floorMod(-scale, 4));
        int weight = (integerDigits + leftPad) / 4 - 1;
        int n = padded.length() / 4;
        // Least significant first, like encode().
        short[] groups = new short[n];
        for (int i = 0; i < n; i++) {
            int end = padded.length() - 4 * i;
            groups[i] = Short.parseShort(padded.substring(end - 4, end));
        }
        int highest = n - 1;
        while (groups[highest] == 0) {
            highest--;
            weight--;
        }
        int lowest = 0;
        while (groups[lowest] == 0) {
            lowest++;
        }
        return write(highest - lowest + 1, weight, sign, scale, groups, highest, lowest, out, off);
    }

    private static int write(int ndigits, int weight, int sign, int dscale, short[] groups, int highest, int lowest,
                             byte[] out, int off) {
        SHORT.set(out, off, (short) ndigits);
        SHORT.set(out, off + 2, (short) weight);
        SHORT.set(out, off + 4, (short) sign);
        SHORT.set(out, off + 6, (short) dscale);
        int p = off + 8;
        for (int i = highest; i >= lowest; i--) {
            SHORT.set(out, p, groups[i]);
            p += 2;
        }
        return p - off;
    }

    private static void checkScale(int scale) {
        if (scale > MAX_DSCALE) {
            throw new IllegalArgumentException("scale " + scale + " exceeds PostgreSQL's numeric limit " + MAX_DSCALE);
        }
    }
}
