package io.tickerplant.venues.coinbase;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.book.OrderBook;
import java.util.List;
import java.util.Objects;

/**
 * One Coinbase Advanced Trade L2 book ({@code level2} channel, messages {@code l2_data}). Coinbase has no per-book
 * update id and no checksum: the book is right as long as the connection lost no message, which the connection's
 * {@code sequence_num} tells (checked by the owner, who calls {@link #invalidate} on a gap). Recovery is a fresh
 * {@code snapshot} event, which Coinbase sends on every (re)subscription to {@code level2}.
 *
 * <p><b>Never silently wrong.</b> After {@link #invalidate} (GAP published) or {@link #reset} (connection lost),
 * updates are counted and dropped until the next snapshot; that snapshot is published with sequence 0 after a
 * RESYNC event. A book that comes out crossed after an update (best bid at or above best ask) is treated as broken
 * the same way. Deltas carry only the levels that changed the book (size 0 removes a level); every
 * {@code snapshotInterval} deltas a full snapshot follows. The connection {@code sequence_num} of the message is
 * the record's first/last update id. Pure logic, not thread-safe: one owner thread.
 */
public final class CoinbaseBookSync {

    /** What the sync publishes. */
    public interface Output {
        void book(BookUpdate update);

        /** GAP or RESYNC of this book, channel {@code book}. */
        void status(FeedState state, String detail, String fromId, String toId);
    }

    private final String venue;
    private final String canonical;
    private final String productId;
    private final int snapshotInterval;
    private final Output out;
    private final OrderBook book = new OrderBook();

    private boolean synced;
    private boolean resubscribePending;
    private String resyncReason;
    private long lastSequence = -1;
    private long sequence;
    private int deltasSinceSnapshot;
    private int unsyncedUpdates;
    private long gaps;
    private long resyncs;
    private long deltas;
    private long snapshots;

    /** @param snapshotInterval deltas between two periodic snapshots, at least 1 */
    public CoinbaseBookSync(String venue, String canonical, String productId, int snapshotInterval, Output out) {
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be >= 1");
        }
        this.venue = Objects.requireNonNull(venue, "venue");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.productId = Objects.requireNonNull(productId, "productId");
        this.snapshotInterval = snapshotInterval;
        this.out = Objects.requireNonNull(out, "out");
    }

    /** A {@code snapshot} event: the whole book, replacing whatever was held. */
    public void onSnapshot(List<BookLevel> bids, List<BookLevel> asks, long messageSequence, long eventMicros,
                           long receiveMicros) {
        book.replace(bids, asks);
        resubscribePending = false;
        lastSequence = messageSequence;
        synced = true;
        unsyncedUpdates = 0;
        if (resyncReason != null) {
            resyncs++;
            out.status(FeedState.RESYNC, "book " + productId + " resynchronized " + resyncReason
                    + " from a new level2 snapshot (message " + messageSequence + ")", null,
                    Long.toString(messageSequence));
        }
        resyncReason = null;
        sequence = 0;
        publishSnapshot(eventMicros, receiveMicros, 0);
    }

    /** What became of an update. */
    public enum Applied {
        /** Applied and published. */
        APPLIED,
        /** Dropped: no synchronized book (waiting for a snapshot). */
        DROPPED,
        /** It broke the book (GAP published): the owner must resubscribe level2. */
        BROKE_BOOK
    }

    /** An {@code update} event. */
    public Applied onUpdate(List<BookLevel> bids, List<BookLevel> asks, long messageSequence, long eventMicros,
                            long receiveMicros) {
        if (!synced) {
            unsyncedUpdates++;
            return Applied.DROPPED;
        }
        List<BookLevel> changedBids = book.apply(OrderBook.Side.BID, bids);
        List<BookLevel> changedAsks = book.apply(OrderBook.Side.ASK, asks);
        if (book.isCrossed()) {
            String why = "the book is crossed after message " + messageSequence + " (best bid "
                    + text(book.best(OrderBook.Side.BID)) + " >= best ask " + text(book.best(OrderBook.Side.ASK))
                    + ")";
            return invalidate(why, Long.toString(messageSequence), Long.toString(messageSequence))
                    ? Applied.BROKE_BOOK : Applied.DROPPED;
        }
        lastSequence = messageSequence;
        deltas++;
        out.book(update(eventMicros, receiveMicros, false, changedBids, changedAsks, messageSequence, ++sequence));
        if (++deltasSinceSnapshot >= snapshotInterval) {
            publishSnapshot(eventMicros, receiveMicros, ++sequence);
        }
        return Applied.APPLIED;
    }

    /**
     * Messages were lost, or the book broke: GAP now, no more deltas until a new snapshot.
     *
     * @param fromId first missing connection sequence number (or the breaking message)
     * @param toId last missing one
     * @return true when the owner must resubscribe level2 for a new snapshot; false when one is on its way already
     */
    public boolean invalidate(String why, String fromId, String toId) {
        gaps++;
        synced = false;
        book.clear();
        resyncReason = "after a gap (" + why + ")";
        out.status(FeedState.GAP, "book " + productId + ": " + why + "; dropping the book and resubscribing level2"
                + " for a new snapshot", fromId, toId);
        if (resubscribePending) {
            // The resubscription already asked for answers this loss too.
            return false;
        }
        resubscribePending = true;
        return true;
    }

    /** The connection ended: the book is unknown until the new connection's snapshot. */
    public void reset(String why) {
        if (synced) {
            resyncReason = "after the connection was lost (" + why + ")";
        }
        synced = false;
        resubscribePending = false;
        book.clear();
    }

    private void publishSnapshot(long eventMicros, long receiveMicros, long seq) {
        snapshots++;
        deltasSinceSnapshot = 0;
        out.book(update(eventMicros, receiveMicros, true, book.levels(OrderBook.Side.BID),
                book.levels(OrderBook.Side.ASK), null, seq));
    }

    private BookUpdate update(long eventMicros, long receiveMicros, boolean snapshot, List<BookLevel> bids,
                              List<BookLevel> asks, Long firstUpdateId, long seq) {
        return new BookUpdate(venue, canonical, productId, Micros.toInstant(eventMicros),
                Micros.toInstant(receiveMicros), snapshot, bids, asks, firstUpdateId, lastSequence, null, seq);
    }

    private static String text(BookLevel l) {
        return io.tickerplant.model.Decimals.toPlainString(l.getPrice());
    }

    /** True while the book follows the venue. */
    public boolean isSynced() {
        return synced;
    }

    /** Updates dropped since the book was lost, waiting for a snapshot. */
    public int unsyncedUpdates() {
        return unsyncedUpdates;
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

    /** The FeedStatus channel of book events. */
    public static String channel() {
        return Channel.BOOK.configName();
    }
}
