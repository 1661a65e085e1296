package io.tickerplant.venues.okx;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.okx.OkxParser.BookData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OKX's book rules. Checksums are the documentation's examples (verified with Python's zlib.crc32): the snapshot
 * book {@code 3366.1:7:3366.8:9:3366:6:3368:8} is -1881014294; removing bid 3366 and adding ask 3372 x 8 gives
 * {@code 3366.1:7:3366.8:9:3368:8:3372:8}, 831078360.
 */
class OkxBookSyncTest {

    private static final long SNAPSHOT_SUM = -1881014294L;
    private static final long UPDATED_SUM = 831078360L;

    private final List<BookUpdate> books = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<String> resubscribed = new ArrayList<>();

    private OkxBookSync sync(int interval) {
        return new OkxBookSync("OKX", "BTC-USDT", "BTC-USDT", interval, resubscribed::add,
                new OkxBookSync.Output() {
                    @Override
                    public void book(BookUpdate update) {
                        books.add(update);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        statuses.add(state + " " + fromId + ".." + toId + " " + detail);
                    }
                });
    }

    private static BookLevel l(String p, String s) {
        return new BookLevel(Decimals.parse(p), Decimals.parse(s));
    }

    private static BookData snapshot(long seq, long checksum) {
        return new BookData("BTC-USDT", List.of(l("3366.1", "7"), l("3366", "6")),
                List.of(l("3366.8", "9"), l("3368", "8")), 1000, checksum, seq, -1L);
    }

    private static BookData update(long prev, long seq, long checksum) {
        return new BookData("BTC-USDT", List.of(l("3366", "0")), List.of(l("3372", "8")), 1001, checksum, seq, prev);
    }

    private static BookData heartbeat(long seq, long checksum) {
        return new BookData("BTC-USDT", List.of(), List.of(), 1002, checksum, seq, seq);
    }

    @Test
    void snapshotThenChainedUpdatesArePublishedWithVerifiedChecksums() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, SNAPSHOT_SUM), 1);
        s.onUpdate(update(10, 15, UPDATED_SUM), 2);
        assertThat(books).hasSize(2);
        assertThat(books.get(0).getSnapshot()).isTrue();
        assertThat(books.get(0).getSequence()).isZero();
        BookUpdate delta = books.get(1);
        assertThat(delta.getSnapshot()).isFalse();
        assertThat(delta.getSequence()).isEqualTo(1);
        assertThat(delta.getLastUpdateId()).isEqualTo(15L);
        assertThat(delta.getChecksum()).isEqualTo(UPDATED_SUM);
        assertThat(s.checksumsVerified()).isEqualTo(2);
        assertThat(statuses).isEmpty();
    }

    @Test
    void brokenPrevSeqIdChainIsAGapThenAResubscribedSnapshotIsAResync() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, SNAPSHOT_SUM), 1);
        s.onUpdate(update(12, 15, UPDATED_SUM), 2);
        assertThat(statuses).singleElement().asString().startsWith("GAP 10..12 book BTC-USDT: update prevSeqId 12"
                + " does not follow seqId 10");
        assertThat(resubscribed).containsExactly("BTC-USDT");
        s.onUpdate(update(15, 16, 0), 3);
        assertThat(books).hasSize(1);
        assertThat(s.unsyncedUpdates()).isEqualTo(1);
        s.onSnapshot(snapshot(20, SNAPSHOT_SUM), 4);
        assertThat(statuses.get(1)).startsWith("RESYNC null..20 book BTC-USDT resynchronized after a gap");
        assertThat(books.get(1).getSnapshot()).isTrue();
        assertThat(books.get(1).getSequence()).isZero();
    }

    @Test
    void checksumMismatchIsAGapAndNoDeltaIsPublished() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, SNAPSHOT_SUM), 1);
        s.onUpdate(update(10, 15, UPDATED_SUM + 1), 2);
        assertThat(books).hasSize(1);
        assertThat(statuses).singleElement().asString().contains("checksum 831078361 of update seqId 15 does not"
                + " match the book's 831078360");
        assertThat(resubscribed).containsExactly("BTC-USDT");
        assertThat(s.isSynced()).isFalse();
    }

    @Test
    void snapshotWithAWrongChecksumIsNotPublished() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, 123), 1);
        assertThat(books).isEmpty();
        assertThat(statuses).singleElement().asString().startsWith("GAP");
        assertThat(resubscribed).hasSize(1);
    }

    @Test
    void zeroChecksumIsNotVerified() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, 0), 1);
        s.onUpdate(update(10, 15, 0), 2);
        assertThat(books).hasSize(2);
        assertThat(books.get(1).getChecksum()).isNull();
        assertThat(s.checksumsVerified()).isZero();
    }

    @Test
    void heartbeatWithSeqIdEqualToPrevSeqIdChangesNothing() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, SNAPSHOT_SUM), 1);
        s.onUpdate(heartbeat(10, SNAPSHOT_SUM), 2);
        s.onUpdate(update(10, 15, UPDATED_SUM), 3);
        assertThat(books).hasSize(2);
        assertThat(books.get(1).getSequence()).isEqualTo(1);
        assertThat(s.heartbeats()).isEqualTo(1);
        assertThat(statuses).isEmpty();
    }

    @Test
    void fullSnapshotAfterEveryIntervalDeltas() {
        OkxBookSync s = sync(2);
        s.onSnapshot(snapshot(10, 0), 1);
        s.onUpdate(new BookData("BTC-USDT", List.of(l("3366", "1")), List.of(), 1, 0, 11L, 10L), 2);
        s.onUpdate(new BookData("BTC-USDT", List.of(l("3366", "2")), List.of(), 1, 0, 12L, 11L), 3);
        s.onUpdate(new BookData("BTC-USDT", List.of(l("3366", "3")), List.of(), 1, 0, 13L, 12L), 4);
        assertThat(books).extracting(BookUpdate::getSnapshot).containsExactly(true, false, false, true, false);
        assertThat(books).extracting(BookUpdate::getSequence).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(books.get(3).getBids()).hasSize(2);
    }

    @Test
    void lostConnectionIsReportedAsAGapWhenTheNextSnapshotArrives() {
        OkxBookSync s = sync(1000);
        s.onSnapshot(snapshot(10, SNAPSHOT_SUM), 1);
        s.reset("connection lost");
        s.onUpdate(update(10, 15, UPDATED_SUM), 2);
        assertThat(books).hasSize(1);
        s.onSnapshot(snapshot(30, SNAPSHOT_SUM), 3);
        assertThat(statuses).hasSize(2);
        assertThat(statuses.get(0)).startsWith("GAP 10..30");
        assertThat(statuses.get(1)).startsWith("RESYNC").contains("connection was lost");
        assertThat(resubscribed).isEmpty();
    }
}
