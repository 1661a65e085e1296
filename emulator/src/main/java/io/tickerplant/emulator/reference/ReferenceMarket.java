package io.tickerplant.emulator.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One random-walk price per pair, and what each source makes of it: a Chainlink aggregator that starts a new round
 * when its observation deviates from the last answer by more than the threshold or the heartbeat has passed, and
 * two price APIs that refresh at their own interval. Each source sees the true price through its own small noise,
 * so the sources agree within realistic noise but never exactly.
 *
 * <p>Deterministic given the seed and the sequence of {@link #tick} times. Not thread-safe: the emulator locks.
 */
final class ReferenceMarket {

    /** Decimals of the USD feeds on Ethereum mainnet. */
    static final int ORACLE_DECIMALS = 8;
    /** Proxies number rounds {@code (phaseId << 64) | aggregatorRoundId}; mainnet feeds are in phases 5 to 7. */
    static final BigInteger PHASE = BigInteger.valueOf(6).shiftLeft(64);

    /** A price API's current quote. */
    record Quote(BigDecimal price, Instant updated) {
    }

    private static final class Pair {
        final String symbol;
        final SplittableRandom random;
        double truePrice;
        final List<OracleRound> rounds = new ArrayList<>();
        long aggregatorRound;
        Quote coinGecko;
        Quote coinpaprika;
        /** A faulty oracle: its observations are the true price times (1 + skew); the APIs stay right. */
        double oracleSkew;
        /** A stalled aggregator: no new round, whatever the price does; the last one is served on. */
        boolean roundsFrozen;

        Pair(String symbol, double start, long seed) {
            this.symbol = symbol;
            this.truePrice = start;
            this.random = new SplittableRandom(seed);
        }
    }

    private final Map<String, Pair> pairs = new LinkedHashMap<>();
    private final ReferenceEmulator.Options options;

    ReferenceMarket(ReferenceEmulator.Options options) {
        this.options = options;
        long i = 0;
        for (Map.Entry<String, Double> e : options.startPrices().entrySet()) {
            pairs.put(e.getKey(), new Pair(e.getKey(), e.getValue(), options.seed() * 31 + i++));
        }
    }

    List<String> symbols() {
        return List.copyOf(pairs.keySet());
    }

    /** Walks every price one step and lets each source react, at time {@code now}. */
    void tick(Instant now) {
        for (Pair p : pairs.values()) {
            p.truePrice *= Math.exp(options.volatilityPerTick() * p.random.nextGaussian());
            react(p, now);
        }
    }

    /** Moves one pair's true price by {@code fraction} (0.01 = +1%) and lets the sources react. */
    void shock(String symbol, double fraction, Instant now) {
        Pair p = pair(symbol);
        p.truePrice *= 1 + fraction;
        react(p, now);
    }

    private void react(Pair p, Instant now) {
        long answer = BigDecimal.valueOf(noisy(p, options.oracleNoise()) * (1 + p.oracleSkew))
                .movePointRight(ORACLE_DECIMALS).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        OracleRound last = p.rounds.isEmpty() ? null : p.rounds.get(p.rounds.size() - 1);
        String reason = null;
        if (p.roundsFrozen && last != null) {
            reason = null;
        } else if (last == null) {
            reason = "first";
        } else if (Math.abs(answer - last.answer()) > options.deviationThreshold() * last.answer()) {
            reason = "deviation";
        } else if (Duration.between(last.updatedAt(), now).compareTo(options.heartbeat()) >= 0) {
            reason = "heartbeat";
        }
        Instant second = Instant.ofEpochSecond(now.getEpochSecond());
        // Block times are whole seconds and two rounds never share one block here.
        if (reason != null && (last == null || second.isAfter(last.updatedAt()))) {
            p.aggregatorRound++;
            p.rounds.add(new OracleRound(p.symbol, PHASE.or(BigInteger.valueOf(p.aggregatorRound)), answer,
                    BigDecimal.valueOf(answer, ORACLE_DECIMALS), second, second, reason));
        }
        p.coinGecko = refresh(p, p.coinGecko, options.coinGeckoRefresh(), 10, now);
        p.coinpaprika = refresh(p, p.coinpaprika, options.coinpaprikaRefresh(), 12, now);
    }

    /** See {@link ReferenceEmulator#skewOracle}. */
    void skewOracle(String symbol, double fraction, Instant now) {
        Pair p = pair(symbol);
        p.oracleSkew = fraction;
        react(p, now);
    }

    /** See {@link ReferenceEmulator#freezeRounds}. */
    void freezeRounds(String symbol, boolean frozen) {
        pair(symbol).roundsFrozen = frozen;
    }

    private Quote refresh(Pair p, Quote q, Duration interval, int scale, Instant now) {
        Instant second = Instant.ofEpochSecond(now.getEpochSecond());
        if (q != null && (second.compareTo(q.updated()) <= 0
                || Duration.between(q.updated(), second).compareTo(interval) < 0)) {
            return q;
        }
        BigDecimal price = BigDecimal.valueOf(noisy(p, options.apiNoise())).setScale(scale, RoundingMode.HALF_EVEN);
        return new Quote(price, second);
    }

    private double noisy(Pair p, double noise) {
        return p.truePrice * (1 + noise * p.random.nextGaussian());
    }

    private Pair pair(String symbol) {
        Pair p = pairs.get(symbol);
        if (p == null) {
            throw new IllegalArgumentException("unknown pair " + symbol + "; listed: " + pairs.keySet());
        }
        return p;
    }

    OracleRound latestRound(String symbol) {
        List<OracleRound> r = pair(symbol).rounds;
        return r.isEmpty() ? null : r.get(r.size() - 1);
    }

    List<OracleRound> rounds(String symbol) {
        return List.copyOf(pair(symbol).rounds);
    }

    Quote coinGecko(String symbol) {
        return pair(symbol).coinGecko;
    }

    Quote coinpaprika(String symbol) {
        return pair(symbol).coinpaprika;
    }

    double truePrice(String symbol) {
        return pair(symbol).truePrice;
    }
}
