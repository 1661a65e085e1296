package io.tickerplant.venues.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.book.OrderBook;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coinbase's book rules: snapshot, updates, invalidation by a gap or a crossed book, periodic snapshots. */
class CoinbaseBookSyncTest {

    private final List<BookUpdate> books = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final CoinbaseBookSync sync = new CoinbaseBookSync("COINBASE", "BTC-USD", "BTC-USD", 2,
            new CoinbaseBookSync.Output() {
                @Override
                public void book(BookUpdate update) {
                    books.add(update);
                }

                @Override
                public void status(FeedState state, String detail, String fromId, String toId) {
                    statuses.add(state + " " + fromId + ".." + toId);
                }
            });

    private static List<BookLevel> levels(String... pairs) {
        List<BookLevel> out = new ArrayList<>();
        for (String p : pairs) {
            String[] s = p.split(" x ");
            out.add(new BookLevel(Decimals.parse(s[0]), Decimals.parse(s[1])));
        }
        return out;
    }

    @Test
    void snapshotThenUpdatesArePublishedAsSnapshotAndChangedLevelsWithAPeriodicFullBook() {
        sync.onSnapshot(levels("100 x 1", "99 x 2"), levels("101 x 1"), 5, 10, 11);
        assertThat(sync.onUpdate(levels("100 x 1", "98 x 3"), levels(), 6, 12, 13))
                .isEqualTo(CoinbaseBookSync.Applied.APPLIED);
        sync.onUpdate(levels("99 x 0"), levels("102 x 4"), 7, 14, 15);
        assertThat(books).extracting(BookUpdate::getSnapshot).containsExactly(true, false, false, true);
        assertThat(books).extracting(BookUpdate::getSequence).containsExactly(0L, 1L, 2L, 3L);
        // Level 100 x 1 did not change the book, so the first delta carries only 98.
        assertThat(books.get(1).getBids()).extracting(l -> Decimals.toPlainString(l.getPrice())).containsExactly("98");
        assertThat(books.get(1).getFirstUpdateId()).isEqualTo(6);
        assertThat(books.get(3).getLastUpdateId()).isEqualTo(7);
        assertThat(sync.book().toString()).isEqualTo("bids [100 x 1, 98 x 3] asks [101 x 1, 102 x 4]");
        assertThat(statuses).isEmpty();
    }

    @Test
    void anInvalidatedBookDropsUpdatesAsksOnceForASnapshotAndResyncsOnIt() {
        sync.onSnapshot(levels("100 x 1"), levels("101 x 1"), 0, 1, 1);
        assertThat(sync.invalidate("messages 3..4 lost", "3", "4")).isTrue();
        assertThat(sync.invalidate("message 6 lost", "6", "6")).as("one resubscription answers both").isFalse();
        assertThat(sync.onUpdate(levels("100 x 2"), levels(), 7, 1, 1)).isEqualTo(CoinbaseBookSync.Applied.DROPPED);
        assertThat(sync.unsyncedUpdates()).isEqualTo(1);
        sync.onSnapshot(levels("100 x 5"), levels("101 x 1"), 9, 1, 1);
        assertThat(statuses).containsExactly("GAP 3..4", "GAP 6..6", "RESYNC null..9");
        assertThat(books).extracting(BookUpdate::getSnapshot).containsExactly(true, true);
        assertThat(books.get(1).getSequence()).isZero();
        assertThat(sync.isSynced()).isTrue();
        assertThat(sync.resyncs()).isEqualTo(1);
    }

    @Test
    void anUpdateThatCrossesTheBookBreaksItInsteadOfBeingPublished() {
        sync.onSnapshot(levels("100 x 1"), levels("101 x 1"), 0, 1, 1);
        assertThat(sync.onUpdate(levels("102 x 1"), levels(), 1, 1, 1)).isEqualTo(CoinbaseBookSync.Applied.BROKE_BOOK);
        assertThat(statuses).containsExactly("GAP 1..1");
        assertThat(books).hasSize(1);
        assertThat(sync.isSynced()).isFalse();
    }

    @Test
    void aLostConnectionIsAResyncOnceTheNewSnapshotIsIn() {
        sync.onSnapshot(levels("100 x 1"), levels("101 x 1"), 0, 1, 1);
        sync.reset("connection lost");
        assertThat(sync.book().isEmpty()).isTrue();
        sync.onSnapshot(levels("100 x 1"), levels("101 x 1"), 3, 1, 1);
        assertThat(statuses).containsExactly("RESYNC null..3");
    }

    @Test
    void theFirstSnapshotIsNoResync() {
        sync.onSnapshot(levels("100 x 1"), levels("101 x 1"), 0, 1, 1);
        assertThat(statuses).isEmpty();
        OrderBook b = sync.book();
        assertThat(b.depth(OrderBook.Side.BID)).isEqualTo(1);
    }
}
