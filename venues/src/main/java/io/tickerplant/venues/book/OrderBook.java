package io.tickerplant.venues.book;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An L2 order book: per side, price level to resting size, any venue.
 *
 * <p>Levels are keyed by price <em>value</em> ({@link Decimals#compare}): {@code 0.10} and {@code 0.1000} are the
 * same level, because venues are free to change how many digits they print and a book keyed by the text would
 * hold the same level twice. The size kept is the venue's latest text, digits and all. A size of zero removes the
 * level; removing a level the book does not hold is not an error (venues send such removals routinely).
 *
 * <p>Not thread-safe: one owner (the adapter's I/O thread) mutates it.
 */
public final class OrderBook {

    /** A side of the book. */
    public enum Side { BID, ASK }

    private static final Comparator<Decimal> ASCENDING = Decimals::compare;

    private final NavigableMap<Decimal, Decimal> bids = new TreeMap<>(ASCENDING.reversed());
    private final NavigableMap<Decimal, Decimal> asks = new TreeMap<>(ASCENDING);

    private NavigableMap<Decimal, Decimal> side(Side s) {
        return s == Side.BID ? bids : asks;
    }

    /** Empties both sides. */
    public void clear() {
        bids.clear();
        asks.clear();
    }

    /** Replaces the whole book; zero sizes in a snapshot are ignored. */
    public void replace(Collection<BookLevel> newBids, Collection<BookLevel> newAsks) {
        clear();
        for (BookLevel l : newBids) {
            set(Side.BID, l.getPrice(), l.getSize());
        }
        for (BookLevel l : newAsks) {
            set(Side.ASK, l.getPrice(), l.getSize());
        }
    }

    /**
     * Sets one level; size zero removes it.
     *
     * @return true when the book changed (a new level, another size, a removed level)
     */
    public boolean set(Side s, Decimal price, Decimal size) {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(size, "size");
        if (size.getUnscaled() < 0) {
            throw new IllegalArgumentException("negative size " + Decimals.toPlainString(size));
        }
        NavigableMap<Decimal, Decimal> levels = side(s);
        if (Decimals.isZero(size)) {
            return levels.remove(price) != null;
        }
        Decimal before = levels.put(price, size);
        return before == null || Decimals.compare(before, size) != 0;
    }

    /**
     * Applies a delta and returns the levels that changed the book, in the delta's order, with zero sizes for
     * removed levels: exactly what a consumer of deltas needs to stay equal to this book.
     */
    public List<BookLevel> apply(Side s, List<BookLevel> changes) {
        List<BookLevel> changed = new ArrayList<>(changes.size());
        for (BookLevel l : changes) {
            if (set(s, l.getPrice(), l.getSize())) {
                changed.add(l);
            }
        }
        return changed;
    }

    /** The resting size at a price, or null. */
    public Decimal size(Side s, Decimal price) {
        return side(s).get(price);
    }

    /** Number of levels on a side. */
    public int depth(Side s) {
        return side(s).size();
    }

    public boolean isEmpty() {
        return bids.isEmpty() && asks.isEmpty();
    }

    /** The best level of a side, or null when the side is empty. */
    public BookLevel best(Side s) {
        Map.Entry<Decimal, Decimal> e = side(s).firstEntry();
        return e == null ? null : new BookLevel(e.getKey(), e.getValue());
    }

    /** True when the best bid is at or above the best ask: a book no venue would show, so a broken one. */
    public boolean isCrossed() {
        return !bids.isEmpty() && !asks.isEmpty() && Decimals.compare(bids.firstKey(), asks.firstKey()) >= 0;
    }

    /** All levels of a side, best first. */
    public List<BookLevel> levels(Side s) {
        return levels(s, Integer.MAX_VALUE);
    }

    /** The best {@code max} levels of a side, best first. */
    public List<BookLevel> levels(Side s, int max) {
        NavigableMap<Decimal, Decimal> levels = side(s);
        List<BookLevel> out = new ArrayList<>(Math.min(max, levels.size()));
        for (Map.Entry<Decimal, Decimal> e : levels.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            out.add(new BookLevel(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** A deep copy. */
    public OrderBook copy() {
        OrderBook b = new OrderBook();
        b.bids.putAll(bids);
        b.asks.putAll(asks);
        return b;
    }

    /**
     * True when both books hold the same levels with the same size values (digits may differ: {@code 1.50}
     * equals {@code 1.5}).
     */
    public boolean sameLevels(OrderBook other) {
        return sameSide(bids, other.bids) && sameSide(asks, other.asks);
    }

    private static boolean sameSide(NavigableMap<Decimal, Decimal> a, NavigableMap<Decimal, Decimal> b) {
        if (a.size() != b.size()) {
            return false;
        }
        var ia = a.entrySet().iterator();
        var ib = b.entrySet().iterator();
        while (ia.hasNext()) {
            var ea = ia.next();
            var eb = ib.next();
            if (Decimals.compare(ea.getKey(), eb.getKey()) != 0 || Decimals.compare(ea.getValue(), eb.getValue()) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The levels as text, best first, for test failures and logs: {@code bids [p x s, ...] asks [...]}. */
    @Override
    public String toString() {
        return "bids " + text(bids) + " asks " + text(asks);
    }

    private static String text(NavigableMap<Decimal, Decimal> side) {
        StringBuilder sb = new StringBuilder("[");
        for (Map.Entry<Decimal, Decimal> e : side.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(Decimals.toPlainString(e.getKey())).append(" x ").append(Decimals.toPlainString(e.getValue()));
        }
        return sb.append(']').toString();
    }
}
