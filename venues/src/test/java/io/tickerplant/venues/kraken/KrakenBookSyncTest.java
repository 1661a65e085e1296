package io.tickerplant.venues.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.book.OrderBook;
import io.tickerplant.venues.kraken.KrakenParser.Book;
import io.tickerplant.venues.kraken.KrakenParser.BookData;
import io.tickerplant.venues.kraken.KrakenParser.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KrakenBookSyncTest {

    private static final Precision BTC_USD = new Precision(1, 8);

    private final List<BookUpdate> books = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<String> resubscribes = new ArrayList<>();

    private KrakenBookSync sync(int depth, int interval) {
        return new KrakenBookSync("KRAKEN", "BTC-USD", "BTC/USD", depth, interval, BTC_USD,
                new KrakenBookSync.Output() {
                    @Override
                    public void book(BookUpdate update) {
                        books.add(update);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        statuses.add(state + " " + detail);
                    }

                    @Override
                    public void resubscribe(String why) {
                        resubscribes.add(why);
                    }
                });
    }

    private static BookData docs() throws Exception {
        return ((Book) new KrakenParser().parse(KrakenDocs.BOOK_SNAPSHOT)).books().get(0);
    }

    private static BookLevel level(String price, String qty) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(qty));
    }

    /** The checksum of what the book should be, computed independently of the sync. */
    private static long checksumOf(OrderBook b) {
        return KrakenChecksum.of(b, 1, 8);
    }

    @Test
    void theDocumentedSnapshotSyncsAndIsPublishedWithSequenceZero() throws Exception {
        KrakenBookSync s = sync(10, 100);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 1_000);
        assertThat(s.isSynced()).isTrue();
        assertThat(books).hasSize(1);
        assertThat(books.get(0).getSnapshot()).isTrue();
        assertThat(books.get(0).getSequence()).isZero();
        assertThat(books.get(0).getChecksum()).isEqualTo(3310070434L);
        assertThat(statuses).isEmpty();
    }

    @Test
    void anUpdateIsAppliedWholeThenTruncatedThenVerified() throws Exception {
        KrakenBookSync s = sync(10, 100);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 1_000);
        // A new best bid pushes the 10th bid (45276.6) out of the depth-10 scope; Kraken sends no removal for it.
        OrderBook expected = s.book();
        expected.set(OrderBook.Side.BID, Decimals.parse("45284.0"), Decimals.parse("0.5"));
        expected.set(OrderBook.Side.BID, Decimals.parse("45276.6"), Decimals.parse("0"));
        s.onUpdate(List.of(level("45284.0", "0.50000000")), List.of(), checksumOf(expected), 5_000, 6_000);
        assertThat(statuses).isEmpty();
        assertThat(s.book().sameLevels(expected)).isTrue();
        BookUpdate delta = books.get(1);
        assertThat(delta.getSnapshot()).isFalse();
        assertThat(delta.getSequence()).isEqualTo(1);
        // The delta says what truncation removed, so that a consumer's book stays equal.
        assertThat(delta.getBids()).extracting(l -> Decimals.toPlainString(l.getPrice()))
                .containsExactly("45284.0", "45276.6");
        assertThat(Decimals.isZero(delta.getBids().get(1).getSize())).isTrue();
    }

    @Test
    void truncatingBeforeApplyingEveryLevelWouldLoseALevelTheChecksumNeeds() throws Exception {
        KrakenBookSync s = sync(10, 100);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 1_000);
        // One message inserts a new best ask (11 asks for a moment) and removes the old best: the 10th ask stays.
        OrderBook expected = s.book();
        expected.set(OrderBook.Side.ASK, Decimals.parse("45285.0"), Decimals.parse("1"));
        expected.set(OrderBook.Side.ASK, Decimals.parse("45285.2"), Decimals.parse("0"));
        s.onUpdate(List.of(), List.of(level("45285.0", "1.00000000"), level("45285.2", "0")),
                checksumOf(expected), 5_000, 6_000);
        assertThat(statuses).isEmpty();
        assertThat(s.book().depth(OrderBook.Side.ASK)).isEqualTo(10);
        assertThat(s.book().size(OrderBook.Side.ASK, Decimals.parse("45299.5"))).isNotNull();
    }

    @Test
    void aChecksumMismatchIsAGapWithBothChecksumsThenAResubscriptionAndAResync() throws Exception {
        KrakenBookSync s = sync(10, 100);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 1_000);
        s.onUpdate(List.of(level("45283.5", "0.2")), List.of(), 12345, 5_000, 6_000);
        assertThat(statuses).hasSize(1);
        assertThat(statuses.get(0)).startsWith("GAP").contains("Kraken sent 12345").contains("computed ");
        assertThat(resubscribes).hasSize(1);
        assertThat(s.isSynced()).isFalse();
        assertThat(books).hasSize(1);
        // Updates before the new snapshot are not built on the broken book.
        s.onUpdate(List.of(level("45283.5", "0.3")), List.of(), 1, 7_000, 8_000);
        assertThat(books).hasSize(1);
        assertThat(s.ignoredUpdates()).isEqualTo(1);
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 9_000);
        assertThat(statuses.get(1)).startsWith("RESYNC").contains("after a checksum mismatch");
        assertThat(books.get(1).getSnapshot()).isTrue();
        assertThat(books.get(1).getSequence()).isZero();
    }

    @Test
    void aSnapshotWithAWrongChecksumIsNotPublished() throws Exception {
        KrakenBookSync s = sync(10, 100);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum() + 1, -1, 1_000);
        assertThat(books).isEmpty();
        assertThat(statuses.get(0)).startsWith("GAP").contains("after the snapshot");
        assertThat(resubscribes).hasSize(1);
    }

    @Test
    void aFullSnapshotFollowsEveryIntervalOfDeltas() throws Exception {
        KrakenBookSync s = sync(10, 2);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 1_000);
        OrderBook b = s.book();
        for (int i = 1; i <= 4; i++) {
            b.set(OrderBook.Side.BID, Decimals.parse("45283.5"), Decimals.parse("0." + i));
            s.onUpdate(List.of(level("45283.5", "0." + i)), List.of(), checksumOf(b), 5_000, 6_000);
        }
        assertThat(books).extracting(u -> (u.getSnapshot() ? "S" : "D") + u.getSequence())
                .containsExactly("S0", "D1", "D2", "S3", "D4", "D5", "S6");
    }

    @Test
    void aLostConnectionDropsTheBookUntilTheNextSnapshotWhichIsAResync() throws Exception {
        KrakenBookSync s = sync(10, 100);
        BookData d = docs();
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 1_000);
        s.reset("after the connection was lost");
        assertThat(s.isSynced()).isFalse();
        s.onUpdate(List.of(level("45283.5", "0.3")), List.of(), 1, 7_000, 8_000);
        assertThat(books).hasSize(1);
        s.onSnapshot(d.bids(), d.asks(), d.checksum(), -1, 9_000);
        assertThat(statuses).containsExactly("RESYNC book BTC/USD resynchronized after the connection was lost from a"
                + " new snapshot (checksum 3310070434 verified)");
    }
}
