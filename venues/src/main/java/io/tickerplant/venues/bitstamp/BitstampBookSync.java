package io.tickerplant.venues.bitstamp;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.bitstamp.BitstampParser.BookSnapshot;
import io.tickerplant.venues.bitstamp.BitstampParser.DiffEvent;
import io.tickerplant.venues.book.OrderBook;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * Keeps one Bitstamp L2 book in sync with {@code diff_order_book_<pair>}, following Bitstamp's procedure: buffer
 * the diffs, fetch {@code GET /api/v2/order_book/<pair>/}, drop the diffs whose {@code microtimestamp} is not after
 * the snapshot's, apply the rest. The snapshot is requested as soon as the venue acknowledges the subscription
 * ({@link #onSubscribed}), so that every later change reaches the socket, or else at the first diff.
 *
 * <p><b>What can and cannot be detected.</b> Bitstamp diffs carry no sequence numbers, only a microtimestamp, so a
 * diff lost on the way cannot be seen in the stream itself. What the sync does detect, and treats as a broken book
 * (GAP with the microtimestamp window in {@code fromId}/{@code toId}, the book dropped, a fresh snapshot, RESYNC,
 * then a snapshot record with sequence 0): a diff older than the last one applied (out of order), a book that is
 * crossed after applying a diff (best bid at or above best ask: the usual symptom of a lost diff that removed
 * levels), and every lost connection ({@link #reset}), whose whole outage is reported as a window in which diffs
 * may have been missed. A lost diff that leaves the book uncrossed stays invisible until the next resync or the
 * next crossing: the periodic snapshots published are of the book as the sync holds it, not a venue-verified one.
 *
 * <p><b>Output.</b> One snapshot record after every (re)sync, a delta per applied diff (only the levels that changed
 * the book; size 0 removes a level), a full snapshot every {@code snapshotInterval} deltas. {@code lastUpdateId} is
 * the microtimestamp the book is at (Bitstamp has no update ids). A {@link Quote} is derived from the book's top
 * level whenever it changes, since Bitstamp v2 has no ticker channel. Pure logic: I/O comes in through
 * {@link SnapshotSource}, so the live adapter and the replay command share it. Not thread-safe: one owner thread.
 */
public final class BitstampBookSync {

    /** Where a snapshot comes from: REST when live, the recording when replaying. */
    public interface SnapshotSource {
        /**
         * The venue's book now.
         *
         * @return null when no snapshot is available at this point (replay); the sync waits for the next diff
         * @throws Exception with a one-line reason when fetching failed; the sync retries after a pause
         */
        BookSnapshot fetch(String pair) throws Exception;
    }

    /** What the sync publishes. */
    public interface Output {
        void book(BookUpdate update);

        /** The top of the synchronized book changed. */
        void quote(Quote quote);

        /** GAP, RESYNC or STALE of this book, channel {@code book}. */
        void status(FeedState state, String detail, String fromId, String toId);
    }

    /** Diffs kept while unsynced; older ones are dropped (a later snapshot covers them anyway). */
    static final int MAX_BUFFERED = 10_000;
    private static final long RETRY_MIN_NANOS = 250_000_000L;
    private static final long RETRY_MAX_NANOS = 30_000_000_000L;

    private final String venue;
    private final String canonical;
    private final String pair;
    private final int snapshotInterval;
    private final SnapshotSource source;
    private final Output out;
    private final OrderBook book = new OrderBook();
    private final ArrayDeque<DiffEvent> buffer = new ArrayDeque<>();

    private boolean synced;
    /** Microtimestamp of the snapshot the book was built on; diffs not after it are already in the book. */
    private long snapshotMicros = -1;
    /** Microtimestamp the book is at: the last diff applied, or the snapshot. */
    private long bookMicros = -1;
    private long sequence;
    private int deltasSinceSnapshot;
    private boolean everSynced;
    /** Microtimestamp of a book lost to a reset, or -1: the next sync reports the window missed after it. */
    private long lostAfter = -1;
    private String resyncReason;
    private int failures;
    private long nextAttemptNanos;
    private boolean staleReported;
    private BookLevel quotedBid;
    private BookLevel quotedAsk;

    private long gaps;
    private long resyncs;
    private long deltas;
    private long snapshots;
    private long staleDiffs;

    /** @param snapshotInterval deltas between two periodic snapshots, at least 1 */
    public BitstampBookSync(String venue, String canonical, String pair, int snapshotInterval,
                            SnapshotSource source, Output out) {
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be >= 1");
        }
        this.venue = Objects.requireNonNull(venue, "venue");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.pair = Objects.requireNonNull(pair, "pair");
        this.snapshotInterval = snapshotInterval;
        this.source = Objects.requireNonNull(source, "source");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The venue acknowledged the diff subscription: every later change will arrive, so a snapshot can be taken. */
    public void onSubscribed(long receiveMicros) {
        if (!synced) {
            trySync(receiveMicros);
        }
    }

    /** One diff from the stream, in arrival order. */
    public void onDiff(DiffEvent e, long receiveMicros) {
        if (!synced) {
            buffer(e);
            trySync(receiveMicros);
            return;
        }
        if (e.microtimestamp() <= snapshotMicros) {
            // Already part of the snapshot the book was built on: Bitstamp says drop it.
            staleDiffs++;
            return;
        }
        if (e.microtimestamp() < bookMicros) {
            gap(bookMicros, e.microtimestamp(), "diff at microtimestamp " + e.microtimestamp()
                    + " arrived after the one at " + bookMicros + " (out of order)");
            trySync(receiveMicros);
            return;
        }
        List<BookLevel> bids = book.apply(OrderBook.Side.BID, e.bids());
        List<BookLevel> asks = book.apply(OrderBook.Side.ASK, e.asks());
        if (book.isCrossed()) {
            String why = "book crossed after the diff at microtimestamp " + e.microtimestamp() + ": best bid "
                    + Decimals.toPlainString(book.best(OrderBook.Side.BID).getPrice()) + " >= best ask "
                    + Decimals.toPlainString(book.best(OrderBook.Side.ASK).getPrice())
                    + " (a diff was probably lost)";
            gap(bookMicros, e.microtimestamp(), why);
            trySync(receiveMicros);
            return;
        }
        bookMicros = e.microtimestamp();
        deltas++;
        Instant eventTime = Micros.toInstant(e.microtimestamp());
        out.book(update(eventTime, receiveMicros, false, bids, asks, ++sequence));
        if (++deltasSinceSnapshot >= snapshotInterval) {
            publishSnapshot(eventTime, receiveMicros, ++sequence);
        }
        quoteIfTopChanged(eventTime, receiveMicros);
    }

    /**
     * The connection carrying the diffs ended: the book can no longer be trusted. The next sync reports the outage
     * as a GAP window.
     */
    public void reset(String why) {
        if (synced) {
            lostAfter = bookMicros;
        }
        synced = false;
        buffer.clear();
        resyncReason = why;
        // A reconnect is a fresh start for the REST retries too.
        failures = 0;
        nextAttemptNanos = 0;
    }

    private void buffer(DiffEvent e) {
        if (buffer.size() >= MAX_BUFFERED) {
            buffer.pollFirst();
        }
        buffer.addLast(e);
    }

    private void gap(long fromMicros, long toMicros, String why) {
        gaps++;
        synced = false;
        lostAfter = -1;
        buffer.clear();
        resyncReason = "after a gap (" + why + ")";
        out.status(FeedState.GAP, "book " + pair + ": diffs between microtimestamps " + fromMicros + " and "
                + toMicros + " may be missing or wrong: " + why + "; dropping the book and resynchronizing from a"
                + " snapshot", Long.toString(fromMicros), Long.toString(toMicros));
    }

    private void trySync(long receiveMicros) {
        if (nextAttemptNanos != 0 && System.nanoTime() - nextAttemptNanos < 0) {
            return;
        }
        BookSnapshot snap;
        try {
            snap = source.fetch(pair);
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
        if (!buffer.isEmpty() && buffer.peekFirst().microtimestamp() > snap.microtimestamp()) {
            // Changes between the snapshot and the first buffered diff may be in neither: a newer one is needed.
            failed("snapshot at microtimestamp " + snap.microtimestamp() + " is older than the first buffered diff ("
                    + buffer.peekFirst().microtimestamp() + ")", false);
            return;
        }
        while (!buffer.isEmpty() && buffer.peekFirst().microtimestamp() <= snap.microtimestamp()) {
            buffer.pollFirst();
            staleDiffs++;
        }
        OrderBook rebuilt = new OrderBook();
        rebuilt.replace(snap.bids(), snap.asks());
        long at = snap.microtimestamp();
        for (DiffEvent e : buffer) {
            if (e.microtimestamp() < at) {
                List<DiffEvent> rest = buffer.stream().dropWhile(x -> x != e).skip(1).toList();
                gap(at, e.microtimestamp(), "buffered diff at microtimestamp " + e.microtimestamp()
                        + " is older than the one before it (out of order)");
                rest.forEach(this::buffer);
                return;
            }
            rebuilt.apply(OrderBook.Side.BID, e.bids());
            rebuilt.apply(OrderBook.Side.ASK, e.asks());
            at = e.microtimestamp();
        }
        buffer.clear();
        if (rebuilt.isCrossed()) {
            // A venue snapshot is never crossed; a crossed rebuild means the diffs did not fit it. Try again.
            failed("the snapshot at microtimestamp " + snap.microtimestamp() + " plus the buffered diffs is crossed",
                    true);
            return;
        }
        book.replace(rebuilt.levels(OrderBook.Side.BID), rebuilt.levels(OrderBook.Side.ASK));
        if (lostAfter >= 0) {
            gaps++;
            out.status(FeedState.GAP, "book " + pair + ": diffs between microtimestamps " + lostAfter + " and "
                    + snap.microtimestamp() + " were not seen (" + resyncReason + "); Bitstamp diffs have no"
                    + " sequence numbers, so the window is reported whole and folded into the new snapshot",
                    Long.toString(lostAfter), Long.toString(snap.microtimestamp()));
        }
        lostAfter = -1;
        snapshotMicros = snap.microtimestamp();
        bookMicros = at;
        synced = true;
        failures = 0;
        nextAttemptNanos = 0;
        staleReported = false;
        if (everSynced) {
            resyncs++;
            out.status(FeedState.RESYNC, "book " + pair + " resynchronized " + resyncReason
                    + " from a snapshot at microtimestamp " + snap.microtimestamp() + "; now at " + at, null,
                    Long.toString(at));
        }
        everSynced = true;
        resyncReason = null;
        sequence = 0;
        Instant eventTime = Micros.toInstant(at);
        publishSnapshot(eventTime, receiveMicros, 0);
        quotedBid = null;
        quotedAsk = null;
        quoteIfTopChanged(eventTime, receiveMicros);
    }

    private void failed(String why, boolean backOff) {
        failures++;
        long delay = backOff ? Math.min(RETRY_MAX_NANOS, RETRY_MIN_NANOS << Math.min(failures - 1, 7)) : 0;
        nextAttemptNanos = delay == 0 ? 0 : System.nanoTime() + delay;
        if (!staleReported) {
            staleReported = true;
            out.status(FeedState.STALE, "book " + pair + " not published until it is synchronized: " + why,
                    null, null);
        }
    }

    private void publishSnapshot(Instant eventTime, long receiveMicros, long seq) {
        snapshots++;
        deltasSinceSnapshot = 0;
        out.book(update(eventTime, receiveMicros, true, book.levels(OrderBook.Side.BID),
                book.levels(OrderBook.Side.ASK), seq));
    }

    private void quoteIfTopChanged(Instant eventTime, long receiveMicros) {
        BookLevel bid = book.best(OrderBook.Side.BID);
        BookLevel ask = book.best(OrderBook.Side.ASK);
        if (bid == null || ask == null || same(bid, quotedBid) && same(ask, quotedAsk)) {
            return;
        }
        quotedBid = bid;
        quotedAsk = ask;
        out.quote(new Quote(venue, canonical, pair, eventTime, Micros.toInstant(receiveMicros), bid.getPrice(),
                bid.getSize(), ask.getPrice(), ask.getSize(), null));
    }

    private static boolean same(BookLevel a, BookLevel b) {
        return b != null && Decimals.compare(a.getPrice(), b.getPrice()) == 0
                && Decimals.compare(a.getSize(), b.getSize()) == 0;
    }

    private BookUpdate update(Instant eventTime, long receiveMicros, boolean snapshot, List<BookLevel> bids,
                              List<BookLevel> asks, long seq) {
        return new BookUpdate(venue, canonical, pair, eventTime, Micros.toInstant(receiveMicros), snapshot,
                bids, asks, null, bookMicros, null, seq);
    }

    /** True while the book follows the venue. */
    public boolean isSynced() {
        return synced;
    }

    /** The microtimestamp the book is at, or -1 before the first sync. */
    public long bookMicros() {
        return bookMicros;
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

    /** Diffs dropped because the snapshot already had them. */
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
