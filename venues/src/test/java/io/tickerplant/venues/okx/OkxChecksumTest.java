package io.tickerplant.venues.okx;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two examples of OKX's checksum documentation; the expected values were computed independently with Python's
 * {@code zlib.crc32} ({@code 2413953002} is {@code -1881014294} as a signed 32-bit integer).
 */
class OkxChecksumTest {

    private static BookLevel l(String price, String size) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(size));
    }

    @Test
    void bothSidesInterleavedLevelByLevel() {
        List<BookLevel> bids = List.of(l("3366.1", "7"), l("3366", "6"));
        List<BookLevel> asks = List.of(l("3366.8", "9"), l("3368", "8"));
        assertThat(OkxChecksum.text(bids, asks)).isEqualTo("3366.1:7:3366.8:9:3366:6:3368:8");
        assertThat(OkxChecksum.of(bids, asks)).isEqualTo(-1881014294);
    }

    @Test
    void theLongerSideGoesOnAlone() {
        List<BookLevel> bids = List.of(l("3366.1", "7"));
        List<BookLevel> asks = List.of(l("3366.8", "9"), l("3368", "8"), l("3372", "8"));
        assertThat(OkxChecksum.text(bids, asks)).isEqualTo("3366.1:7:3366.8:9:3368:8:3372:8");
        assertThat(OkxChecksum.of(bids, asks)).isEqualTo(831078360);
    }

    @Test
    void onlyTheBest25LevelsCountAndTheVenuesDigitsAreKept() {
        List<BookLevel> bids = new ArrayList<>();
        List<BookLevel> asks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bids.add(l(Integer.toString(1000 - i), "1.50"));
            asks.add(l(Integer.toString(1001 + i), "1"));
        }
        String text = OkxChecksum.text(bids, asks);
        assertThat(text.split(":")).hasSize(100);
        assertThat(text).startsWith("1000:1.50:1001:1:").doesNotContain("975:");
    }
}
