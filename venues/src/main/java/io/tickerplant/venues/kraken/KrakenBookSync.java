package io.tickerplant.venues.kraken;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.book.OrderBook;
import io.tickerplant.venues.kraken.KrakenParser.Precision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps one Kraken L2 book in sync with the venue, following Kraken's book guide
 * (https://docs.kraken.com/api/docs/guides/spot-ws-book-v2): start from the subscription's snapshot, apply every
 * level of an update message (qty 0 removes a level), only then truncate the book to the subscribed depth (Kraken
 * sends no removal for levels pushed out of scope), then compare the CRC32 of the top 10 levels with the message's
 * {@code checksum}.
 *
 * <p><b>Never silently wrong.</b> Kraken has no sequence numbers: the checksum is the only way to see a lost or
 * corrupted update. A mismatch is a GAP (with the checksum Kraken sent and the one computed); the book is dropped,
 * the owner is asked to resubscribe (which makes Kraken send a fresh snapshot), updates are ignored until that
 * snapshot arrives, and then RESYNC is published and the book goes out as a snapshot with sequence 0. A lost
 * connection ({@link #reset}) is handled the same way, minus the GAP.
 *
 * <p>Output: one snapshot record after every (re)sync, a delta per update message (the levels that changed the
 * book, then the levels truncation removed, with size 0), and a full snapshot again every {@code snapshotInterval}
 * deltas. Pure logic shared by the live adapter and the replayer. Not thread-safe: one owner thread.
 */
public final class KrakenBookSync {

    /** What the sync publishes and asks for. */
    public interface Output {
        void book(BookUpdate update);

        /** GAP, RESYNC or STALE of this book, channel {@code book}. */
        void status(FeedState state, String detail, String fromId, String toId);

        /** The book is broken: unsubscribe and subscribe again for a fresh snapshot (a no-op when replaying). */
        void resubscribe(String why);
    }

    /** Checksum value meaning "the message carried none" (websocket v1 snapshots). */
    public static final long NO_CHECKSUM = -1;

    private final String venue;
    private final String canonical;
    private final String venueSymbol;
    private final int depth;
    private final int snapshotInterval;
    private final Output out;
    private final OrderBook book = new OrderBook();
    private Precision precision;
    private final boolean digitsAsReceived;

    private boolean synced;
    private boolean everSynced;
    private String resyncReason;
    private long sequence;
    private int deltasSinceSnapshot;
    private long lastChecksum = NO_CHECKSUM;

    private long gaps;
    private long resyncs;
    private long deltas;
    private long snapshots;
    private long ignoredUpdates;
    private long checksumsVerified;

    /**
     * @param depth the subscribed depth: the book is truncated to it after every update
     * @param snapshotInterval deltas between two periodic snapshots, at least 1
     * @param precision the pair's precisions, or null until known ({@link #precision(Precision)})
     */
    public KrakenBookSync(String venue, String canonical, String venueSymbol, int depth, int snapshotInterval,
                          Precision precision, Output out) {
        this(venue, canonical, venueSymbol, depth, snapshotInterval, precision, false, out);
    }

    /**
     * @param digitsAsReceived true: the checksum covers each value's digits as received, not formatted to a
     *     precision (websocket v1, see {@link KrakenChecksum#AS_RECEIVED})
     */
    public KrakenBookSync(String venue, String canonical, String venueSymbol, int depth, int snapshotInterval,
                          Precision precision, boolean digitsAsReceived, Output out) {
        this.digitsAsReceived = digitsAsReceived;
        if (snapshotInterval < 1 || depth < 1) {
            throw new IllegalArgumentException("snapshotInterval and depth must be >= 1");
        }
        this.venue = Objects.requireNonNull(venue, "venue");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.venueSymbol = Objects.requireNonNull(venueSymbol, "venueSymbol");
        this.depth = depth;
        this.snapshotInterval = snapshotInterval;
        this.precision = precision;
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Sets (or updates) the pair's precisions. */
    public void precision(Precision p) {
        this.precision = Objects.requireNonNull(p, "precision");
    }

    public Precision precision() {
        return precision;
    }

    /**
     * A snapshot: replaces the book, verified against its checksum when it carries one.
     *
     * @param checksum Kraken's CRC32, or {@link #NO_CHECKSUM}
     * @param eventMicros venue time, or -1 for the receive time
     */
    public void onSnapshot(List<BookLevel> bids, List<BookLevel> asks, long checksum, long eventMicros,
                           long receiveMicros) {
        book.replace(bids, asks);
        truncate(OrderBook.Side.BID, null);
        truncate(OrderBook.Side.ASK, null);
        if (checksum != NO_CHECKSUM) {
            long computed = computed();
            if (computed != checksum) {
                mismatch("snapshot", checksum, computed);
                return;
            }
            checksumsVerified++;
        }
        lastChecksum = checksum;
        synced = true;
        if (everSynced && resyncReason != null) {
            resyncs++;
            out.status(FeedState.RESYNC, "book " + venueSymbol + " resynchronized " + resyncReason
                    + " from a new snapshot" + (checksum == NO_CHECKSUM ? "" : " (checksum " + checksum + " verified)"),
                    null, null);
        }
        everSynced = true;
        resyncReason = null;
        sequence = 0;
        publishSnapshot(time(eventMicros, receiveMicros), receiveMicros, 0);
    }

    /**
     * An update message: all its levels are applied, the book is truncated to the depth, then the checksum is
     * compared. Ignored while no snapshot has synced the book.
     */
    public void onUpdate(List<BookLevel> bids, List<BookLevel> asks, long checksum, long eventMicros,
                         long receiveMicros) {
        if (!synced) {
            ignoredUpdates++;
            return;
        }
        List<BookLevel> changedBids = book.apply(OrderBook.Side.BID, bids);
        List<BookLevel> changedAsks = book.apply(OrderBook.Side.ASK, asks);
        truncate(OrderBook.Side.BID, changedBids);
        truncate(OrderBook.Side.ASK, changedAsks);
        if (checksum != NO_CHECKSUM) {
            long computed = computed();
            if (computed != checksum) {
                mismatch("update", checksum, computed);
                return;
            }
            checksumsVerified++;
        }
        lastChecksum = checksum;
        deltas++;
        Instant eventTime = time(eventMicros, receiveMicros);
        out.book(update(eventTime, receiveMicros, false, changedBids, changedAsks, ++sequence));
        if (++deltasSinceSnapshot >= snapshotInterval) {
            publishSnapshot(eventTime, receiveMicros, ++sequence);
        }
    }

    /** The connection carrying the book ended: drop it; the next snapshot resyncs and publishes RESYNC. */
    public void reset(String why) {
        if (synced || resyncReason == null) {
            resyncReason = why;
        }
        synced = false;
        book.clear();
    }

    /** Levels beyond the depth are out of scope: Kraken sends no removal for them, so they are dropped here. */
    private void truncate(OrderBook.Side side, List<BookLevel> changed) {
        int excess = book.depth(side) - depth;
        if (excess <= 0) {
            return;
        }
        List<BookLevel> all = book.levels(side);
        for (BookLevel l : all.subList(depth, all.size())) {
            Decimal zero = new Decimal(0L, l.getSize().getScale());
            book.set(side, l.getPrice(), zero);
            if (changed != null) {
                changed.add(new BookLevel(l.getPrice(), zero));
            }
        }
    }

    private long computed() {
        if (digitsAsReceived) {
            return KrakenChecksum.of(book, KrakenChecksum.AS_RECEIVED, KrakenChecksum.AS_RECEIVED);
        }
        Precision p = precision != null ? precision : inferred();
        try {
            return KrakenChecksum.of(book, p.price(), p.qty());
        } catch (IllegalArgumentException e) {
            // A value finer than the precision: no formatting gives Kraken's string, so no checksum can match.
            return -2;
        }
    }

    /** Without known precisions, the digits on the wire (Kraken sends full precision) are the best guess. */
    private Precision inferred() {
        int price = 0;
        int qty = 0;
        for (OrderBook.Side s : OrderBook.Side.values()) {
            for (BookLevel l : book.levels(s, KrakenChecksum.LEVELS)) {
                price = Math.max(price, l.getPrice().getScale());
                qty = Math.max(qty, l.getSize().getScale());
            }
        }
        return new Precision(price, qty);
    }

    private void mismatch(String what, long expected, long computed) {
        gaps++;
        synced = false;
        book.clear();
        resyncReason = "after a checksum mismatch";
        String why = computed == -2 ? "a level has more decimals than the pair's precision" : "computed " + computed;
        out.status(FeedState.GAP, "book " + venueSymbol + ": checksum mismatch after the " + what + ": Kraken sent "
                + expected + ", " + why + "; updates were lost or corrupted; dropping the book and resubscribing"
                + " for a fresh snapshot", null, null);
        out.resubscribe("checksum mismatch (expected " + expected + ", " + why + ")");
    }

    private static Instant time(long eventMicros, long receiveMicros) {
        return Micros.toInstant(eventMicros >= 0 ? eventMicros : receiveMicros);
    }

    private void publishSnapshot(Instant eventTime, long receiveMicros, long seq) {
        snapshots++;
        deltasSinceSnapshot = 0;
        out.book(update(eventTime, receiveMicros, true, book.levels(OrderBook.Side.BID),
                book.levels(OrderBook.Side.ASK), seq));
    }

    private BookUpdate update(Instant eventTime, long receiveMicros, boolean snapshot, List<BookLevel> bids,
                              List<BookLevel> asks, long seq) {
        return new BookUpdate(venue, canonical, venueSymbol, eventTime, Micros.toInstant(receiveMicros), snapshot,
                new ArrayList<>(bids), new ArrayList<>(asks), null, null,
                lastChecksum == NO_CHECKSUM ? null : lastChecksum, seq);
    }

    /** True while the book follows the venue. */
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

    public long snapshots() {
        return snapshots;
    }

    /** Updates that arrived while the book waited for a snapshot. */
    public long ignoredUpdates() {
        return ignoredUpdates;
    }

    /** Checksums that matched. */
    public long checksumsVerified() {
        return checksumsVerified;
    }

    /** The FeedStatus channel of book events. */
    public static String channel() {
        return Channel.BOOK.configName();
    }
}
