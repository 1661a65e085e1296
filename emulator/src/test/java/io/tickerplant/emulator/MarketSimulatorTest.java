package io.tickerplant.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MarketSimulatorTest {

    private static MarketSimulator simulator(long seed, double btcRate, double ethRate) {
        return new MarketSimulator(new MarketSimulator.Options(
                List.of(SymbolSpec.of("BTCUSDT", btcRate), SymbolSpec.of("ETHUSDT", ethRate)),
                seed, 1_000_000L, 0.25, 1_700_000_000_000L));
    }

    @Test
    void sameSeedAndStepsGiveTheSameTrades() {
        try (MarketSimulator a = simulator(42, 50, 20); MarketSimulator b = simulator(42, 50, 20)) {
            for (int i = 0; i < 10; i++) {
                assertThat(a.step(Duration.ofMillis(700))).isEqualTo(b.step(Duration.ofMillis(700)));
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentTrades() {
        try (MarketSimulator a = simulator(1, 50, 20); MarketSimulator b = simulator(2, 50, 20)) {
            assertThat(a.step(Duration.ofSeconds(5))).isNotEqualTo(b.step(Duration.ofSeconds(5)));
        }
    }

    @Test
    void tradeIdsAreContiguousPerSymbolFromTheFirstId() {
        try (MarketSimulator sim = simulator(7, 200, 100)) {
            List<EmittedTrade> trades = sim.step(Duration.ofSeconds(10));
            for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
                List<Long> ids = trades.stream().filter(t -> t.symbol().equals(symbol)).map(EmittedTrade::id).toList();
                assertThat(ids).isNotEmpty();
                assertThat(ids.get(0)).isEqualTo(1_000_000L);
                for (int i = 1; i < ids.size(); i++) {
                    assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);
                }
            }
        }
    }

    @Test
    void pricesAndSizesAreExactMultiplesOfTickAndLotWithEightDecimals() {
        try (MarketSimulator sim = simulator(3, 300, 0)) {
            List<EmittedTrade> trades = sim.step(Duration.ofSeconds(20));
            BigDecimal tick = new BigDecimal("0.01");
            BigDecimal lot = new BigDecimal("0.00001");
            assertThat(trades).allSatisfy(t -> {
                assertThat(t.price()).matches("\\d+\\.\\d{8}");
                assertThat(t.qty()).matches("\\d+\\.\\d{8}");
                assertThat(new BigDecimal(t.price()).remainder(tick).signum()).isZero();
                assertThat(new BigDecimal(t.qty()).remainder(lot).signum()).isZero();
                assertThat(new BigDecimal(t.qty()).signum()).isPositive();
                assertThat(new BigDecimal(t.quoteQty()))
                        .isEqualByComparingTo(new BigDecimal(t.price()).multiply(new BigDecimal(t.qty()))
                                .setScale(8, java.math.RoundingMode.DOWN));
            });
            // The walk moves: a market with one price is no test of anything.
            assertThat(trades.stream().map(EmittedTrade::price).distinct().count()).isGreaterThan(10);
            assertThat(trades.stream().map(EmittedTrade::buyerIsMaker).distinct().count()).isEqualTo(2);
        }
    }

    @Test
    void arrivalRateFollowsTheConfiguredTradesPerSecond() {
        try (MarketSimulator sim = simulator(5, 100, 10)) {
            List<EmittedTrade> trades = sim.step(Duration.ofSeconds(200));
            long btc = trades.stream().filter(t -> t.symbol().equals("BTCUSDT")).count();
            long eth = trades.stream().filter(t -> t.symbol().equals("ETHUSDT")).count();
            assertThat(btc).isBetween(18_000L, 22_000L);
            assertThat(eth).isBetween(1_700L, 2_300L);
        }
    }

    @Test
    void burstsShareOneTradeTime() {
        try (MarketSimulator sim = simulator(9, 100, 0)) {
            List<EmittedTrade> trades = sim.step(Duration.ofSeconds(60));
            long sameTime = trades.stream().collect(Collectors.groupingBy(EmittedTrade::timeMillis, Collectors.counting()))
                    .values().stream().filter(n -> n > 1).count();
            assertThat(sameTime).isGreaterThan(50);
        }
    }

    @Test
    void tradeTimesNeverGoBackwards() {
        try (MarketSimulator sim = simulator(11, 80, 40)) {
            List<EmittedTrade> trades = sim.step(Duration.ofSeconds(30));
            List<Long> times = trades.stream().map(EmittedTrade::timeMillis).toList();
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            assertThat(times).isEqualTo(sorted);
        }
    }

    @Test
    void pausedMarketMakesNoTradesAndResumes() {
        try (MarketSimulator sim = simulator(1, 100, 100)) {
            sim.pause();
            assertThat(sim.step(Duration.ofSeconds(10))).isEmpty();
            sim.resume();
            assertThat(sim.step(Duration.ofSeconds(10))).isNotEmpty();
        }
    }

    @Test
    void rateChangesAtRuntime() {
        try (MarketSimulator sim = simulator(1, 100, 0)) {
            sim.setTradesPerSecond("BTCUSDT", 0);
            assertThat(sim.step(Duration.ofSeconds(10))).isEmpty();
            sim.setTradesPerSecond("ETHUSDT", 50);
            assertThat(sim.step(Duration.ofSeconds(10))).extracting(EmittedTrade::symbol).containsOnly("ETHUSDT");
        }
    }

    @Test
    void tradeMakesExactlyTheRequestedNumberEvenWithZeroRate() {
        try (MarketSimulator sim = simulator(1, 0, 0)) {
            List<EmittedTrade> trades = sim.trade("ETHUSDT", 37);
            assertThat(trades).hasSize(37).extracting(EmittedTrade::id).startsWith(1_000_000L).endsWith(1_000_036L);
            assertThat(sim.nextTradeId("ETHUSDT")).isEqualTo(1_000_037L);
        }
    }

    @Test
    void listenersSeeEveryTradeInOrder() {
        try (MarketSimulator sim = simulator(1, 100, 100)) {
            List<EmittedTrade> seen = Collections.synchronizedList(new ArrayList<>());
            sim.addListener(seen::add);
            List<EmittedTrade> made = sim.step(Duration.ofSeconds(3));
            made.addAll(sim.trade("BTCUSDT", 3));
            assertThat(seen).isEqualTo(made);
        }
    }

    @Test
    void runsOnItsOwnThreadFollowingTheWallClockAndStopsIt() {
        MarketSimulator sim = new MarketSimulator(MarketSimulator.Options.of(List.of(SymbolSpec.of("BTCUSDT", 500))));
        List<EmittedTrade> seen = Collections.synchronizedList(new ArrayList<>());
        sim.addListener(seen::add);
        sim.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() > 50);
        assertThat(seen.get(0).timeMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(10_000L));
        sim.stop();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("market-simulator"));
        int after = seen.size();
        assertThat(sim.step(Duration.ofSeconds(10))).isEmpty();
        assertThat(seen).hasSize(after);
    }

    @Test
    void unknownSymbolIsRejectedWithTheListedOnes() {
        try (MarketSimulator sim = simulator(1, 1, 1)) {
            assertThatThrownBy(() -> sim.trade("XRPUSDT", 1)).hasMessageContaining("XRPUSDT").hasMessageContaining("BTCUSDT");
        }
    }

    @Test
    void symbolSpecSplitsVenueSymbolsOnKnownQuotes() {
        assertThat(SymbolSpec.of("ETHBTC", 1)).extracting(SymbolSpec::baseAsset, SymbolSpec::quoteAsset)
                .containsExactly("ETH", "BTC");
        assertThat(SymbolSpec.of("USDCFDUSD", 1)).extracting(SymbolSpec::baseAsset, SymbolSpec::quoteAsset)
                .containsExactly("USDC", "FDUSD");
        assertThatThrownBy(() -> SymbolSpec.of("FOOBAR", 1)).hasMessageContaining("FOOBAR");
    }
}
