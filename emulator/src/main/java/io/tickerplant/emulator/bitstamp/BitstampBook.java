package io.tickerplant.emulator.bitstamp;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.SymbolSpec;
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
 * The simulated L2 book of one Bitstamp pair: after every trade the book moves so that the trade price sits at the
 * touch, levels that the move crossed are removed, levels fill in up to {@link #DEPTH} ticks from the touch, levels
 * beyond {@link #KEEP} ticks go, and a few levels near the top are re-quoted. Each change set is one diff stamped
 * with a microtimestamp that strictly increases per pair, which is all Bitstamp gives its clients to order diffs.
 *
 * <p>Deterministic given the seed and the trades. Guarded by the caller ({@link BitstampEmulator} locks it).
 */
final class BitstampBook {

    static final int DEPTH = 10;
    static final int KEEP = 20;

    /** One diff: levels whose size changed (zero: removed), at a microtimestamp. */
    record Diff(long microtimestamp, Map<BigDecimal, BigDecimal> bids, Map<BigDecimal, BigDecimal> asks) {
    }

    private final String pair;
    private final BigDecimal tick;
    private final BigDecimal lot;
    private final SplittableRandom rng;
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private long microtimestamp;

    BitstampBook(SymbolSpec spec, long seed, long startMicros) {
        this.pair = spec.symbol();
        this.tick = spec.tickSize();
        this.lot = spec.lotSize();
        this.rng = new SplittableRandom(seed ^ spec.symbol().hashCode() * 31L);
        this.microtimestamp = startMicros;
        BigDecimal p = spec.startPrice();
        for (int k = 0; k < DEPTH; k++) {
            bids.put(scaled(p.subtract(tick.multiply(BigDecimal.valueOf(k + 1)))), randomQty());
            asks.put(scaled(p.add(tick.multiply(BigDecimal.valueOf(k + 1)))), randomQty());
        }
    }

    /** The microtimestamp of the last change (of the initial book before any). */
    long microtimestamp() {
        return microtimestamp;
    }

    /** Moves the book after a trade; null when nothing changed. */
    Diff onTrade(EmittedTrade t) {
        BigDecimal p = scaled(new BigDecimal(t.price()));
        boolean takerBuys = !t.buyerIsMaker();
        BigDecimal topBid = takerBuys ? p.subtract(tick) : p;
        BigDecimal topAsk = takerBuys ? p : p.add(tick);
        Map<BigDecimal, BigDecimal> db = new LinkedHashMap<>();
        Map<BigDecimal, BigDecimal> da = new LinkedHashMap<>();
        for (BigDecimal price : new ArrayList<>(bids.headMap(topBid, false).keySet())) {
            remove(bids, db, price);
        }
        for (BigDecimal price : new ArrayList<>(asks.headMap(topAsk, false).keySet())) {
            remove(asks, da, price);
        }
        BigDecimal bottomBid = topBid.subtract(tick.multiply(BigDecimal.valueOf(KEEP)));
        BigDecimal bottomAsk = topAsk.add(tick.multiply(BigDecimal.valueOf(KEEP)));
        for (BigDecimal price : new ArrayList<>(bids.tailMap(bottomBid, false).keySet())) {
            remove(bids, db, price);
        }
        for (BigDecimal price : new ArrayList<>(asks.tailMap(bottomAsk, false).keySet())) {
            remove(asks, da, price);
        }
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
                    remove(side, bid ? db : da, price);
                } else {
                    set(side, bid ? db : da, price, randomQty());
                }
            }
        }
        if (db.isEmpty() && da.isEmpty()) {
            return null;
        }
        microtimestamp = Math.max(t.timeMillis() * 1000L, microtimestamp + 1);
        return new Diff(microtimestamp, db, da);
    }

    private static void remove(NavigableMap<BigDecimal, BigDecimal> side, Map<BigDecimal, BigDecimal> diff,
                               BigDecimal price) {
        if (side.remove(price) != null) {
            diff.put(price, BigDecimal.ZERO.setScale(MarketSimulator.SCALE));
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

    /** The book with its microtimestamp in {@link BookSnapshot#lastUpdateId()} (Bitstamp has no update ids). */
    BookSnapshot snapshot(int limit) {
        return new BookSnapshot(pair, microtimestamp, levels(bids, limit), levels(asks, limit));
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
