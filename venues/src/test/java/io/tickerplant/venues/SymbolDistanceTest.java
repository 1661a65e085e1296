package io.tickerplant.venues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolDistanceTest {

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(SymbolDistance.distance("BTC-USDT", "BTC-USDT")).isZero();
        assertThat(SymbolDistance.distance("BTC-USDX", "BTC-USDT")).isEqualTo(1);
        assertThat(SymbolDistance.distance("BTC-USD", "BTC-USDT")).isEqualTo(1);
        assertThat(SymbolDistance.distance("ETH-BTC", "BTC-ETH")).isEqualTo(4); // E/B, H/C, B/E, C/H
    }

    @Test
    void theClosestCandidatesComeFirstAndTiesKeepTheCandidatesOrder() {
        assertThat(SymbolDistance.closest("BTC-USTD",
                List.of("ETH-USDT", "BTC-USDC", "BTC-USDT", "BTC-EUR", "XRP-USDT"), 3))
                .containsExactly("BTC-USDC", "BTC-USDT", "ETH-USDT");
    }
}
