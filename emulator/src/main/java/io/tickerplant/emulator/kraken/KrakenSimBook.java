package io.tickerplant.emulator.kraken;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * One pair's full L2 book around the simulated trade price, and what a client subscribed at a given depth sees of
 * it. After every trade the book moves so that the trade price sits at the touch, levels fill in up to
 * {@link #FILL} ticks from the touch (more than the depth 25 a client may subscribe to, so that levels really fall
 * out of scope), levels beyond {@link #KEEP} ticks go, and a few levels near the touch are re-quoted.
 *
 * <p>What Kraken sends a depth-D subscriber is the change of its top-D view: levels new to the view or with
 * another quantity, and quantity 0 for levels that left the book; levels merely pushed out of scope are not sent
 * (the client truncates). Values are written with the pair's precisions, which the checksum is computed over.
 * Guarded by the emulator's lock.
 */
final class KrakenSimBook {

    static final int FILL = 30;
    static final int KEEP = 45;

    /** One changed level of a view, as sent. */
    record Level(BigDecimal price, BigDecimal qty) {
    }

    /** The change of a depth-D view. */
    record ViewUpdate(List<Level> bids, List<Level> asks) {
        boolean isEmpty() {
            return bids.isEmpty() && asks.isEmpty();
        }
    }

    private final KrakenPair pair;
    private final SplittableRandom rng;
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    /** Per subscribed depth, the view as last sent. */
    private final Map<Integer, View> views = new LinkedHashMap<>();

    private record View(Map<BigDecimal, BigDecimal> bids, Map<BigDecimal, BigDecimal> asks) {
    }

    KrakenSimBook(KrakenPair pair, long seed) {
        this.pair = pair;
        this.rng = new SplittableRandom(seed ^ pair.symbol().hashCode() * 31L);
        BigDecimal p = pair.startPrice();
        for (int k = 0; k < FILL; k++) {
            bids.put(price(p.subtract(pair.tick().multiply(BigDecimal.valueOf(k + 1)))), randomQty());
            asks.put(price(p.add(pair.tick().multiply(BigDecimal.valueOf(k + 1)))), randomQty());
        }
    }

    /** Moves the book after a trade at {@code tradePrice} whose taker bought or sold. */
    void onTrade(BigDecimal tradePrice, boolean takerBuys) {
        BigDecimal tick = pair.tick();
        BigDecimal p = price(tradePrice);
        BigDecimal topBid = takerBuys ? p.subtract(tick) : p;
        BigDecimal topAsk = takerBuys ? p : p.add(tick);
        bids.headMap(topBid, false).clear();
        asks.headMap(topAsk, false).clear();
        bids.tailMap(topBid.subtract(tick.multiply(BigDecimal.valueOf(KEEP))), false).clear();
        asks.tailMap(topAsk.add(tick.multiply(BigDecimal.valueOf(KEEP))), false).clear();
        for (int k = 0; k < FILL; k++) {
            BigDecimal bp = price(topBid.subtract(tick.multiply(BigDecimal.valueOf(k))));
            if (bp.signum() > 0) {
                bids.putIfAbsent(bp, randomQty());
            }
            asks.putIfAbsent(price(topAsk.add(tick.multiply(BigDecimal.valueOf(k)))), randomQty());
        }
        (takerBuys ? asks : bids).put(takerBuys ? topAsk : topBid, randomQty());
        int requotes = 1 + rng.nextInt(3);
        for (int i = 0; i < requotes; i++) {
            boolean bid = rng.nextBoolean();
            NavigableMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
            List<BigDecimal> near = new ArrayList<>(side.keySet()).subList(0, Math.min(12, side.size()));
            if (near.size() > 2) {
                BigDecimal price = near.get(1 + rng.nextInt(near.size() - 1));
                if (rng.nextInt(4) == 0) {
                    side.remove(price);
                } else {
                    side.put(price, randomQty());
                }
            }
        }
    }

    /** Starts (or joins) the view of a depth: the snapshot a new subscriber gets. */
    ViewUpdate snapshot(int depth) {
        View v = views.computeIfAbsent(depth, d -> view(d));
        return new ViewUpdate(levels(v.bids()), levels(v.asks()));
    }

    /** Per subscribed depth, the change of its view since the last call. */
    Map<Integer, ViewUpdate> updates() {
        Map<Integer, ViewUpdate> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, View> e : views.entrySet()) {
            View before = e.getValue();
            View after = view(e.getKey());
            e.setValue(after);
            out.put(e.getKey(), new ViewUpdate(diff(before.bids(), after.bids(), bids),
                    diff(before.asks(), after.asks(), asks)));
        }
        return out;
    }

    private static List<Level> diff(Map<BigDecimal, BigDecimal> before, Map<BigDecimal, BigDecimal> after,
                                    NavigableMap<BigDecimal, BigDecimal> full) {
        List<Level> out = new ArrayList<>();
        for (Map.Entry<BigDecimal, BigDecimal> e : before.entrySet()) {
            if (!after.containsKey(e.getKey()) && !full.containsKey(e.getKey())) {
                out.add(new Level(e.getKey(), BigDecimal.ZERO));
            }
        }
        for (Map.Entry<BigDecimal, BigDecimal> e : after.entrySet()) {
            BigDecimal was = before.get(e.getKey());
            if (was == null || was.compareTo(e.getValue()) != 0) {
                out.add(new Level(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    private View view(int depth) {
        return new View(top(bids, depth), top(asks, depth));
    }

    private static Map<BigDecimal, BigDecimal> top(NavigableMap<BigDecimal, BigDecimal> side, int depth) {
        Map<BigDecimal, BigDecimal> out = new LinkedHashMap<>();
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (out.size() >= depth) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static List<Level> levels(Map<BigDecimal, BigDecimal> side) {
        List<Level> out = new ArrayList<>(side.size());
        side.forEach((p, q) -> out.add(new Level(p, q)));
        return out;
    }

    /** Kraken's CRC32 of the top 10 asks then bids, over the digits at the pair's precisions. */
    long checksum() {
        StringBuilder sb = new StringBuilder(512);
        append(sb, asks);
        append(sb, bids);
        CRC32 crc = new CRC32();
        crc.update(sb.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private void append(StringBuilder sb, NavigableMap<BigDecimal, BigDecimal> side) {
        int n = 0;
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (n++ >= 10) {
                break;
            }
            sb.append(digits(pair.formatPrice(e.getKey()))).append(digits(pair.formatQty(e.getValue())));
        }
    }

    /** {@code "0.00100000"} to {@code "100000"}: the point and the leading zeros dropped, as Kraken documents. */
    static String digits(String formatted) {
        String s = formatted.replace(".", "");
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    Map.Entry<BigDecimal, BigDecimal> bestBid() {
        return bids.firstEntry();
    }

    Map.Entry<BigDecimal, BigDecimal> bestAsk() {
        return asks.firstEntry();
    }

    /** The best {@code limit} levels per side, formatted as sent. */
    List<String[]> top(boolean bid, int limit) {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<BigDecimal, BigDecimal> e : (bid ? bids : asks).entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new String[] {pair.formatPrice(e.getKey()), pair.formatQty(e.getValue())});
        }
        return out;
    }

    private BigDecimal price(BigDecimal v) {
        return v.setScale(pair.pricePrecision(), RoundingMode.UNNECESSARY);
    }

    private BigDecimal randomQty() {
        long lots = 1 + rng.nextInt(5000);
        return pair.lot().multiply(BigDecimal.valueOf(lots)).setScale(pair.qtyPrecision(), RoundingMode.UNNECESSARY);
    }
}
