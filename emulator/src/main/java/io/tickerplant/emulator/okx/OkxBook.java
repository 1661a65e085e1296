package io.tickerplant.emulator.okx;

import io.tickerplant.emulator.BookSnapshot;
import java.math.BigDecimal;
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
 * The simulated {@code books} book of one OKX instrument: after every trade the book moves so that the trade price
 * sits at the touch, levels fill in near the touch, far levels go, and a few levels are re-quoted. Each change set
 * is one update with a new {@code seqId} (increasing by 1 to 3, as OKX's are increasing but not contiguous) whose
 * {@code prevSeqId} is the previous one, and the checksum OKX documents over the resulting book.
 *
 * <p>Prices and sizes are printed as OKX prints them: plain, without trailing zeros. Sizes are in the instrument's
 * trading unit: base asset for spot, whole contracts for swaps. Guarded by the caller (the emulator locks it).
 */
final class OkxBook {

    static final int DEPTH = 10;
    static final int KEEP = 20;
    static final int CHECKSUM_LEVELS = 25;

    /** One update: changed levels (size 0: removed), the seqId chain, the checksum after it. */
    record Update(long prevSeqId, long seqId, long tsMillis, Map<BigDecimal, BigDecimal> bids,
                  Map<BigDecimal, BigDecimal> asks, int checksum) {
    }

    private final String instId;
    private final BigDecimal tick;
    private final BigDecimal unit;
    private final SplittableRandom rng;
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private long seqId;
    private long lastChangeNanos = System.nanoTime();

    /**
     * @param unit size increment of a level: the lot for spot, one contract for swaps
     */
    OkxBook(String instId, BigDecimal startPrice, BigDecimal tick, BigDecimal unit, long seed, long firstSeqId) {
        this.instId = instId;
        this.tick = tick;
        this.unit = unit;
        this.rng = new SplittableRandom(seed ^ instId.hashCode() * 31L);
        this.seqId = firstSeqId;
        for (int k = 0; k < DEPTH; k++) {
            bids.put(startPrice.subtract(tick.multiply(BigDecimal.valueOf(k + 1))), randomSize());
            asks.put(startPrice.add(tick.multiply(BigDecimal.valueOf(k + 1))), randomSize());
        }
    }

    long seqId() {
        return seqId;
    }

    long lastChangeNanos() {
        return lastChangeNanos;
    }

    /** Moves the book after a trade at {@code price}; null when nothing changed. */
    Update onTrade(BigDecimal price, boolean takerBuys, long tsMillis) {
        BigDecimal topBid = takerBuys ? price.subtract(tick) : price;
        BigDecimal topAsk = takerBuys ? price : price.add(tick);
        Map<BigDecimal, BigDecimal> db = new LinkedHashMap<>();
        Map<BigDecimal, BigDecimal> da = new LinkedHashMap<>();
        for (BigDecimal p : new ArrayList<>(bids.headMap(topBid, false).keySet())) {
            remove(bids, db, p);
        }
        for (BigDecimal p : new ArrayList<>(asks.headMap(topAsk, false).keySet())) {
            remove(asks, da, p);
        }
        BigDecimal bottomBid = topBid.subtract(tick.multiply(BigDecimal.valueOf(KEEP)));
        BigDecimal bottomAsk = topAsk.add(tick.multiply(BigDecimal.valueOf(KEEP)));
        for (BigDecimal p : new ArrayList<>(bids.tailMap(bottomBid, false).keySet())) {
            remove(bids, db, p);
        }
        for (BigDecimal p : new ArrayList<>(asks.tailMap(bottomAsk, false).keySet())) {
            remove(asks, da, p);
        }
        for (int k = 0; k < DEPTH; k++) {
            BigDecimal bp = topBid.subtract(tick.multiply(BigDecimal.valueOf(k)));
            if (bp.signum() > 0 && !bids.containsKey(bp)) {
                set(bids, db, bp, randomSize());
            }
            BigDecimal ap = topAsk.add(tick.multiply(BigDecimal.valueOf(k)));
            if (!asks.containsKey(ap)) {
                set(asks, da, ap, randomSize());
            }
        }
        if (takerBuys) {
            set(asks, da, topAsk, randomSize());
        } else {
            set(bids, db, topBid, randomSize());
        }
        int requotes = 1 + rng.nextInt(3);
        for (int i = 0; i < requotes; i++) {
            boolean bid = rng.nextBoolean();
            NavigableMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
            List<BigDecimal> near = new ArrayList<>(side.keySet()).subList(0, Math.min(DEPTH, side.size()));
            if (!near.isEmpty()) {
                BigDecimal p = near.get(rng.nextInt(near.size()));
                if (rng.nextInt(5) == 0 && near.size() > 2 && p.compareTo(bid ? topBid : topAsk) != 0) {
                    remove(side, bid ? db : da, p);
                } else {
                    set(side, bid ? db : da, p, randomSize());
                }
            }
        }
        if (db.isEmpty() && da.isEmpty()) {
            return null;
        }
        long prev = seqId;
        seqId += 1 + rng.nextInt(3);
        lastChangeNanos = System.nanoTime();
        return new Update(prev, seqId, tsMillis, db, da, checksum());
    }

    /** OKX's heartbeat: nothing changed, {@code seqId == prevSeqId}. */
    Update heartbeat(long tsMillis) {
        lastChangeNanos = System.nanoTime();
        return new Update(seqId, seqId, tsMillis, Map.of(), Map.of(), checksum());
    }

    private static void remove(NavigableMap<BigDecimal, BigDecimal> side, Map<BigDecimal, BigDecimal> diff,
                               BigDecimal price) {
        if (side.remove(price) != null) {
            diff.put(price, BigDecimal.ZERO);
        }
    }

    private static void set(NavigableMap<BigDecimal, BigDecimal> side, Map<BigDecimal, BigDecimal> diff,
                            BigDecimal price, BigDecimal size) {
        BigDecimal before = side.put(price, size);
        if (before == null || before.compareTo(size) != 0) {
            diff.put(price, size);
        }
    }

    private BigDecimal randomSize() {
        return unit.multiply(BigDecimal.valueOf(1 + rng.nextInt(5000)));
    }

    Map.Entry<BigDecimal, BigDecimal> bestBid() {
        return bids.firstEntry();
    }

    Map.Entry<BigDecimal, BigDecimal> bestAsk() {
        return asks.firstEntry();
    }

    /** OKX's text of a number: plain, no trailing zeros ({@code 60000.10} is {@code 60000.1}). */
    static String text(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    /** CRC32 of {@code bid1px:bid1sz:ask1px:ask1sz:...} over the best 25 levels per side, signed. */
    int checksum() {
        List<Map.Entry<BigDecimal, BigDecimal>> b = new ArrayList<>(bids.entrySet());
        List<Map.Entry<BigDecimal, BigDecimal>> a = new ArrayList<>(asks.entrySet());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < CHECKSUM_LEVELS; i++) {
            for (List<Map.Entry<BigDecimal, BigDecimal>> side : List.of(b, a)) {
                if (i < side.size()) {
                    if (sb.length() > 0) {
                        sb.append(':');
                    }
                    sb.append(text(side.get(i).getKey())).append(':').append(text(side.get(i).getValue()));
                }
            }
        }
        CRC32 crc = new CRC32();
        crc.update(sb.toString().getBytes(StandardCharsets.US_ASCII));
        return (int) crc.getValue();
    }

    /** The snapshot push's data object: every level, the current seqId, prevSeqId -1. */
    String snapshotData(long tsMillis) {
        StringBuilder sb = new StringBuilder(4096).append("{\"asks\":");
        levels(sb, asks);
        sb.append(",\"bids\":");
        levels(sb, bids);
        return sb.append(",\"ts\":\"").append(tsMillis).append("\",\"checksum\":").append(checksum())
                .append(",\"prevSeqId\":-1,\"seqId\":").append(seqId).append('}').toString();
    }

    static void levels(StringBuilder sb, Map<BigDecimal, BigDecimal> levels) {
        sb.append('[');
        boolean first = true;
        for (Map.Entry<BigDecimal, BigDecimal> e : levels.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            boolean removed = e.getValue().signum() == 0;
            sb.append("[\"").append(text(e.getKey())).append("\",\"").append(text(e.getValue()))
                    .append("\",\"0\",\"").append(removed ? 0 : 1).append("\"]");
        }
        sb.append(']');
    }

    BookSnapshot snapshot(int limit) {
        return new BookSnapshot(instId, seqId, list(bids, limit), list(asks, limit));
    }

    private static List<BookSnapshot.Level> list(NavigableMap<BigDecimal, BigDecimal> side, int limit) {
        List<BookSnapshot.Level> out = new ArrayList<>();
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new BookSnapshot.Level(text(e.getKey()), text(e.getValue())));
        }
        return out;
    }
}
