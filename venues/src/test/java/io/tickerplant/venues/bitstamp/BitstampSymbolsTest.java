package io.tickerplant.venues.bitstamp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Instrument;
import org.junit.jupiter.api.Test;

class BitstampSymbolsTest {

    @Test
    void canonicalAndBitstampSpellingsRoundTrip() {
        assertThat(BitstampSymbols.toVenue(Instrument.parse("BTC-USD"))).isEqualTo("btcusd");
        assertThat(BitstampSymbols.toCanonical("btcusd")).isEqualTo(Instrument.parse("BTC-USD"));
        assertThat(BitstampSymbols.toCanonical("usdtusd")).isEqualTo(Instrument.parse("USDT-USD"));
        assertThat(BitstampSymbols.toCanonical("usdteur")).isEqualTo(Instrument.parse("USDT-EUR"));
        assertThat(BitstampSymbols.toCanonical("batbtc")).isEqualTo(Instrument.parse("BAT-BTC"));
        assertThat(BitstampSymbols.toCanonical("btcusdc")).isEqualTo(Instrument.parse("BTC-USDC"));
    }

    @Test
    void perpetualsAndUnknownQuotesAreExplained() {
        assertThat(BitstampSymbols.problem(Instrument.parse("BTC-USD-PERP"))).get().asString().contains("spot only");
        assertThat(BitstampSymbols.problem(Instrument.parse("BTC-JPY"))).get().asString().contains("btcusd");
        assertThat(BitstampSymbols.problem(Instrument.parse("ETH-EUR"))).isEmpty();
    }
}
