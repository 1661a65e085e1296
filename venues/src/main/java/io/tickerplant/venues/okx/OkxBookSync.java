package io.tickerplant.venues.okx;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.book.OrderBook;
import io.tickerplant.venues.okx.OkxParser.BookData;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Keeps one OKX {@code books} (400 levels) book in sync with the venue, by OKX's rules: the subscription starts with
 * a snapshot, then each update's {@code prevSeqId} must equal the previous message's {@code seqId}; an update with
 * {@code seqId == prevSeqId} changes nothing (a heartbeat); after every message the CRC32 checksum of the best 25
 * levels per side must equal the message's {@code checksum} (verified whenever it is not 0, which older recordings
 * and some production pushes send).
 *
 * <p><b>Never silently wrong.</b> A broken chain or a checksum mismatch is a GAP; the book is dropped, the
 * subscription is renewed ({@link Resubscriber}: OKX has no REST snapshot for this depth, a new subscription is how
 * to get one), updates are ignored until the new snapshot, then RESYNC is published and the new book goes out as a
 * snapshot record with sequence 0. A delta is published only after its checksum passed. A lost connection
 * ({@link #reset}) is treated the same way, the GAP being published once the next snapshot shows where the venue
 * went on.
 *
 * <p>Output: a snapshot record after every (re)sync, a delta per applied update (levels that changed, size 0 removes
 * a level), a full snapshot every {@code snapshotInterval} deltas. Sizes are the venue's: contracts for swaps (the
 * checksum is over them). Pure logic, shared by the adapter and the replayer. Not thread-safe: one owner thread.
 */
public final class OkxBookSync {

    /** Asks the venue for a fresh snapshot of one book. */
    public interface Resubscriber {
        void resubscribe(String instId);
    }

    /** What the sync publishes. */
    public interface Output {
        void book(BookUpdate update);

        /** GAP or RESYNC of this book, channel {@code book}. */
        void status(FeedState state, String detail, String fromId, String toId);
    }

    private final String venue;
    private final String canonical;
    private final String instId;
    private final int snapshotInterval;
    private final Resubscriber resubscriber;
    private final Output out;
    private final OrderBook book = new OrderBook();

    private boolean synced;
    private boolean everSynced;
    private Long lastSeqId;
    private long sequence;
    private int deltasSinceSnapshot;
    /** Why the book is being rebuilt, for the RESYNC detail; null when it never was in sync. */
    private String resyncReason;
    /** seqId of a book lost to a connection loss, reported as a GAP when the next snapshot arrives. */
    private Long lostAfter;
    private boolean lostBook;

    private long gaps;
    private long resyncs;
    private long deltas;
    private long heartbeats;
    private long checksumsVerified;
    private long checksumFailures;
    private long unsyncedUpdates;

    /** @param snapshotInterval deltas between periodic snapshots, at least 1 */
    public OkxBookSync(String venue, String canonical, String instId, int snapshotInterval, Resubscriber resubscriber,
                       Output out) {
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be >= 1");
        }
        this.venue = Objects.requireNonNull(venue, "venue");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.instId = Objects.requireNonNull(instId, "instId");
        this.snapshotInterval = snapshotInterval;
        this.resubscriber = Objects.requireNonNull(resubscriber, "resubscriber");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** A {@code books} push with {@code action} {@code snapshot}. */
    public void onSnapshot(BookData d, long receiveMicros) {
        OrderBook fresh = new OrderBook();
        fresh.replace(d.bids(), d.asks());
        if (d.checksum() != 0) {
            int computed = OkxChecksum.of(fresh);
            if (computed != (int) d.checksum()) {
                checksumFailures++;
                gap("snapshot checksum " + d.checksum() + " does not match the book's " + computed,
                        str(d.seqId()), str(d.seqId()));
                return;
            }
            checksumsVerified++;
        }
        if (lostBook) {
            gaps++;
            out.status(FeedState.GAP, "book " + instId + ": updates after seqId " + lostAfter + " up to the new"
                    + " snapshot's seqId " + d.seqId() + " not seen (" + resyncReason + "); they are folded into the"
                    + " new snapshot", str(lostAfter), str(d.seqId()));
        }
        boolean wasSynced = synced;
        book.replace(fresh.levels(OrderBook.Side.BID), fresh.levels(OrderBook.Side.ASK));
        synced = true;
        lostBook = false;
        lostAfter = null;
        lastSeqId = d.seqId();
        if (everSynced) {
            resyncs++;
            String why = wasSynced ? "because the venue sent a new snapshot" : resyncReason;
            out.status(FeedState.RESYNC, "book " + instId + " resynchronized " + why + " from a snapshot at seqId "
                    + d.seqId(), null, str(d.seqId()));
        }
        everSynced = true;
        resyncReason = null;
        sequence = 0;
        publishSnapshot(Instant.ofEpochMilli(d.tsMillis()), receiveMicros, 0, d.checksum());
    }

    /** A {@code books} push with {@code action} {@code update}. */
    public void onUpdate(BookData d, long receiveMicros) {
        if (!synced) {
            // Waiting for the snapshot of a (re)subscription: these updates belong to no book we hold.
            unsyncedUpdates++;
            return;
        }
        if (d.prevSeqId() != null && lastSeqId != null && d.prevSeqId().longValue() != lastSeqId) {
            gap("update prevSeqId " + d.prevSeqId() + " does not follow seqId " + lastSeqId,
                    str(lastSeqId), str(d.prevSeqId()));
            return;
        }
        if (d.seqId() != null && d.seqId().equals(d.prevSeqId())) {
            // OKX's heartbeat: nothing changed since the last message; its checksum still has to hold.
            if (d.checksum() != 0 && OkxChecksum.of(book) != (int) d.checksum()) {
                checksumFailures++;
                gap("checksum " + d.checksum() + " of heartbeat seqId " + d.seqId() + " does not match the book's "
                        + OkxChecksum.of(book), str(lastSeqId), str(d.seqId()));
                return;
            }
            heartbeats++;
            return;
        }
        List<BookLevel> bids = book.apply(OrderBook.Side.BID, d.bids());
        List<BookLevel> asks = book.apply(OrderBook.Side.ASK, d.asks());
        if (d.checksum() != 0) {
            int computed = OkxChecksum.of(book);
            if (computed != (int) d.checksum()) {
                checksumFailures++;
                gap("checksum " + d.checksum() + " of update seqId " + d.seqId() + " does not match the book's "
                        + computed, str(lastSeqId), str(d.seqId()));
                return;
            }
            checksumsVerified++;
        }
        if (d.seqId() != null) {
            lastSeqId = d.seqId();
        }
        deltas++;
        Instant eventTime = Instant.ofEpochMilli(d.tsMillis());
        out.book(new BookUpdate(venue, canonical, instId, eventTime, Micros.toInstant(receiveMicros), false, bids,
                asks, d.prevSeqId(), lastSeqId, d.checksum() == 0 ? null : d.checksum(), ++sequence));
        if (++deltasSinceSnapshot >= snapshotInterval) {
            publishSnapshot(eventTime, receiveMicros, ++sequence, d.checksum());
        }
    }

    /** The connection carrying the book ended; the next snapshot (of the next subscription) rebuilds it. */
    public void reset(String why) {
        if (synced) {
            lostBook = true;
            lostAfter = lastSeqId;
        }
        synced = false;
        book.clear();
        resyncReason = "after the connection was lost (" + why + ")";
    }

    private void gap(String why, String fromId, String toId) {
        gaps++;
        synced = false;
        lostBook = false;
        book.clear();
        resyncReason = "after a gap (" + why + ")";
        out.status(FeedState.GAP, "book " + instId + ": " + why + "; dropping the book and resubscribing for a new"
                + " snapshot", fromId, toId);
        resubscriber.resubscribe(instId);
    }

    private void publishSnapshot(Instant eventTime, long receiveMicros, long seq, long checksum) {
        deltasSinceSnapshot = 0;
        out.book(new BookUpdate(venue, canonical, instId, eventTime, Micros.toInstant(receiveMicros), true,
                book.levels(OrderBook.Side.BID), book.levels(OrderBook.Side.ASK), null, lastSeqId,
                checksum == 0 ? null : checksum, seq));
    }

    private static String str(Long v) {
        return v == null ? null : v.toString();
    }

    public boolean isSynced() {
        return synced;
    }

    /** A copy of the book as it stands. */
    public OrderBook book() {
        return book.copy();
    }

    public long gaps() {
        return gaps;
    }

    public long resyncs() {
        return resyncs;
    }

    public long deltas() {
        return deltas;
    }

    /** Updates with {@code seqId == prevSeqId}. */
    public long heartbeats() {
        return heartbeats;
    }

    /** Messages whose non-zero checksum matched. */
    public long checksumsVerified() {
        return checksumsVerified;
    }

    public long checksumFailures() {
        return checksumFailures;
    }

    /** Updates ignored because no snapshot had been received for them. */
    public long unsyncedUpdates() {
        return unsyncedUpdates;
    }

    /** The FeedStatus channel of book events. */
    public static String channel() {
        return Channel.BOOK.configName();
    }
}
