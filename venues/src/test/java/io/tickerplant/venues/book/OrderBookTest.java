package io.tickerplant.venues.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.venues.book.OrderBook.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderBookTest {

    private static BookLevel l(String price, String size) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(size));
    }

    private static String prices(List<BookLevel> levels) {
        return String.join(",", levels.stream().map(x -> Decimals.toPlainString(x.getPrice())).toList());
    }

    @Test
    void bidsAreBestFirstDescendingAndAsksAscending() {
        OrderBook b = new OrderBook();
        b.replace(List.of(l("9.9", "1"), l("10.1", "1"), l("10", "1")), List.of(l("11", "1"), l("10.5", "1")));
        assertThat(prices(b.levels(Side.BID))).isEqualTo("10.1,10,9.9");
        assertThat(prices(b.levels(Side.ASK))).isEqualTo("10.5,11");
        assertThat(prices(b.levels(Side.BID, 2))).isEqualTo("10.1,10");
        assertThat(b.best(Side.ASK)).isEqualTo(l("10.5", "1"));
        assertThat(b.isCrossed()).isFalse();
    }

    @Test
    void pricesAreComparedByValueSoOtherDigitsHitTheSameLevel() {
        OrderBook b = new OrderBook();
        b.set(Side.BID, Decimals.parse("0.10"), Decimals.parse("5"));
        assertThat(b.set(Side.BID, Decimals.parse("0.10000000"), Decimals.parse("6"))).isTrue();
        assertThat(b.depth(Side.BID)).isEqualTo(1);
        assertThat(b.size(Side.BID, Decimals.parse("0.1"))).isEqualTo(Decimals.parse("6"));
        assertThat(b.set(Side.BID, Decimals.parse("0.1"), Decimals.parse("0.00000000"))).isTrue();
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void applyReturnsOnlyTheLevelsThatChangedTheBook() {
        OrderBook b = new OrderBook();
        b.replace(List.of(l("10", "1"), l("9", "2")), List.of());
        List<BookLevel> changed = b.apply(Side.BID, List.of(
                l("10", "1.0"),      // same size, other digits: no change
                l("9", "3"),         // new size
                l("8", "0"),         // removing an absent level: no change
                l("10", "0"),        // removal
                l("7", "4")));       // new level
        assertThat(changed).containsExactly(l("9", "3"), l("10", "0"), l("7", "4"));
        assertThat(b.toString()).isEqualTo("bids [9 x 3, 7 x 4] asks []");
    }

    @Test
    void aConsumerApplyingTheChangedLevelsEndsWithTheSameBook() {
        OrderBook source = new OrderBook();
        source.replace(List.of(l("10", "1"), l("9", "2")), List.of(l("11", "1")));
        OrderBook consumer = source.copy();
        consumer.apply(Side.ASK, source.apply(Side.ASK, List.of(l("11", "0"), l("12", "5"), l("13", "0"))));
        consumer.apply(Side.BID, source.apply(Side.BID, List.of(l("10", "2"), l("8.5", "1"))));
        assertThat(consumer.sameLevels(source)).isTrue();
        assertThat(consumer.toString()).isEqualTo(source.toString());
    }

    @Test
    void sameLevelsComparesValuesAndSeesDifferences() {
        OrderBook a = new OrderBook();
        OrderBook b = new OrderBook();
        a.replace(List.of(l("1.50", "2.0")), List.of(l("2", "1")));
        b.replace(List.of(l("1.5", "2")), List.of(l("2.00", "1.000")));
        assertThat(a.sameLevels(b)).isTrue();
        b.set(Side.ASK, Decimals.parse("2"), Decimals.parse("1.5"));
        assertThat(a.sameLevels(b)).isFalse();
    }

    @Test
    void aCrossedBookIsDetectedAndNegativeSizesRefused() {
        OrderBook b = new OrderBook();
        b.replace(List.of(l("10", "1")), List.of(l("10", "1")));
        assertThat(b.isCrossed()).isTrue();
        assertThatThrownBy(() -> b.set(Side.BID, Decimals.parse("1"), Decimals.parse("-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replaceIgnoresZeroSizesAndClearsTheOldBook() {
        OrderBook b = new OrderBook();
        b.replace(List.of(l("1", "1")), List.of(l("3", "1")));
        b.replace(List.of(l("2", "1"), l("1.5", "0")), List.of());
        assertThat(b.toString()).isEqualTo("bids [2 x 1] asks []");
    }
}
