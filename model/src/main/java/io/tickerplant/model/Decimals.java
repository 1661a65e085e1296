package io.tickerplant.model;

import io.tickerplant.model.avro.Decimal;
import java.math.BigDecimal;

/**
 * Exact decimals as {@code unscaled * 10^-scale} in a long.
 *
 * <p>Why this representation: venues send prices and sizes as decimal text; binary floating point would change
 * them and break Kraken's and OKX's checksums, which are computed over the venue's digits. BigDecimal is exact
 * but allocates two objects per value and is slow to compare. A long plus a scale keeps the venue's exact digits
 * (including trailing zeros, which checksums need), parses without allocation, compares with two multiplications
 * and maps directly onto PostgreSQL NUMERIC. 18 significant digits cover every price and size seen on the venues;
 * a value that needs more (after dropping trailing zeros) is rejected with a clear error, never rounded.
 */
public final class Decimals {
    private Decimals() {
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** Parses decimal text such as {@code "27123.45"}, {@code "-0.001"} or {@code "1.5e-7"} exactly. */
    public static Decimal parse(CharSequence s) {
        int n = s == null ? 0 : s.length();
        if (n == 0) {
            throw new NumberFormatException("empty decimal");
        }
        int i = 0;
        boolean negative = false;
        char c = s.charAt(0);
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long unscaled = 0;
        int scale = 0;
        int digits = 0;
        boolean seenPoint = false;
        boolean overflow = false;
        int droppedTrailingZeros = 0;
        int start = i;
        for (; i < n; i++) {
            c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (seenPoint) {
                    scale++;
                }
                int d = c - '0';
                if (!overflow && (digits < 18 || unscaled == 0)) {
                    unscaled = unscaled * 10 + d;
                    if (unscaled != 0) {
                        digits++;
                    }
                } else if (d == 0 && seenPoint) {
                    // Trailing zeros past 18 digits can be dropped without changing the value.
                    overflow = true;
                    droppedTrailingZeros++;
                } else {
                    throw new NumberFormatException("decimal '" + s + "' has more than 18 significant digits");
                }
            } else if (c == '.' && !seenPoint) {
                seenPoint = true;
            } else if ((c == 'e' || c == 'E') && i > start) {
                int exp = parseExponent(s, i + 1, n);
                scale -= exp;
                i = n;
                break;
            } else {
                throw new NumberFormatException("not a decimal number: '" + s + "' (bad character at " + i + ")");
            }
        }
        if (i == start || (seenPoint && n - start == 1)) {
            throw new NumberFormatException("not a decimal number: '" + s + "'");
        }
        scale -= droppedTrailingZeros;
        if (scale < 0) {
            // 1e3 -> 1000 with scale 0, so that scales are never negative in storage.
            if (-scale >= POW10.length || Math.abs(unscaled) > Long.MAX_VALUE / POW10[-scale]) {
                throw new NumberFormatException("decimal '" + s + "' is out of range");
            }
            unscaled *= POW10[-scale];
            scale = 0;
        }
        return new Decimal(negative ? -unscaled : unscaled, scale);
    }

    private static int parseExponent(CharSequence s, int i, int n) {
        if (i >= n) {
            throw new NumberFormatException("not a decimal number: '" + s + "' (empty exponent)");
        }
        boolean neg = false;
        char c = s.charAt(i);
        if (c == '-' || c == '+') {
            neg = c == '-';
            i++;
        }
        int exp = 0;
        int start = i;
        for (; i < n; i++) {
            c = s.charAt(i);
            if (c < '0' || c > '9' || exp > 1000) {
                throw new NumberFormatException("not a decimal number: '" + s + "' (bad exponent)");
            }
            exp = exp * 10 + (c - '0');
        }
        if (i == start) {
            throw new NumberFormatException("not a decimal number: '" + s + "' (empty exponent)");
        }
        return neg ? -exp : exp;
    }

    public static Decimal of(long unscaled, int scale) {
        return new Decimal(unscaled, scale);
    }

    public static Decimal of(BigDecimal v) {
        BigDecimal x = v.scale() < 0 ? v.setScale(0) : v;
        try {
            return new Decimal(x.unscaledValue().longValueExact(), x.scale());
        } catch (ArithmeticException e) {
            BigDecimal stripped = x.stripTrailingZeros();
            if (stripped.scale() < 0) {
                stripped = stripped.setScale(0);
            }
            return new Decimal(stripped.unscaledValue().longValueExact(), stripped.scale());
        }
    }

    public static BigDecimal toBigDecimal(Decimal d) {
        return BigDecimal.valueOf(d.getUnscaled(), d.getScale());
    }

    /** The plain text form, keeping trailing zeros: {@code 0.10000000}. */
    public static String toPlainString(Decimal d) {
        return toBigDecimal(d).toPlainString();
    }

    /** Numeric comparison regardless of scale: 1.50 equals 1.5. */
    public static int compare(Decimal a, Decimal b) {
        if (a.getScale() == b.getScale()) {
            return Long.compare(a.getUnscaled(), b.getUnscaled());
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    /** True when the value is exactly zero. */
    public static boolean isZero(Decimal d) {
        return d.getUnscaled() == 0;
    }

    /** Value as a double, for display and statistics only, never for storage or checksums. */
    public static double toDouble(Decimal d) {
        int scale = d.getScale();
        if (scale >= 0 && scale < POW10.length) {
            return d.getUnscaled() / (double) POW10[scale];
        }
        return toBigDecimal(d).doubleValue();
    }
}
