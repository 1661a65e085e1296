package io.tickerplant.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A plausible L2 book around one symbol's random-walk price, shared by the venue emulators that number and frame
 * its changes their own way: after every trade the book moves so that the trade price sits at the touch, levels the
 * move crossed are removed, levels fill in up to {@link #DEPTH} ticks from the touch, levels beyond {@link #KEEP}
 * ticks go, and a few levels near the top are re-quoted. Each move is one change set.
 *
 * <p>Deterministic given the seed and the trades. Not thread-safe: the emulator that owns it locks it.
 */
public final class MovingBook {

    /** Levels per side kept filled near the touch. */
    public static final int DEPTH = 10;
    /** Levels further than this many ticks from the touch are removed. */
    public static final int KEEP = 20;

    /** Levels whose size changed in one move, best first; a removed level has the book's removal quantity. */
    public record Changes(Map<BigDecimal, BigDecimal> bids, Map<BigDecimal, BigDecimal> asks) {
        /** The number of levels changed. */
        public int size() {
            return bids.size() + asks.size();
        }
    }

    private final BigDecimal tick;
    private final BigDecimal lot;
    private final BigDecimal removed;
    private final SplittableRandom rng;
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();

    /**
     * @param removed the quantity a removed level is reported with, as the venue writes it ({@code 0} or
     *                {@code 0.00000000})
     */
    public MovingBook(SymbolSpec spec, long seed, BigDecimal removed) {
        this.tick = spec.tickSize();
        this.lot = spec.lotSize();
        this.removed = removed;
        this.rng = new SplittableRandom(seed ^ spec.symbol().hashCode() * 31L);
        BigDecimal p = spec.startPrice();
        for (int k = 0; k < DEPTH; k++) {
            bids.put(scaled(p.subtract(tick.multiply(BigDecimal.valueOf(k + 1)))), randomQty());
            asks.put(scaled(p.add(tick.multiply(BigDecimal.valueOf(k + 1)))), randomQty());
        }
    }

    /** Moves the book after a trade; null when nothing changed. */
    public Changes onTrade(EmittedTrade t) {
        BigDecimal p = scaled(new BigDecimal(t.price()));
        boolean takerBuys = !t.buyerIsMaker();
        // The trade happened at the touch: a buy lifted the best ask, a sell hit the best bid.
        BigDecimal topBid = takerBuys ? p.subtract(tick) : p;
        BigDecimal topAsk = takerBuys ? p : p.add(tick);
        Map<BigDecimal, BigDecimal> db = new LinkedHashMap<>();
        Map<BigDecimal, BigDecimal> da = new LinkedHashMap<>();
        removeAll(bids, db, bids.headMap(topBid, false));
        removeAll(asks, da, asks.headMap(topAsk, false));
        removeAll(bids, db, bids.tailMap(topBid.subtract(tick.multiply(BigDecimal.valueOf(KEEP))), false));
        removeAll(asks, da, asks.tailMap(topAsk.add(tick.multiply(BigDecimal.valueOf(KEEP))), false));
        for (int k = 0; k < DEPTH; k++) {
            BigDecimal bp = scaled(topBid.subtract(tick.multiply(BigDecimal.valueOf(k))));
            if (bp.signum() > 0 && !bids.containsKey(bp)) {
                set(bids, db, bp, randomQty());
            }
            BigDecimal ap = scaled(topAsk.add(tick.multiply(BigDecimal.valueOf(k))));
            if (!asks.containsKey(ap)) {
                set(asks, da, ap, randomQty());
            }
        }
        // The traded level shrinks, and a few levels near the touch are re-quoted.
        if (takerBuys) {
            set(asks, da, topAsk, randomQty());
        } else {
            set(bids, db, topBid, randomQty());
        }
        int requotes = 1 + rng.nextInt(3);
        for (int i = 0; i < requotes; i++) {
            boolean bid = rng.nextBoolean();
            NavigableMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
            List<BigDecimal> near = new ArrayList<>(side.keySet()).subList(0, Math.min(DEPTH, side.size()));
            if (!near.isEmpty()) {
                BigDecimal price = near.get(rng.nextInt(near.size()));
                if (rng.nextInt(5) == 0 && near.size() > 2 && !price.equals(bid ? topBid : topAsk)) {
                    removeAll(side, bid ? db : da, Map.of(price, price));
                } else {
                    set(side, bid ? db : da, price, randomQty());
                }
            }
        }
        return db.isEmpty() && da.isEmpty() ? null : new Changes(db, da);
    }

    private void removeAll(NavigableMap<BigDecimal, BigDecimal> side, Map<BigDecimal, BigDecimal> diff,
                           Map<BigDecimal, BigDecimal> range) {
        for (BigDecimal price : new ArrayList<>(range.keySet())) {
            if (side.remove(price) != null) {
                diff.put(price, removed);
            }
        }
    }

    private static void set(NavigableMap<BigDecimal, BigDecimal> side, Map<BigDecimal, BigDecimal> diff,
                            BigDecimal price, BigDecimal qty) {
        BigDecimal before = side.put(price, qty);
        if (before == null || before.compareTo(qty) != 0) {
            diff.put(price, qty);
        }
    }

    private BigDecimal randomQty() {
        return scaled(lot.multiply(BigDecimal.valueOf(1 + rng.nextInt(5000))));
    }

    private static BigDecimal scaled(BigDecimal v) {
        return v.setScale(MarketSimulator.SCALE);
    }

    public Map.Entry<BigDecimal, BigDecimal> bestBid() {
        return bids.firstEntry();
    }

    public Map.Entry<BigDecimal, BigDecimal> bestAsk() {
        return asks.firstEntry();
    }

    /** The best {@code limit} bids, highest first, as plain decimal text. */
    public List<BookSnapshot.Level> bids(int limit) {
        return levels(bids, limit);
    }

    /** The best {@code limit} asks, lowest first, as plain decimal text. */
    public List<BookSnapshot.Level> asks(int limit) {
        return levels(asks, limit);
    }

    private static List<BookSnapshot.Level> levels(NavigableMap<BigDecimal, BigDecimal> side, int limit) {
        List<BookSnapshot.Level> out = new ArrayList<>(Math.min(limit, side.size()));
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new BookSnapshot.Level(e.getKey().toPlainString(), e.getValue().toPlainString()));
        }
        return out;
    }
}
