package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.VenueAdapters;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinanceFuturesSymbolsTest {

    @Test
    void aPerpetualIsTheBarePairBothWays() {
        assertThat(BinanceFuturesSymbols.toVenue(Instrument.parse("BTC-USDT-PERP"))).isEqualTo("BTCUSDT");
        assertThat(BinanceFuturesSymbols.toCanonical("btcusdt")).isEqualTo(Instrument.parse("BTC-USDT-PERP"));
        assertThat(BinanceFuturesSymbols.toCanonical("1000SHIBUSDT").symbol()).isEqualTo("1000SHIB-USDT-PERP");
        assertThat(BinanceFuturesSymbols.problem(Instrument.parse("ETH-USDC-PERP"))).isEmpty();
    }

    @Test
    void aSpotInstrumentIsRefusedNamingBinanceSpotAndThePerpetualForm() {
        assertThat(BinanceFuturesSymbols.problem(Instrument.parse("BTC-USDT"))).hasValueSatisfying(p ->
                assertThat(p).contains("BTC-USDT-PERP").contains("is on BINANCE"));
        assertThat(VenueAdapters.validateSymbols(Venue.BINANCE_FUTURES, List.of("BTC-USDT-PERP", "ETH-USDT")))
                .hasValueSatisfying(p -> assertThat(p).contains("ETH-USDT: BINANCE_FUTURES lists perpetuals only"));
    }

    @Test
    void aDeliveryContractOrUnknownMarginAssetHasNoCanonicalForm() {
        assertThatThrownBy(() -> BinanceFuturesSymbols.toCanonical("BTCUSDT_250627"))
                .hasMessageContaining("delivery contract");
        assertThat(BinanceFuturesSymbols.problem(Instrument.parse("BTC-EUR-PERP"))).hasValueSatisfying(p ->
                assertThat(p).contains("EUR is not a USD-M margin asset"));
    }

    @Test
    void theVenueIsRegisteredWithItsProductionEndpointsAndEveryChannel() {
        assertThat(VenueAdapters.defaults().get(Venue.BINANCE_FUTURES)).isEqualTo(new VenueAdapters.Endpoints(
                java.net.URI.create("wss://fstream.binance.com"), java.net.URI.create("https://fapi.binance.com")));
        assertThat(VenueAdapters.definition(Venue.BINANCE_FUTURES).orElseThrow().channels())
                .containsExactlyInAnyOrderElementsOf(io.tickerplant.venues.Channel.all());
    }
}
