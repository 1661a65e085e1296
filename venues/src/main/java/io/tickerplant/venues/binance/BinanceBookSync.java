package io.tickerplant.venues.binance;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthSnapshot;
import io.tickerplant.venues.book.OrderBook;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * Keeps one Binance spot L2 book in sync with the venue, following Binance's documented procedure ("How to manage
 * a local order book correctly"): buffer the diffs, fetch a REST snapshot, drop buffered diffs with
 * {@code u <= lastUpdateId}, require the first diff applied to bracket the snapshot ({@code U <= lastUpdateId + 1
 * <= u}), then require each diff's {@code U} to be the previous {@code u + 1}.
 *
 * <p><b>Never silently wrong.</b> A diff that does not continue the book is a GAP (published with the missing id
 * range); the book is dropped and rebuilt from a new snapshot, then RESYNC is published and the new book goes out
 * as a snapshot record with sequence 0. No delta is ever published between the gap and that snapshot. A
 * connection loss ({@link #reset}) is treated the same way, the missed range being known only once the new snapshot
 * is in.
 *
 * <p><b>USD-M futures</b> ({@link BinanceMarket#USDM_FUTURES}) chain diffs differently, as its "How to manage a
 * local order book correctly" says: drop buffered diffs with {@code u < lastUpdateId}; the first diff applied has
 * {@code U <= lastUpdateId} and {@code u >= lastUpdateId}; every later diff's {@code pu} equals the previous diff's
 * {@code u} (update ids are not contiguous across futures diffs, so {@code U} says nothing about a gap).
 *
 * <p>Output: one snapshot record after every (re)sync, a delta per applied diff (only the levels that changed the
 * book; size 0 removes a level), and a full snapshot again every {@code snapshotInterval} deltas so that a consumer
 * can start anywhere. Pure logic: I/O comes in through {@link SnapshotSource}, so the live adapter and the replay
 * command share it. Not thread-safe: one owner thread.
 */
public final class BinanceBookSync {

    /** Where a snapshot comes from: REST when live, the recording when replaying. */
    public interface SnapshotSource {
        /**
         * The venue's book now.
         *
         * @return null when no snapshot is available at this point (replay); the sync waits for the next diff
         * @throws Exception with a one-line reason when fetching failed; the sync retries after a pause
         */
        DepthSnapshot fetch(String venueSymbol) throws Exception;
    }

    /** What the sync publishes. */
    public interface Output {
        void book(BookUpdate update);

        /** GAP, RESYNC or STALE of this book, channel {@code book}. */
        void status(FeedState state, String detail, String fromId, String toId);
    }

    /** Diffs kept while unsynced; older ones are dropped (a later snapshot covers them anyway). */
    static final int MAX_BUFFERED = 10_000;
    private static final long RETRY_MIN_NANOS = 250_000_000L;
    private static final long RETRY_MAX_NANOS = 30_000_000_000L;

    private final boolean futures;
    private final String venue;
    private final String canonical;
    private final String venueSymbol;
    private final int snapshotInterval;
    private final SnapshotSource source;
    private final Output out;
    private final OrderBook book = new OrderBook();
    private final ArrayDeque<DepthEvent> buffer = new ArrayDeque<>();

    private boolean synced;
    /** Synced on a snapshot, and no diff applied yet: the next diff must bracket instead of continue. */
    private boolean awaitingFirst;
    private long lastUpdateId = -1;
    private long sequence;
    private int deltasSinceSnapshot;
    private boolean everSynced;
    /** Last update id of a book lost to a reset, or -1: the next sync reports what was missed after it. */
    private long lostAfter = -1;
    private String resyncReason;
    private int failures;
    private long nextAttemptNanos;
    private boolean staleReported;

    private long gaps;
    private long resyncs;
    private long deltas;
    private long snapshots;
    private long staleDiffs;

    /**
     * @param snapshotInterval deltas between two periodic snapshots, at least 1
     */
    public BinanceBookSync(String venue, String canonical, String venueSymbol, int snapshotInterval,
                           SnapshotSource source, Output out) {
        this(BinanceMarket.SPOT, venue, canonical, venueSymbol, snapshotInterval, source, out);
    }

    /**
     * @param market whose sequence rule applies
     * @param snapshotInterval deltas between two periodic snapshots, at least 1
     */
    public BinanceBookSync(BinanceMarket market, String venue, String canonical, String venueSymbol,
                           int snapshotInterval, SnapshotSource source, Output out) {
        this.futures = market.futures();
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be >= 1");
        }
        this.venue = Objects.requireNonNull(venue, "venue");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.venueSymbol = Objects.requireNonNull(venueSymbol, "venueSymbol");
        this.snapshotInterval = snapshotInterval;
        this.source = Objects.requireNonNull(source, "source");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** One diff from the stream, in arrival order. */
    public void onDiff(DepthEvent e, long receiveMicros) {
        if (!synced) {
            buffer(e);
            trySync(receiveMicros);
            return;
        }
        if (stale(e, lastUpdateId, awaitingFirst)) {
            // Already part of the book (the snapshot was newer than the diff): Binance says drop it.
            staleDiffs++;
            return;
        }
        if (!continues(e, lastUpdateId, awaitingFirst)) {
            gap(lastUpdateId + 1, missedUpTo(e, awaitingFirst), breakReason(e, lastUpdateId, awaitingFirst));
            buffer(e);
            trySync(receiveMicros);
            return;
        }
        List<BookLevel> bids = book.apply(OrderBook.Side.BID, e.bids());
        List<BookLevel> asks = book.apply(OrderBook.Side.ASK, e.asks());
        awaitingFirst = false;
        lastUpdateId = e.lastUpdateId();
        deltas++;
        out.book(update(Instant.ofEpochMilli(e.eventTimeMillis()), receiveMicros, false, bids, asks,
                e.firstUpdateId(), ++sequence));
        if (++deltasSinceSnapshot >= snapshotInterval) {
            publishSnapshot(Instant.ofEpochMilli(e.eventTimeMillis()), receiveMicros, ++sequence);
        }
    }

    /**
     * The connection carrying the diffs ended: the book can no longer be trusted. The next diff starts a resync,
     * which reports the missed range as a GAP.
     */
    public void reset(String why) {
        if (synced) {
            lostAfter = lastUpdateId;
        }
        synced = false;
        awaitingFirst = false;
        buffer.clear();
        resyncReason = why;
        // A reconnect is a fresh start for the REST retries too.
        failures = 0;
        nextAttemptNanos = 0;
    }

    /** A diff the book already contains. Futures keep the one diff with {@code u == lastUpdateId} to start on. */
    private boolean stale(DepthEvent e, long id, boolean first) {
        return futures && first ? e.lastUpdateId() < id : e.lastUpdateId() <= id;
    }

    /** Whether a diff continues a book at update id {@code id}; {@code first}: the first diff after a snapshot. */
    private boolean continues(DepthEvent e, long id, boolean first) {
        if (futures) {
            return first ? e.firstUpdateId() <= id && e.lastUpdateId() >= id : e.previousLastUpdateId() == id;
        }
        return first ? e.firstUpdateId() <= id + 1 : e.firstUpdateId() == id + 1;
    }

    /** The last update id known to be missed before a diff that does not continue the book. */
    private long missedUpTo(DepthEvent e, boolean first) {
        return futures && !first ? e.previousLastUpdateId() : e.firstUpdateId() - 1;
    }

    private String breakReason(DepthEvent e, long id, boolean first) {
        if (futures && !first) {
            return "diff pu=" + e.previousLastUpdateId() + " (U=" + e.firstUpdateId() + ") does not follow u=" + id;
        }
        return "diff U=" + e.firstUpdateId() + " does not follow u=" + id;
    }

    private void buffer(DepthEvent e) {
        if (buffer.size() >= MAX_BUFFERED) {
            buffer.pollFirst();
        }
        buffer.addLast(e);
    }

    private void gap(long from, long to, String why) {
        gaps++;
        synced = false;
        awaitingFirst = false;
        lostAfter = -1;
        buffer.clear();
        resyncReason = "after a gap (" + why + ")";
        out.status(FeedState.GAP, "book " + venueSymbol + ": update ids " + from + ".." + to + " missed: " + why
                + "; dropping the book and resynchronizing from a snapshot", Long.toString(from), Long.toString(to));
    }

    private void trySync(long receiveMicros) {
        if (nextAttemptNanos != 0 && System.nanoTime() - nextAttemptNanos < 0) {
            return;
        }
        DepthSnapshot snap;
        try {
            snap = source.fetch(venueSymbol);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failed("snapshot request failed: " + e.getMessage(), true);
            return;
        }
        if (snap == null) {
            return;
        }
        while (!buffer.isEmpty() && stale(buffer.peekFirst(), snap.lastUpdateId(), true)) {
            buffer.pollFirst();
        }
        if (!buffer.isEmpty() && !continues(buffer.peekFirst(), snap.lastUpdateId(), true)) {
            // Updates between the snapshot and the first diff are in neither: a newer snapshot is needed.
            failed("snapshot lastUpdateId " + snap.lastUpdateId() + " is older than the first buffered diff (U="
                    + buffer.peekFirst().firstUpdateId() + ")", false);
            return;
        }
        OrderBook rebuilt = new OrderBook();
        rebuilt.replace(snap.bids(), snap.asks());
        long id = snap.lastUpdateId();
        long eventMillis = -1;
        boolean first = true;
        for (DepthEvent e : buffer) {
            if (!first && stale(e, id, false)) {
                continue;
            }
            if (!continues(e, id, first)) {
                // A diff missing inside the buffer: report it and start over from the diffs after it.
                long from = id + 1;
                long to = missedUpTo(e, first);
                List<DepthEvent> rest = buffer.stream().dropWhile(x -> x != e).toList();
                gap(from, to, "buffered " + breakReason(e, id, first));
                rest.forEach(this::buffer);
                return;
            }
            rebuilt.apply(OrderBook.Side.BID, e.bids());
            rebuilt.apply(OrderBook.Side.ASK, e.asks());
            id = e.lastUpdateId();
            eventMillis = e.eventTimeMillis();
            first = false;
        }
        boolean appliedBuffered = !buffer.isEmpty();
        buffer.clear();
        book.replace(rebuilt.levels(OrderBook.Side.BID), rebuilt.levels(OrderBook.Side.ASK));
        if (lostAfter >= 0 && id > lostAfter) {
            gaps++;
            out.status(FeedState.GAP, "book " + venueSymbol + ": update ids " + (lostAfter + 1) + ".." + id
                    + " not seen as diffs (" + resyncReason + "); they are folded into the new snapshot",
                    Long.toString(lostAfter + 1), Long.toString(id));
        }
        lostAfter = -1;
        lastUpdateId = id;
        synced = true;
        awaitingFirst = !appliedBuffered;
        failures = 0;
        nextAttemptNanos = 0;
        staleReported = false;
        if (everSynced) {
            resyncs++;
            out.status(FeedState.RESYNC, "book " + venueSymbol + " resynchronized " + resyncReason
                    + " from a snapshot at update id " + snap.lastUpdateId() + "; now at " + id, null,
                    Long.toString(id));
        }
        everSynced = true;
        resyncReason = null;
        sequence = 0;
        Instant eventTime = eventMillis >= 0 ? Instant.ofEpochMilli(eventMillis) : Micros.toInstant(receiveMicros);
        publishSnapshot(eventTime, receiveMicros, 0);
    }

    private void failed(String why, boolean backOff) {
        failures++;
        long delay = backOff ? Math.min(RETRY_MAX_NANOS, RETRY_MIN_NANOS << Math.min(failures - 1, 7)) : 0;
        nextAttemptNanos = delay == 0 ? 0 : System.nanoTime() + delay;
        if (!staleReported) {
            staleReported = true;
            out.status(FeedState.STALE, "book " + venueSymbol + " not published until it is synchronized: " + why,
                    null, null);
        }
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

    /** The venue update id the book is at, or -1 before the first sync. */
    public long lastUpdateId() {
        return lastUpdateId;
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

    public long snapshots() {
        return snapshots;
    }

    /** Diffs dropped because the book already had them. */
    public long staleDiffs() {
        return staleDiffs;
    }

    /** Diffs waiting for a snapshot. */
    public int buffered() {
        return buffer.size();
    }

    /** The FeedStatus channel of book events. */
    public static String channel() {
        return Channel.BOOK.configName();
    }
}
