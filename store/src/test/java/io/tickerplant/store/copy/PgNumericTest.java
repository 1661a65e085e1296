package io.tickerplant.store.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PgNumericTest {

    /** ndigits, weight, sign, dscale, digits... as the server's numeric_send would produce them. */
    private static List<Integer> encoded(long unscaled, int scale) {
        byte[] out = new byte[PgNumeric.MAX_BYTES];
        int n = PgNumeric.encode(unscaled, scale, new short[PgNumeric.MAX_GROUPS], out, 0);
        return shorts(out, n);
    }

    private static List<Integer> encodedGeneral(BigDecimal v) {
        byte[] out = new byte[64];
        int n = PgNumeric.encodeGeneral(v, out, 0);
        return shorts(out, n);
    }

    private static List<Integer> shorts(byte[] out, int n) {
        ByteBuffer b = ByteBuffer.wrap(out, 0, n);
        List<Integer> values = new ArrayList<>();
        while (b.hasRemaining()) {
            values.add((int) b.getShort());
        }
        return values;
    }

    @Test
    void keepsTrailingZerosAsDisplayScaleWithoutStoringZeroGroups() {
        // 0.10000000: one group 1000 at 10000^-1, eight decimals shown
        assertThat(encoded(10_000_000L, 8)).containsExactly(1, -1, 0, 8, 1000);
    }

    @Test
    void encodesZeroWithItsScaleAndNoDigits() {
        assertThat(encoded(0, 8)).containsExactly(0, 0, 0, 8);
        assertThat(encoded(0, 0)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void alignsFractionGroupsOnTheDecimalPoint() {
        assertThat(encoded(-125, 1)).containsExactly(2, 0, 0x4000, 1, 12, 5000); // -12.5
        assertThat(encoded(1, 9)).containsExactly(1, -3, 0, 9, 1000); // 0.000000001
        assertThat(encoded(1, 8)).containsExactly(1, -2, 0, 8, 1); // 0.00000001
        assertThat(encoded(2712345, 2)).containsExactly(3, 1, 0, 2, 2, 7123, 4500); // 27123.45
        assertThat(encoded(10_000, 0)).containsExactly(1, 1, 0, 0, 1); // 10000
    }

    @Test
    void handlesNegativeScaleAndLongMinValueThroughTheGeneralPath() {
        assertThat(encoded(123, -3)).containsExactly(2, 1, 0, 0, 12, 3000); // 123000
        assertThat(encoded(Long.MIN_VALUE, 0))
            .isEqualTo(encodedGeneral(new BigDecimal(Long.MIN_VALUE)))
            .containsExactly(5, 4, 0x4000, 0, 922, 3372, 368, 5477, 5808);
    }

    @Test
    void fastPathMatchesTheDigitStringReferenceForEdgeAndRandomValues() {
        List<long[]> cases = new ArrayList<>();
        long[] edges = {0, 1, -1, 9, 10, 99, 9999, 10_000, 10_001, 99_999_999, 100_000_000, 999_999_999_999_999_999L,
            Long.MAX_VALUE, -Long.MAX_VALUE, 1_000_000_000_000_000_000L};
        for (long u : edges) {
            for (int scale = 0; scale <= 24; scale++) {
                cases.add(new long[] {u, scale});
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            int digits = random.nextInt(1, 19);
            long u = random.nextLong((long) Math.pow(10, digits));
            cases.add(new long[] {random.nextBoolean() ? u : -u, random.nextInt(0, 21)});
        }
        for (long[] c : cases) {
            assertThat(encoded(c[0], (int) c[1]))
                .as("%d scale %d", c[0], c[1])
                .isEqualTo(encodedGeneral(BigDecimal.valueOf(c[0], (int) c[1])));
        }
    }

    @Test
    void rejectsScalesPostgresCannotStore() {
        assertThatThrownBy(() -> encoded(1, PgNumeric.MAX_DSCALE + 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("16384");
        assertThat(encoded(1, PgNumeric.MAX_DSCALE)).startsWith(1, -4096, 0, PgNumeric.MAX_DSCALE);
    }

    @Test
    void writesEveryDigitGroupInRange() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            List<Integer> e = encoded(random.nextLong(), random.nextInt(0, 30));
            assertThat(e.subList(4, e.size())).allSatisfy(d -> assertThat(d).isBetween(0, 9999));
            assertThat(e.get(0)).isEqualTo(e.size() - 4);
            if (e.size() > 4) {
                assertThat(e.get(4)).isNotZero();
                assertThat(e.get(e.size() - 1)).isNotZero();
            }
        }
    }
}
