package io.tickerplant.venues.bybit;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.book.OrderBook;
import io.tickerplant.venues.bybit.BybitParser.Book;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Keeps one Bybit v5 L2 book ({@code orderbook.DEPTH.SYMBOL}) in sync with the venue, by Bybit's rules: a
 * snapshot replaces the whole book; each delta's update id {@code u} is the previous one plus 1; a size of 0
 * removes a level; a snapshot with {@code u = 1} means the venue restarted its book service and simply overwrites
 * the book (it is not a gap).
 *
 * <p><b>Never silently wrong.</b> A delta that does not continue the book is a GAP (with the missing id range);
 * the book is dropped and the sync asks its owner to resubscribe ({@link Resubscriber}), since Bybit has no REST
 * snapshot with an update id to splice in: the fresh subscription starts with a snapshot, which is published as
 * a snapshot record with sequence 0 after a RESYNC status. No delta is ever published between the gap and that
 * snapshot. A lost connection ({@link #reset}) is treated the same way; the missed range is known once the new
 * snapshot arrives.
 *
 * <p>Output: one snapshot record per venue snapshot (sequence 0), a delta per applied venue delta (only the
 * levels that changed the book), and a full snapshot every {@code snapshotInterval} deltas. Pure logic: the live
 * adapter and the replay command share it. Not thread-safe: one owner thread.
 */
public final class BybitBookSync {

    /** What the sync publishes. */
    public interface Output {
        void book(BookUpdate update);

        /** GAP or RESYNC of this book, channel {@code book}. */
        void status(FeedState state, String detail, String fromId, String toId);
    }

    /** Asks the venue for a fresh snapshot of the topic: unsubscribe and subscribe again (live), nothing (replay). */
    public interface Resubscriber {
        void resubscribe(String topic);
    }

    private final String venue;
    private final String canonical;
    private final String venueSymbol;
    private final String topic;
    private final int snapshotInterval;
    private final Resubscriber resubscriber;
    private final Output out;
    private final OrderBook book = new OrderBook();

    private boolean synced;
    private long lastUpdateId = -1;
    private long sequence;
    private int deltasSinceSnapshot;
    private boolean everSynced;
    /** Update id of a book lost to a reset, or -1: the next snapshot reports what was missed after it. */
    private long lostAfter = -1;
    private String resyncReason;
    private int unsyncedDeltas;

    private long gaps;
    private long resyncs;
    private long restarts;
    private long deltas;
    private long snapshots;

    /**
     * @param topic the subscription, e.g. {@code orderbook.50.BTCUSDT}
     * @param snapshotInterval deltas between two periodic snapshots, at least 1
     */
    public BybitBookSync(String venue, String canonical, String venueSymbol, String topic, int snapshotInterval,
                         Resubscriber resubscriber, Output out) {
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be >= 1");
        }
        this.venue = Objects.requireNonNull(venue, "venue");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.venueSymbol = Objects.requireNonNull(venueSymbol, "venueSymbol");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.snapshotInterval = snapshotInterval;
        this.resubscriber = Objects.requireNonNull(resubscriber, "resubscriber");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** One orderbook frame of this book, in arrival order. */
    public void onFrame(Book f, long receiveMicros) {
        if (f.snapshot()) {
            onSnapshot(f, receiveMicros);
        } else {
            onDelta(f, receiveMicros);
        }
    }

    private void onSnapshot(Book f, long receiveMicros) {
        long u = f.updateId();
        boolean restart = u == 1 && synced;
        if (restart) {
            // Bybit: "u=1 is a snapshot after a restart of the service; overwrite the local book". Not a gap.
            restarts++;
        } else if (lostAfter >= 0 && u > lostAfter + 1 && u != 1) {
            gaps++;
            out.status(FeedState.GAP, "book " + venueSymbol + ": update ids " + (lostAfter + 1) + ".." + (u - 1)
                    + " not seen as deltas (" + resyncReason + "); they are folded into the new snapshot",
                    Long.toString(lostAfter + 1), Long.toString(u - 1));
        }
        book.replace(f.bids(), f.asks());
        lastUpdateId = u;
        boolean wasSynced = synced;
        synced = true;
        lostAfter = -1;
        if (everSynced && !wasSynced) {
            resyncs++;
            out.status(FeedState.RESYNC, "book " + venueSymbol + " resynchronized " + resyncReason
                    + " from a venue snapshot at update id " + u, null, Long.toString(u));
        }
        everSynced = true;
        resyncReason = null;
        unsyncedDeltas = 0;
        sequence = 0;
        publishSnapshot(eventTime(f, receiveMicros), receiveMicros, 0);
    }

    private void onDelta(Book f, long receiveMicros) {
        if (!synced) {
            // Waiting for the snapshot a (re)subscription starts with.
            unsyncedDeltas++;
            return;
        }
        long u = f.updateId();
        if (u != lastUpdateId + 1) {
            gaps++;
            synced = false;
            lostAfter = -1;
            unsyncedDeltas = 1;
            String why = u <= lastUpdateId ? "delta u=" + u + " does not follow u=" + lastUpdateId + " (went back)"
                    : "delta u=" + u + " does not follow u=" + lastUpdateId;
            resyncReason = "after a gap (" + why + ")";
            String from = u > lastUpdateId ? Long.toString(lastUpdateId + 1) : null;
            String to = u > lastUpdateId ? Long.toString(u - 1) : null;
            out.status(FeedState.GAP, "book " + venueSymbol + ": " + (u > lastUpdateId ? "update ids "
                    + (lastUpdateId + 1) + ".." + (u - 1) + " missed: " : "") + why
                    + "; dropping the book and resubscribing for a snapshot", from, to);
            resubscriber.resubscribe(topic);
            return;
        }
        List<BookLevel> bids = book.apply(OrderBook.Side.BID, f.bids());
        List<BookLevel> asks = book.apply(OrderBook.Side.ASK, f.asks());
        lastUpdateId = u;
        deltas++;
        Instant eventTime = eventTime(f, receiveMicros);
        out.book(update(eventTime, receiveMicros, false, bids, asks, u, ++sequence));
        if (++deltasSinceSnapshot >= snapshotInterval) {
            publishSnapshot(eventTime, receiveMicros, ++sequence);
        }
    }

    /**
     * The connection carrying the book ended: it can no longer be trusted. The resubscription on the next
     * connection starts with a snapshot, which reports the missed range as a GAP and resynchronizes.
     */
    public void reset(String why) {
        if (synced) {
            lostAfter = lastUpdateId;
        }
        synced = false;
        resyncReason = why;
    }

    private static Instant eventTime(Book f, long receiveMicros) {
        return f.ts() >= 0 ? Instant.ofEpochMilli(f.ts()) : Micros.toInstant(receiveMicros);
    }

    private void publishSnapshot(Instant eventTime, long receiveMicros, long seq) {
        snapshots++;
        deltasSinceSnapshot = 0;
        out.book(update(eventTime, receiveMicros, true, book.levels(OrderBook.Side.BID),
                book.levels(OrderBook.Side.ASK), null, seq));
    }

    private BookUpdate update(Instant eventTime, long receiveMicros, boolean snapshot, List<BookLevel> bids,
                              List<BookLevel> asks, Long firstUpdateId, long seq) {
        return new BookUpdate(venue, canonical, venueSymbol, eventTime, Micros.toInstant(receiveMicros), snapshot,
                bids, asks, firstUpdateId, lastUpdateId, null, seq);
    }

    /** True while the book follows the venue. */
    public boolean isSynced() {
        return synced;
    }

    /** The update id the book is at, or -1 before the first snapshot. */
    public long lastUpdateId() {
        return lastUpdateId;
    }

    /** A copy of the book as it stands. */
    public OrderBook book() {
        return book.copy();
    }

    /** Deltas received while waiting for a snapshot, since the last sync. */
    public int unsyncedDeltas() {
        return unsyncedDeltas;
    }

    public long gaps() {
        return gaps;
    }

    public long resyncs() {
        return resyncs;
    }

    /** Snapshots with {@code u = 1} that overwrote a synced book: the venue restarted its book service. */
    public long restarts() {
        return restarts;
    }

    public long deltas() {
        return deltas;
    }

    public long snapshots() {
        return snapshots;
    }

    /** The FeedStatus channel of book events. */
    public static String channel() {
        return Channel.BOOK.configName();
    }
}
