package io.tickerplant.venues.bitstamp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.venues.bitstamp.BitstampParser.BookSnapshot;
import io.tickerplant.venues.bitstamp.BitstampParser.DiffEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bitstamp's microtimestamp rules, and what the sync does when the book cannot be trusted. */
class BitstampBookSyncTest {

    private final Deque<BookSnapshot> snapshots = new ArrayDeque<>();
    private final List<Object> out = new ArrayList<>();
    private final BitstampBookSync sync = new BitstampBookSync("BITSTAMP", "BTC-USD", "btcusd", 3,
            pair -> snapshots.pollFirst(), new BitstampBookSync.Output() {
                @Override
                public void book(BookUpdate update) {
                    out.add(update);
                }

                @Override
                public void quote(Quote quote) {
                    out.add(quote);
                }

                @Override
                public void status(FeedState state, String detail, String fromId, String toId) {
                    out.add(state + " " + fromId + ".." + toId + " " + detail);
                }
            });

    private static List<BookLevel> levels(String... priceSize) {
        List<BookLevel> l = new ArrayList<>();
        for (int i = 0; i < priceSize.length; i += 2) {
            l.add(new BookLevel(Decimals.parse(priceSize[i]), Decimals.parse(priceSize[i + 1])));
        }
        return l;
    }

    private static BookSnapshot snapshot(long micros) {
        return new BookSnapshot(micros, levels("100.00", "1", "99.00", "2"), levels("101.00", "3", "102.00", "4"));
    }

    private static DiffEvent diff(long micros, List<BookLevel> bids, List<BookLevel> asks) {
        return new DiffEvent("btcusd", micros, bids, asks);
    }

    private List<String> kinds() {
        List<String> k = new ArrayList<>();
        for (Object o : out) {
            if (o instanceof BookUpdate u) {
                k.add((u.getSnapshot() ? "SNAPSHOT#" : "DELTA#") + u.getSequence());
            } else if (o instanceof Quote q) {
                k.add("QUOTE " + Decimals.toPlainString(q.getBidPrice()) + "/" + Decimals.toPlainString(q.getAskPrice()));
            } else {
                k.add(((String) o).split(" ")[0]);
            }
        }
        return k;
    }

    private String status(FeedState state) {
        return out.stream().filter(o -> o instanceof String s && s.startsWith(state.name())).map(o -> (String) o)
                .findFirst().orElseThrow();
    }

    @Test
    void syncsOnTheSubscriptionAckDropsDiffsNotAfterTheSnapshotAndPublishesPeriodicSnapshots() {
        snapshots.add(snapshot(1000));
        sync.onSubscribed(1);
        sync.onDiff(diff(900, levels("100.00", "0"), List.of()), 2);    // older than the snapshot: dropped
        sync.onDiff(diff(1000, levels("100.00", "0"), List.of()), 3);   // same time: already in it
        sync.onDiff(diff(1001, levels("99.50", "5"), List.of()), 4);
        sync.onDiff(diff(1002, List.of(), levels("101.00", "2")), 5);   // top ask size changes: a quote
        sync.onDiff(diff(1003, levels("98.00", "1"), List.of()), 6);
        assertThat(kinds()).containsExactly("SNAPSHOT#0", "QUOTE 100.00/101.00", "DELTA#1", "DELTA#2",
                "QUOTE 100.00/101.00", "DELTA#3", "SNAPSHOT#4");
        assertThat(sync.staleDiffs()).isEqualTo(2);
        assertThat(sync.book().toString()).isEqualTo(
                "bids [100.00 x 1, 99.50 x 5, 99.00 x 2, 98.00 x 1] asks [101.00 x 2, 102.00 x 4]");
        BookUpdate last = (BookUpdate) out.get(out.size() - 1);
        assertThat(last.getLastUpdateId()).isEqualTo(1003L);
    }

    @Test
    void withoutASnapshotDiffsAreBufferedAndTheOnesAfterTheFirstSnapshotAreApplied() {
        sync.onSubscribed(1);                                            // no snapshot yet (replay)
        sync.onDiff(diff(1001, levels("99.50", "5"), List.of()), 2);
        assertThat(sync.isSynced()).isFalse();
        assertThat(sync.buffered()).isEqualTo(1);
        snapshots.add(snapshot(1001));                                   // taken after the buffered diff
        sync.onDiff(diff(1002, List.of(), levels("101.50", "1")), 3);
        assertThat(sync.isSynced()).isTrue();
        assertThat(sync.book().toString()).isEqualTo(
                "bids [100.00 x 1, 99.00 x 2] asks [101.00 x 3, 101.50 x 1, 102.00 x 4]");
        assertThat(sync.bookMicros()).isEqualTo(1002);
        assertThat(sync.staleDiffs()).isEqualTo(1);
    }

    @Test
    void aSnapshotOlderThanTheFirstBufferedDiffIsNotTrusted() {
        sync.onDiff(diff(2000, levels("99.50", "5"), List.of()), 1);   // fetches, gets nothing
        snapshots.add(snapshot(1000));
        sync.onDiff(diff(2001, levels("99.60", "5"), List.of()), 2);
        assertThat(sync.isSynced()).isFalse();
        assertThat(status(FeedState.STALE)).contains("older than the first buffered diff");
        snapshots.add(snapshot(2001));
        sync.onDiff(diff(2002, levels("99.70", "5"), List.of()), 3);
        assertThat(sync.isSynced()).isTrue();
        assertThat(sync.book().toString()).startsWith("bids [100.00 x 1, 99.70 x 5, 99.00 x 2]");
    }

    @Test
    void aDiffOlderThanTheLastAppliedIsAGapThenAResyncFromANewSnapshot() {
        snapshots.add(snapshot(1000));
        sync.onSubscribed(1);
        sync.onDiff(diff(1005, levels("99.50", "5"), List.of()), 2);
        snapshots.add(snapshot(1010));
        sync.onDiff(diff(1003, levels("99.40", "5"), List.of()), 3);
        assertThat(kinds()).containsExactly("SNAPSHOT#0", "QUOTE 100.00/101.00", "DELTA#1", "GAP", "RESYNC",
                "SNAPSHOT#0", "QUOTE 100.00/101.00");
        assertThat(status(FeedState.GAP)).startsWith("GAP 1005..1003").contains("out of order");
        assertThat(sync.book().toString()).doesNotContain("99.40").doesNotContain("99.50");
        assertThat(sync.gaps()).isEqualTo(1);
        assertThat(sync.resyncs()).isEqualTo(1);
    }

    @Test
    void aDiffThatCrossesTheBookIsNotPublishedAndTriggersAResync() {
        snapshots.add(snapshot(1000));
        sync.onSubscribed(1);
        snapshots.add(snapshot(1020));
        // A lost diff removed the 101.00 ask; this bid at 101.50 then crosses the stale ask.
        sync.onDiff(diff(1010, levels("101.50", "1"), List.of()), 2);
        assertThat(kinds()).containsExactly("SNAPSHOT#0", "QUOTE 100.00/101.00", "GAP", "RESYNC", "SNAPSHOT#0",
                "QUOTE 100.00/101.00");
        assertThat(status(FeedState.GAP)).startsWith("GAP 1000..1010").contains("crossed")
                .contains("best bid 101.50 >= best ask 101.00");
        assertThat(sync.book().isCrossed()).isFalse();
    }

    @Test
    void aLostConnectionIsReportedAsAWindowFromTheLastDiffToTheNewSnapshot() {
        snapshots.add(snapshot(1000));
        sync.onSubscribed(1);
        sync.onDiff(diff(1005, levels("99.50", "5"), List.of()), 2);
        sync.reset("after the connection was lost (test)");
        sync.onDiff(diff(1006, levels("99.60", "5"), List.of()), 3);   // stale session frame: buffered, no snapshot
        snapshots.add(snapshot(1200));
        sync.onSubscribed(4);
        assertThat(status(FeedState.GAP)).startsWith("GAP 1005..1200").contains("connection was lost");
        assertThat(status(FeedState.RESYNC)).contains("1200");
        assertThat(kinds().subList(kinds().size() - 3, kinds().size()))
                .containsExactly("RESYNC", "SNAPSHOT#0", "QUOTE 100.00/101.00");
    }

    @Test
    void aFailedSnapshotRequestIsReportedStaleOnceAndRetriedLater() {
        BitstampBookSync failing = new BitstampBookSync("BITSTAMP", "BTC-USD", "btcusd", 3, pair -> {
            throw new java.io.IOException("HTTP 429");
        }, new BitstampBookSync.Output() {
            @Override
            public void book(BookUpdate update) {
                out.add(update);
            }

            @Override
            public void quote(Quote quote) {
            }

            @Override
            public void status(FeedState state, String detail, String fromId, String toId) {
                out.add(state + " " + detail);
            }
        });
        failing.onSubscribed(1);
        failing.onDiff(diff(1001, levels("99.50", "5"), List.of()), 2);
        assertThat(out).hasSize(1);
        assertThat((String) out.get(0)).startsWith("STALE").contains("HTTP 429");
    }
}
