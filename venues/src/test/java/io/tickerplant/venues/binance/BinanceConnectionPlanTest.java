package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.venues.Channel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binance's 1024 streams per connection and 5 messages per second, as the adapter applies them. */
class BinanceConnectionPlanTest {

    private static Map<String, List<String>> symbols(int n, BinanceMarket market) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String s = "S" + i + "USDT";
            m.put(s, market.streams(s, Channel.all()));
        }
        return m;
    }

    @Test
    void streamsBeyondOneConnectionsLimitOpenMoreConnectionsKeepingEachSymbolTogether() {
        // 300 perpetuals x 5 channels = 1500 streams: 204 symbols (1020 streams) fit the first connection.
        List<BinanceConnectionPlan.Connection> plan = BinanceConnectionPlan.plan(
                symbols(300, BinanceMarket.USDM_FUTURES), BinanceConnectionPlan.Limits.binance());
        assertThat(plan).hasSize(2);
        assertThat(plan.get(0).streamCount()).isEqualTo(1020);
        assertThat(plan.get(0).venueSymbols()).hasSize(204);
        assertThat(plan.get(1).streamCount()).isEqualTo(480);
        assertThat(plan.get(1).venueSymbols().get(0)).isEqualTo("S204USDT");
        assertThat(plan).allSatisfy(c -> assertThat(c.streamCount()).isLessThanOrEqualTo(1024));
    }

    @Test
    void theUrlNamesTheFirstStreamsAndTheRestAreSubscribedInBatches() {
        List<BinanceConnectionPlan.Connection> plan = BinanceConnectionPlan.plan(
                symbols(300, BinanceMarket.USDM_FUTURES), BinanceConnectionPlan.Limits.binance());
        BinanceConnectionPlan.Connection first = plan.get(0);
        assertThat(first.urlStreams()).hasSize(100).startsWith("s0usdt@aggTrade", "s0usdt@bookTicker",
                "s0usdt@depth@100ms", "s0usdt@forceOrder", "s0usdt@markPrice@1s");
        assertThat(first.subscribeBatches()).hasSize(10);
        assertThat(first.subscribeBatches().get(9)).hasSize(20);
        List<String> all = new ArrayList<>(first.urlStreams());
        first.subscribeBatches().forEach(all::addAll);
        assertThat(all).doesNotHaveDuplicates().hasSize(1020);
    }

    @Test
    void aSmallSubscriptionIsOneConnectionWithEverythingInTheUrl() {
        List<BinanceConnectionPlan.Connection> plan = BinanceConnectionPlan.plan(symbols(2, BinanceMarket.SPOT),
                BinanceConnectionPlan.Limits.binance());
        assertThat(plan).singleElement().satisfies(c -> {
            assertThat(c.urlStreams()).containsExactly("s0usdt@trade", "s0usdt@bookTicker", "s0usdt@depth@100ms",
                    "s1usdt@trade", "s1usdt@bookTicker", "s1usdt@depth@100ms");
            assertThat(c.subscribeBatches()).isEmpty();
        });
    }

    @Test
    void aSymbolWithMoreStreamsThanAConnectionCarriesIsRefused() {
        assertThatThrownBy(() -> BinanceConnectionPlan.plan(symbols(1, BinanceMarket.USDM_FUTURES),
                new BinanceConnectionPlan.Limits(4, 2, 1, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S0USDT has 5 streams");
    }

    @Test
    void subscribeMessagesAreSpacedSoThatNoSecondHoldsMoreThanFive() throws Exception {
        long[] now = {0};
        List<Long> sent = new ArrayList<>();
        SubscribePacer pacer = new SubscribePacer(5, () -> now[0], nanos -> now[0] += nanos);
        for (int i = 0; i < 12; i++) {
            pacer.awaitTurn();
            sent.add(now[0]);
        }
        assertThat(sent.get(0)).isZero();
        for (int i = 5; i < sent.size(); i++) {
            // The 6th message after any message comes more than a second later.
            assertThat(sent.get(i) - sent.get(i - 5)).isGreaterThan(1_000_000_000L);
        }
        assertThat(pacer.gapNanos()).isEqualTo(220_000_000L);
    }

    @Test
    void aPacerDoesNotWaitWhenTheLastMessageIsLongPast() throws Exception {
        long[] now = {0};
        List<Long> sleeps = new ArrayList<>();
        SubscribePacer pacer = new SubscribePacer(5, () -> now[0], nanos -> {
            sleeps.add(nanos);
            now[0] += nanos;
        });
        pacer.awaitTurn();
        now[0] += 5_000_000_000L;
        pacer.awaitTurn();
        pacer.awaitTurn();
        assertThat(sleeps).containsExactly(220_000_000L);
    }
}
