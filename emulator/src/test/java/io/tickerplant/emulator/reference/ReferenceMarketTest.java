package io.tickerplant.emulator.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReferenceMarketTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private static ReferenceMarket market(double volatility) {
        return new ReferenceMarket(ReferenceEmulator.builder().volatilityPerTick(volatility).oracleNoise(0)
                .heartbeat(Duration.ofSeconds(60)).coinGeckoRefresh(Duration.ofSeconds(30))
                .coinpaprikaRefresh(Duration.ofSeconds(60)).clock(Clock.fixed(T0, ZoneOffset.UTC)).options());
    }

    @Test
    void aQuietMarketMakesARoundOnlyEveryHeartbeat() {
        ReferenceMarket m = market(0);
        for (int s = 0; s <= 150; s++) {
            m.tick(T0.plusSeconds(s));
        }
        assertThat(m.rounds("ETH-USD")).extracting(OracleRound::reason)
                .containsExactly("first", "heartbeat", "heartbeat");
        assertThat(m.rounds("ETH-USD")).extracting(OracleRound::updatedAt)
                .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
    }

    @Test
    void aMovePastTheDeviationThresholdMakesARoundAtOnceAndASmallerOneDoesNot() {
        ReferenceMarket m = market(0);
        m.tick(T0);
        m.shock("BTC-USD", 0.004, T0.plusSeconds(1));
        assertThat(m.rounds("BTC-USD")).hasSize(1);
        m.shock("BTC-USD", 0.002, T0.plusSeconds(2));
        assertThat(m.rounds("BTC-USD")).hasSize(2);
        OracleRound r = m.rounds("BTC-USD").get(1);
        assertThat(r.reason()).isEqualTo("deviation");
        assertThat(r.roundId()).isEqualTo(ReferenceMarket.PHASE.add(java.math.BigInteger.TWO));
        assertThat(r.price().scale()).isEqualTo(8);
    }

    @Test
    void aSkewedOracleRoundsAwayFromTheApisAtOnce() {
        ReferenceMarket m = market(0);
        m.tick(T0);
        m.skewOracle("ETH-USD", 0.05, T0.plusSeconds(1));
        m.tick(T0.plusSeconds(40)); // CoinGecko refreshes: still the true price

        OracleRound r = m.latestRound("ETH-USD");
        assertThat(r.reason()).isEqualTo("deviation");
        assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(1));
        double api = m.coinGecko("ETH-USD").price().doubleValue();
        assertThat(r.price().doubleValue() / api - 1).isBetween(0.049, 0.051);
    }

    @Test
    void aFrozenAggregatorMakesNoRoundUntilThawed() {
        ReferenceMarket m = market(0);
        m.tick(T0);
        m.freezeRounds("ETH-USD", true);
        m.shock("ETH-USD", 0.05, T0.plusSeconds(1));
        for (int s = 2; s <= 150; s++) {
            m.tick(T0.plusSeconds(s));
        }
        assertThat(m.rounds("ETH-USD")).hasSize(1);
        assertThat(m.rounds("BTC-USD")).hasSizeGreaterThan(1);

        m.freezeRounds("ETH-USD", false);
        m.tick(T0.plusSeconds(151));
        assertThat(m.rounds("ETH-USD")).hasSize(2);
    }

    @Test
    void sourcesAgreeWithinTheirNoise() {
        ReferenceMarket m = market(0.001);
        for (int s = 0; s < 600; s++) {
            m.tick(T0.plusSeconds(s));
            for (String p : m.symbols()) {
                double oracle = m.latestRound(p).price().doubleValue();
                double gecko = m.coinGecko(p).price().doubleValue();
                double paprika = m.coinpaprika(p).price().doubleValue();
                // Within the 0.5% deviation threshold plus each API's lag and noise.
                assertThat(Math.abs(oracle - gecko) / gecko).isLessThan(0.03);
                assertThat(Math.abs(paprika - gecko) / gecko).isLessThan(0.03);
            }
        }
        assertThat(m.coinGecko("ETH-USD").updated()).isEqualTo(T0.plusSeconds(570));
        assertThat(m.coinpaprika("ETH-USD").updated()).isEqualTo(T0.plusSeconds(540));
    }

    @Test
    void abiWordsAreTwosComplementAndStringsArePadded() {
        assertThat(ReferenceEmulator.word(java.math.BigInteger.valueOf(-1))).isEqualTo("f".repeat(64));
        assertThat(ReferenceEmulator.abiString("ETH / USD")).isEqualTo("0x" + "0".repeat(62) + "20"
                + "0".repeat(63) + "9" + "455448202f20555344" + "0".repeat(46));
    }
}
