package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthSnapshot;
import io.tickerplant.venues.book.OrderBook;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binance's documented local-book procedure, step by step, with the update ids of the documentation's example. */
class BinanceBookSyncTest {

    private final Deque<Object> snapshots = new ArrayDeque<>();
    private final List<BookUpdate> books = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<Object> all = new ArrayList<>();
    private int fetches;

    private BinanceBookSync sync(int interval) {
        return new BinanceBookSync("BINANCE", "BNB-BTC", "BNBBTC", interval, symbol -> {
            fetches++;
            Object next = snapshots.poll();
            if (next instanceof Exception e) {
                throw e;
            }
            return (DepthSnapshot) next;
        }, new BinanceBookSync.Output() {
            @Override
            public void book(BookUpdate update) {
                books.add(update);
                all.add(update);
            }

            @Override
            public void status(FeedState state, String detail, String fromId, String toId) {
                String s = state + (fromId == null ? "" : " " + fromId + ".." + toId);
                statuses.add(s);
                all.add(s);
            }
        });
    }

    private static BookLevel l(String price, String size) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(size));
    }

    private static DepthEvent diff(long first, long last, List<BookLevel> bids, List<BookLevel> asks) {
        return new DepthEvent("BNBBTC", 1_000 + last, first, last, -1, bids, asks);
    }

    private static DepthSnapshot snapshot(long id) {
        return new DepthSnapshot(id, List.of(l("0.0024", "10"), l("0.0023", "5")), List.of(l("0.0026", "100")));
    }

    private static OrderBook replay(List<BookUpdate> updates) {
        OrderBook b = new OrderBook();
        for (BookUpdate u : updates) {
            if (u.getSnapshot()) {
                b.replace(u.getBids(), u.getAsks());
            } else {
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
        }
        return b;
    }

    @Test
    void bufferedDiffsInTheSnapshotAreDroppedAndTheFirstAppliedOneBracketsIt() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(157, 160, List.of(l("0.0024", "10")), List.of()), 1);   // in the snapshot: dropped
        assertThat(books).hasSize(1);
        BookUpdate first = books.get(0);
        assertThat(first.getSnapshot()).isTrue();
        assertThat(first.getSequence()).isZero();
        assertThat(first.getLastUpdateId()).isEqualTo(160L);
        s.onDiff(diff(158, 161, List.of(), List.of(l("0.0026", "0"))), 2);    // brackets 161
        s.onDiff(diff(162, 163, List.of(l("0.0025", "1")), List.of()), 3);
        assertThat(books).hasSize(3);
        assertThat(books.get(1).getSnapshot()).isFalse();
        assertThat(books.get(1).getSequence()).isEqualTo(1);
        assertThat(books.get(1).getAsks()).containsExactly(l("0.0026", "0"));
        assertThat(books.get(2).getFirstUpdateId()).isEqualTo(162L);
        assertThat(books.get(2).getLastUpdateId()).isEqualTo(163L);
        assertThat(statuses).isEmpty();
        assertThat(replay(books).sameLevels(s.book())).isTrue();
        assertThat(s.book().toString()).isEqualTo("bids [0.0025 x 1, 0.0024 x 10, 0.0023 x 5] asks []");
    }

    @Test
    void diffsThatArrivedBeforeTheSnapshotAreFoldedIntoIt() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(150));
        s.onDiff(diff(149, 152, List.of(l("0.0022", "7")), List.of()), 1);
        assertThat(books).hasSize(1);
        assertThat(books.get(0).getLastUpdateId()).isEqualTo(152L);
        assertThat(books.get(0).getBids()).contains(l("0.0022", "7"));
        s.onDiff(diff(153, 153, List.of(), List.of()), 2);
        assertThat(books).hasSize(2);
        assertThat(statuses).isEmpty();
    }

    @Test
    void aSnapshotOlderThanTheBufferedDiffsIsFetchedAgain() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(100));
        s.onDiff(diff(157, 160, List.of(), List.of()), 1);
        assertThat(books).isEmpty();
        assertThat(statuses).containsExactly("STALE");
        snapshots.add(snapshot(161));
        s.onDiff(diff(161, 161, List.of(), List.of()), 2);
        assertThat(fetches).isEqualTo(2);
        assertThat(books).hasSize(1);
        assertThat(books.get(0).getLastUpdateId()).isEqualTo(161L);
        assertThat(s.isSynced()).isTrue();
    }

    @Test
    void aMissingDiffIsAGapThenAResyncThenASnapshotAndNoDeltaOnTheBrokenBook() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(161, 161, List.of(), List.of()), 1);
        s.onDiff(diff(162, 165, List.of(l("0.0021", "1")), List.of()), 2);
        all.clear();
        snapshots.add(snapshot(170));
        s.onDiff(diff(167, 168, List.of(l("0.0020", "1")), List.of()), 3);   // 166 missing
        assertThat(all).hasSize(3);
        assertThat(all.get(0)).isEqualTo("GAP 166..166");
        assertThat(all.get(1)).isEqualTo("RESYNC");
        BookUpdate snap = (BookUpdate) all.get(2);
        assertThat(snap.getSnapshot()).isTrue();
        assertThat(snap.getSequence()).isZero();
        assertThat(snap.getLastUpdateId()).isEqualTo(170L);
        assertThat(s.gaps()).isEqualTo(1);
        assertThat(s.resyncs()).isEqualTo(1);
        // The broken book's levels are gone: the new book is exactly the snapshot.
        assertThat(s.book().toString()).isEqualTo("bids [0.0024 x 10, 0.0023 x 5] asks [0.0026 x 100]");
    }

    @Test
    void aLostConnectionRebuildsTheBookAndReportsTheMissedRange() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(161, 161, List.of(), List.of()), 1);
        s.reset("after the connection was lost");
        all.clear();
        snapshots.add(snapshot(190));
        s.onDiff(diff(185, 186, List.of(), List.of()), 2);
        assertThat(all).hasSize(3);
        assertThat(all.get(0)).isEqualTo("GAP 162..190");
        assertThat(all.get(1)).isEqualTo("RESYNC");
        assertThat(((BookUpdate) all.get(2)).getSnapshot()).isTrue();
    }

    @Test
    void aFailedSnapshotRequestIsReportedOnceAsStaleAndRetriedLater() {
        BinanceBookSync s = sync(1000);
        snapshots.add(new java.io.IOException("HTTP 429"));
        s.onDiff(diff(161, 161, List.of(), List.of()), 1);
        s.onDiff(diff(162, 162, List.of(), List.of()), 2);  // within the retry pause: no request
        assertThat(fetches).isEqualTo(1);
        assertThat(statuses).containsExactly("STALE");
        assertThat(books).isEmpty();
        assertThat(s.buffered()).isEqualTo(2);
    }

    @Test
    void aFullSnapshotFollowsEveryNDeltasWithTheSequenceGoingOn() {
        BinanceBookSync s = sync(3);
        snapshots.add(snapshot(160));
        for (long id = 161; id <= 167; id++) {
            s.onDiff(diff(id, id, List.of(l("0.0019", Long.toString(id))), List.of()), id);
        }
        List<Boolean> kinds = books.stream().map(BookUpdate::getSnapshot).toList();
        // 161 arrives before the snapshot and is folded into it; 162..167 are six deltas.
        assertThat(kinds).containsExactly(true, false, false, false, true, false, false, false, true);
        assertThat(books.stream().map(BookUpdate::getSequence).toList())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(replay(books.subList(4, books.size())).sameLevels(s.book())).isTrue();
    }

    @Test
    void duplicateDiffsAreIgnored() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(161, 162, List.of(), List.of()), 1);
        s.onDiff(diff(161, 162, List.of(l("9", "9")), List.of()), 2);
        assertThat(s.staleDiffs()).isEqualTo(1);
        assertThat(statuses).isEmpty();
        assertThat(s.lastUpdateId()).isEqualTo(162);
    }
}
