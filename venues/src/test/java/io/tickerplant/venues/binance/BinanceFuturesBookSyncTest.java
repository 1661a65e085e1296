package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The USD-M futures local-book rule: drop {@code u < lastUpdateId}, start on the diff with
 * {@code U <= lastUpdateId <= u}, then every diff's {@code pu} is the previous diff's {@code u}.
 */
class BinanceFuturesBookSyncTest {

    private final Deque<DepthSnapshot> snapshots = new ArrayDeque<>();
    private final List<BookUpdate> books = new ArrayList<>();
    private final List<String> all = new ArrayList<>();
    private int fetches;

    private BinanceBookSync sync(int interval) {
        return new BinanceBookSync(BinanceMarket.USDM_FUTURES, "BINANCE_FUTURES", "BTC-USDT-PERP", "BTCUSDT",
                interval, symbol -> {
                    fetches++;
                    return snapshots.poll();
                }, new BinanceBookSync.Output() {
                    @Override
                    public void book(BookUpdate update) {
                        books.add(update);
                        all.add((update.getSnapshot() ? "SNAPSHOT " : "DELTA ") + update.getSequence() + " @"
                                + update.getLastUpdateId());
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        all.add(state + (fromId == null ? "" : " " + fromId + ".." + toId));
                    }
                });
    }

    private static BookLevel l(String price, String size) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(size));
    }

    /** Futures update ids jump between events: U need not be pu + 1. */
    private static DepthEvent diff(long first, long last, long previous, String bid) {
        return new DepthEvent("BTCUSDT", 1_000 + last, first, last, previous,
                bid == null ? List.of() : List.of(l(bid, "1")), List.of());
    }

    private static DepthSnapshot snapshot(long id) {
        return new DepthSnapshot(id, List.of(l("100", "5")), List.of(l("101", "7")));
    }

    @Test
    void theFirstAppliedDiffBracketsTheSnapshotAndOlderOnesAreDropped() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(140, 149, 130, "99"), 1);         // starts the sync; u < 160: dropped, the snapshot goes out
        assertThat(all).containsExactly("SNAPSHOT 0 @160");
        s.onDiff(diff(157, 165, 149, "98"), 2);         // 157 <= 160 <= 165: the first diff applied
        assertThat(fetches).isEqualTo(1);
        assertThat(s.book().toString()).isEqualTo("bids [100 x 5, 98 x 1] asks [101 x 7]");
        s.onDiff(diff(170, 172, 165, "97"), 3);         // pu = previous u
        assertThat(all).containsExactly("SNAPSHOT 0 @160", "DELTA 1 @165", "DELTA 2 @172");
        assertThat(s.gaps()).isZero();
    }

    @Test
    void aDiffEndingExactlyAtTheSnapshotIsTheOneToStartOn() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(150, 160, 140, "99"), 1);         // u == lastUpdateId: kept, and it brackets
        s.onDiff(diff(163, 170, 160, "98"), 2);
        assertThat(all).containsExactly("SNAPSHOT 0 @160", "DELTA 1 @170");
        assertThat(s.gaps()).isZero();
    }

    @Test
    void aBrokenPuChainIsAGapThenAResyncFromANewSnapshot() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(157, 165, 149, "98"), 1);
        s.onDiff(diff(166, 170, 165, "97"), 2);
        snapshots.add(new DepthSnapshot(185, List.of(l("90", "1")), List.of(l("91", "1"))));
        s.onDiff(diff(181, 190, 176, "96"), 3);         // pu 176 != 170: events up to 176 were lost
        assertThat(all).containsExactly("SNAPSHOT 0 @165", "DELTA 1 @170", "GAP 171..176", "RESYNC",
                "SNAPSHOT 0 @190");
        // The broken book is gone: the new one is the new snapshot plus the diff that bracketed it.
        assertThat(s.book().toString()).isEqualTo("bids [96 x 1, 90 x 1] asks [91 x 1]");
        assertThat(s.gaps()).isEqualTo(1);
        assertThat(s.resyncs()).isEqualTo(1);
    }

    @Test
    void aSnapshotOlderThanEveryBufferedDiffIsNotUsed() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(150));                   // older than U=157: ids 151..156 in neither
        s.onDiff(diff(157, 165, 149, "98"), 1);
        assertThat(all).containsExactly("STALE");
        assertThat(books).isEmpty();
        snapshots.add(snapshot(168));
        s.onDiff(diff(166, 170, 165, "97"), 2);
        assertThat(all).containsExactly("STALE", "SNAPSHOT 0 @170");
    }

    @Test
    void aFullSnapshotFollowsEveryIntervalDeltas() {
        BinanceBookSync s = sync(2);
        snapshots.add(snapshot(160));
        s.onDiff(diff(157, 165, 149, null), 1);
        s.onDiff(diff(166, 170, 165, null), 2);
        s.onDiff(diff(171, 175, 170, null), 3);
        s.onDiff(diff(176, 180, 175, null), 4);
        assertThat(all).containsExactly("SNAPSHOT 0 @165", "DELTA 1 @170", "DELTA 2 @175", "SNAPSHOT 3 @175",
                "DELTA 4 @180");
    }

    @Test
    void aLostConnectionReportsWhatWasMissedOnceTheNewSnapshotIsIn() {
        BinanceBookSync s = sync(1000);
        snapshots.add(snapshot(160));
        s.onDiff(diff(157, 165, 149, null), 1);
        s.reset("after the connection was lost");
        all.clear();
        snapshots.add(snapshot(200));
        s.onDiff(diff(195, 205, 190, null), 2);
        assertThat(all).containsExactly("GAP 166..205", "RESYNC", "SNAPSHOT 0 @205");
    }
}
