package io.tickerplant.app.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.app.config.ConfigException;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VenueSelectionTest {

    @Test
    void aVenueFollowsTheConfiguredSymbolsItCanTrade() {
        Map<Venue, List<Instrument>> s = VenueSelection.select(List.of(Venue.BINANCE),
                List.of("BTC-USDT", "ETH-USDT"), false, true);
        assertThat(s).containsOnlyKeys(Venue.BINANCE);
        assertThat(s.get(Venue.BINANCE)).extracting(Instrument::symbol).containsExactly("BTC-USDT", "ETH-USDT");
    }

    @Test
    void aSymbolNoSelectedVenueCanTradeIsAnErrorWithEachVenuesReason() {
        assertThatThrownBy(() -> VenueSelection.select(List.of(Venue.BINANCE), List.of("BTC-USDT", "BTC-USDT-PERP"),
                false, true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no selected venue can trade BTC-USDT-PERP")
                .hasMessageContaining("BINANCE: BTC-USDT-PERP: perpetuals are on BINANCE_FUTURES");
    }

    @Test
    void anExplicitlySelectedVenueWithNothingToTradeIsAnError() {
        assertThatThrownBy(() -> VenueSelection.select(List.of(Venue.BINANCE), List.of("ETH-USDT-PERP"), false, true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("venues: BINANCE can trade none of the symbols [ETH-USDT-PERP]");
    }

    @Test
    void noVenuesConfiguredMeansEveryVenueWithAnAdapterAndForDemoWithAnEmulator() {
        assertThat(VenueSelection.select(List.of(), List.of("BTC-USDT"), true, true)).containsKey(Venue.BINANCE);
        assertThat(VenueSelection.select(List.of(), List.of("BTC-USDT"), false, true)).containsKey(Venue.BINANCE);
    }

    @Test
    void defaultSymbolsNoSelectedVenueTradesAreLeftOutInsteadOfFailingTheStart() {
        Map<Venue, List<Instrument>> s = VenueSelection.select(List.of(Venue.BINANCE),
                List.of("BTC-USDT", "BTC-USDT-PERP"), false, false);
        assertThat(s.get(Venue.BINANCE)).extracting(Instrument::symbol).containsExactly("BTC-USDT");
    }
}
