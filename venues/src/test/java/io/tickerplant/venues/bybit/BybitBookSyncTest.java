package io.tickerplant.venues.bybit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.bybit.BybitParser.Book;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bybit's book rules: snapshot resets, u continuity, u=1 restart, size 0 removes, snapshot interval. */
class BybitBookSyncTest {

    private final List<BookUpdate> books = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<String> resubscribed = new ArrayList<>();
    private final BybitBookSync sync = new BybitBookSync("BYBIT", "BTC-USDT", "BTCUSDT", "orderbook.50.BTCUSDT", 3,
            resubscribed::add, new BybitBookSync.Output() {
                @Override
                public void book(BookUpdate update) {
                    books.add(update);
                }

                @Override
                public void status(FeedState state, String detail, String fromId, String toId) {
                    statuses.add(state + " " + fromId + ".." + toId);
                }
            });

    private static BookLevel l(String price, String size) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(size));
    }

    private static Book snapshot(long u, List<BookLevel> bids, List<BookLevel> asks) {
        return new Book(50, "BTCUSDT", true, u, 100, 1000, bids, asks);
    }

    private static Book delta(long u, List<BookLevel> bids, List<BookLevel> asks) {
        return new Book(50, "BTCUSDT", false, u, 100 + u, 1000 + u, bids, asks);
    }

    @Test
    void aSnapshotThenContinuousDeltasArePublishedWithCountingSequences() {
        sync.onFrame(snapshot(10, List.of(l("100", "1"), l("99", "2")), List.of(l("101", "1"))), 0);
        sync.onFrame(delta(11, List.of(l("99", "0")), List.of(l("102", "5"))), 0);
        sync.onFrame(delta(12, List.of(l("100", "3")), List.of()), 0);
        assertThat(books).extracting(BookUpdate::getSequence).containsExactly(0L, 1L, 2L);
        assertThat(books.get(0).getSnapshot()).isTrue();
        assertThat(books.get(1).getBids()).extracting(b -> Decimals.toPlainString(b.getSize())).containsExactly("0");
        assertThat(sync.book().toString()).isEqualTo("bids [100 x 3] asks [101 x 1, 102 x 5]");
        assertThat(statuses).isEmpty();
    }

    @Test
    void aBrokenUChainIsAGapWithTheMissingIdsAndTheNextSnapshotResyncs() {
        sync.onFrame(snapshot(10, List.of(l("100", "1")), List.of(l("101", "1"))), 0);
        sync.onFrame(delta(11, List.of(l("100", "2")), List.of()), 0);
        sync.onFrame(delta(14, List.of(l("100", "9")), List.of()), 0);
        sync.onFrame(delta(15, List.of(l("100", "8")), List.of()), 0);
        assertThat(statuses).containsExactly("GAP 12..13");
        assertThat(resubscribed).containsExactly("orderbook.50.BTCUSDT");
        assertThat(books).as("nothing built on the broken book").hasSize(2);
        assertThat(sync.unsyncedDeltas()).isEqualTo(2);
        sync.onFrame(snapshot(20, List.of(l("100", "4")), List.of(l("101", "1"))), 0);
        sync.onFrame(delta(21, List.of(), List.of(l("101", "2"))), 0);
        assertThat(statuses).containsExactly("GAP 12..13", "RESYNC null..20");
        assertThat(books).extracting(BookUpdate::getSequence).containsExactly(0L, 1L, 0L, 1L);
        assertThat(sync.book().toString()).isEqualTo("bids [100 x 4] asks [101 x 2]");
    }

    @Test
    void aSnapshotWithUOneOverwritesTheBookAndIsNoGap() {
        sync.onFrame(snapshot(500, List.of(l("100", "1")), List.of(l("101", "1"))), 0);
        sync.onFrame(delta(501, List.of(l("99", "1")), List.of()), 0);
        sync.onFrame(snapshot(1, List.of(l("98", "1")), List.of(l("103", "1"))), 0);
        sync.onFrame(delta(2, List.of(l("97", "1")), List.of()), 0);
        assertThat(statuses).isEmpty();
        assertThat(sync.restarts()).isEqualTo(1);
        assertThat(sync.book().toString()).isEqualTo("bids [98 x 1, 97 x 1] asks [103 x 1]");
        assertThat(books).extracting(BookUpdate::getSequence).containsExactly(0L, 1L, 0L, 1L);
    }

    @Test
    void deltasBeforeTheFirstSnapshotWait() {
        sync.onFrame(delta(5, List.of(l("100", "1")), List.of()), 0);
        assertThat(books).isEmpty();
        assertThat(sync.isSynced()).isFalse();
        assertThat(statuses).isEmpty();
    }

    @Test
    void aLostConnectionReportsTheIdsTheNewSnapshotFoldedIn() {
        sync.onFrame(snapshot(10, List.of(l("100", "1")), List.of(l("101", "1"))), 0);
        sync.reset("connection lost");
        sync.onFrame(delta(11, List.of(l("100", "5")), List.of()), 0);
        sync.onFrame(snapshot(30, List.of(l("100", "2")), List.of(l("101", "1"))), 0);
        assertThat(statuses).containsExactly("GAP 11..29", "RESYNC null..30");
        assertThat(books).hasSize(2);
    }

    @Test
    void aFullSnapshotFollowsEverySnapshotIntervalDeltas() {
        sync.onFrame(snapshot(10, List.of(l("100", "1")), List.of(l("101", "1"))), 0);
        for (int u = 11; u <= 16; u++) {
            sync.onFrame(delta(u, List.of(l("100", Integer.toString(u))), List.of()), 0);
        }
        assertThat(books).extracting(b -> (b.getSnapshot() ? "S" : "D") + b.getSequence())
                .containsExactly("S0", "D1", "D2", "D3", "S4", "D5", "D6", "D7", "S8");
    }
}
