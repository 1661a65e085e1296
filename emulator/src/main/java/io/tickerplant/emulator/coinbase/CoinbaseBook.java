package io.tickerplant.emulator.coinbase;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
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
 * A plausible L2 book around one product's random-walk price: after every trade the traded price sits at the touch,
 * levels fill in up to {@link #DEPTH} ticks from it, levels beyond {@link #KEEP} ticks go, and a few levels near the
 * top are re-quoted. Each such change set is one {@code l2_data} update. Prices and sizes are kept as values; the
 * wire prints them without trailing zeros, as Coinbase does ({@code "65083.6"}, {@code "0.002186"}).
 *
 * <p>Deterministic given the seed and the trades. Guarded by its own monitor, which {@link CoinbaseEmulator} holds
 * while it changes the book and sends what changed, so a snapshot is always consistent with the updates after it.
 */
final class CoinbaseBook {

    static final int DEPTH = 10;
    static final int KEEP = 20;

    /** One update: levels whose size changed (zero: removed). */
    record Diff(Map<BigDecimal, BigDecimal> bids, Map<BigDecimal, BigDecimal> asks) {
    }

    private final String productId;
    private final BigDecimal tick;
    private final BigDecimal lot;
    private final SplittableRandom rng;
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private long changes;
    private BigDecimal lastPrice;

    CoinbaseBook(SymbolSpec spec, long seed) {
        this.productId = spec.symbol();
        this.tick = spec.tickSize();
        this.lot = spec.lotSize();
        this.rng = new SplittableRandom(seed ^ spec.symbol().hashCode() * 31L);
        BigDecimal p = spec.startPrice();
        this.lastPrice = p;
        for (int k = 0; k < DEPTH; k++) {
            bids.put(p.subtract(tick.multiply(BigDecimal.valueOf(k + 1))), randomQty());
            asks.put(p.add(tick.multiply(BigDecimal.valueOf(k + 1))), randomQty());
        }
    }

    /** Moves the book after a trade; null when nothing changed. */
    Diff onTrade(EmittedTrade t) {
        BigDecimal p = new BigDecimal(t.price());
        lastPrice = p;
        boolean takerBuys = !t.buyerIsMaker();
        BigDecimal topBid = takerBuys ? p.subtract(tick) : p;
        BigDecimal topAsk = takerBuys ? p : p.add(tick);
        Map<BigDecimal, BigDecimal> db = new LinkedHashMap<>();
        Map<BigDecimal, BigDecimal> da = new LinkedHashMap<>();
        // Through the touch: a buy lifted every ask below the trade price, a sell hit every bid above it.
        removeAll(bids, db, new ArrayList<>(bids.headMap(topBid, false).keySet()));
        removeAll(asks, da, new ArrayList<>(asks.headMap(topAsk, false).keySet()));
        removeAll(bids, db, new ArrayList<>(bids.tailMap(topBid.subtract(ticks(KEEP)), false).keySet()));
        removeAll(asks, da, new ArrayList<>(asks.tailMap(topAsk.add(ticks(KEEP)), false).keySet()));
        for (int k = 0; k < DEPTH; k++) {
            BigDecimal bp = topBid.subtract(ticks(k));
            if (bp.signum() > 0 && !bids.containsKey(bp)) {
                set(bids, db, bp, randomQty());
            }
            BigDecimal ap = topAsk.add(ticks(k));
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
                if (rng.nextInt(5) == 0 && near.size() > 2 && price.compareTo(bid ? topBid : topAsk) != 0) {
                    removeAll(side, bid ? db : da, List.of(price));
                } else {
                    set(side, bid ? db : da, price, randomQty());
                }
            }
        }
        if (db.isEmpty() && da.isEmpty()) {
            return null;
        }
        changes++;
        return new Diff(db, da);
    }

    private BigDecimal ticks(int n) {
        return tick.multiply(BigDecimal.valueOf(n));
    }

    private static void removeAll(NavigableMap<BigDecimal, BigDecimal> side, Map<BigDecimal, BigDecimal> diff,
                                  List<BigDecimal> prices) {
        for (BigDecimal price : prices) {
            if (side.remove(price) != null) {
                diff.put(price, BigDecimal.ZERO);
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
        return lot.multiply(BigDecimal.valueOf(1 + rng.nextInt(5000)));
    }

    Map.Entry<BigDecimal, BigDecimal> bestBid() {
        return bids.firstEntry();
    }

    Map.Entry<BigDecimal, BigDecimal> bestAsk() {
        return asks.firstEntry();
    }

    BigDecimal lastPrice() {
        return lastPrice;
    }

    NavigableMap<BigDecimal, BigDecimal> bids() {
        return bids;
    }

    NavigableMap<BigDecimal, BigDecimal> asks() {
        return asks;
    }

    /** The book now; {@code lastUpdateId} counts the updates made so far. */
    BookSnapshot snapshot(int limit) {
        return new BookSnapshot(productId, changes, levels(bids, limit), levels(asks, limit));
    }

    private static List<BookSnapshot.Level> levels(NavigableMap<BigDecimal, BigDecimal> side, int limit) {
        List<BookSnapshot.Level> out = new ArrayList<>(Math.min(limit, side.size()));
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new BookSnapshot.Level(CoinbaseEmulator.plain(e.getKey()), CoinbaseEmulator.plain(e.getValue())));
        }
        return out;
    }
}
