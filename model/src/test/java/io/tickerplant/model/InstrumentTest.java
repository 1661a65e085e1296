package io.tickerplant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstrumentTest {

    @Test
    void parsesSpotAndPerpetualSymbols() {
        assertThat(Instrument.parse("btc-usdt")).isEqualTo(new Instrument("BTC", "USDT", false));
        assertThat(Instrument.parse("BTC-USDT-PERP").symbol()).isEqualTo("BTC-USDT-PERP");
    }

    @Test
    void rejectsMalformedSymbolsNamingTheExpectedForm() {
        assertThatThrownBy(() -> Instrument.parse("BTCUSDT")).hasMessageContaining("'BTCUSDT'").hasMessageContaining("BASE-QUOTE");
        assertThatThrownBy(() -> Instrument.parse("BTC-USDT-FUT")).hasMessageContaining("BASE-QUOTE-PERP");
    }

    @Test
    void venueParsingListsTheValidVenues() {
        assertThat(Venue.parse("binance")).isEqualTo(Venue.BINANCE);
        assertThatThrownBy(() -> Venue.parse("ftx")).hasMessageContaining("'ftx'").hasMessageContaining("KRAKEN");
    }
}
