package io.tickerplant.bench;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Binance-like trades for benchmarks: BTC-USDT and ETH-USDT alternating, contiguous trade ids per symbol, one
 * trade per millisecond of event time (all on one UTC day for up to 86.4M rows), receive time 1-5 ms after the
 * event time, prices on a 0.01 tick and sizes on the symbol's lot, both written with 8 decimals as Binance sends
 * them ("67123.45000000", "0.00120000").
 */
final class SyntheticTrades {
    /** Start of the generated event times. */
    static final Instant START = Instant.parse("2024-06-01T00:00:00Z");

    private static final String[][] SYMBOLS = {{"BTC-USDT", "BTCUSDT"}, {"ETH-USDT", "ETHUSDT"}};
    private static final long[] START_PRICE_CENTS = {6_712_345L, 351_234L};
    /** Lot sizes in units of 1e-8: 0.00001 BTC, 0.0001 ETH. */
    private static final long[] LOT = {1_000L, 10_000L};
    private static final long[] TYPICAL_LOTS = {150, 3_000};

    private SyntheticTrades() {
    }

    /**
     * {@code rows} trades; {@code firstId} offsets the trade ids (so warm-up data never collides with measured
     * data), {@code seed} the random walk.
     */
    static List<Trade> generate(int rows, long firstId, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] cents = START_PRICE_CENTS.clone();
        long[] nextId = {firstId, firstId};
        List<Trade> out = new ArrayList<>(rows);
        long startMicros = START.getEpochSecond() * 1_000_000L;
        for (int i = 0; i < rows; i++) {
            int s = i & 1;
            int u = random.nextInt(100);
            cents[s] += u < 35 ? 0 : u < 65 ? -1 : u < 95 ? 1 : random.nextInt(11) - 5;
            long lots = 1 + (long) (TYPICAL_LOTS[s] * -Math.log(1 - random.nextDouble()));
            long eventMicros = startMicros + i * 1_000L;
            long receiveMicros = eventMicros + 1_000 + random.nextInt(4_000);
            out.add(new Trade("BINANCE", SYMBOLS[s][0], SYMBOLS[s][1], instant(eventMicros), instant(receiveMicros),
                Long.toString(nextId[s]++), Decimals.of(cents[s] * 1_000_000L, 8), Decimals.of(lots * LOT[s], 8),
                random.nextBoolean() ? Side.BUY : Side.SELL));
        }
        return out;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000L, micros % 1_000_000L * 1_000L);
    }
}
