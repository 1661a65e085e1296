package io.tickerplant.venues.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Instrument;
import org.junit.jupiter.api.Test;

class KrakenSymbolsTest {

    @Test
    void canonicalAndVersionTwoSymbolsMapBothWays() {
        assertThat(KrakenSymbols.toVenue(Instrument.parse("BTC-USD"))).isEqualTo("BTC/USD");
        assertThat(KrakenSymbols.toCanonical("BTC/USD")).isEqualTo(Instrument.parse("BTC-USD"));
        assertThat(KrakenSymbols.toCanonical("eth/eur").symbol()).isEqualTo("ETH-EUR");
    }

    @Test
    void versionOneLegacyAssetNamesReadAsTheCommonNames() {
        assertThat(KrakenSymbols.toCanonical("XBT/USD").symbol()).isEqualTo("BTC-USD");
        assertThat(KrakenSymbols.toCanonical("XDG/XBT").symbol()).isEqualTo("DOGE-BTC");
    }

    @Test
    void perpetualsAndLegacyNamesAreRefusedWithTheVenuesForm() {
        assertThat(KrakenSymbols.problem(Instrument.parse("BTC-USD-PERP"))).get().asString()
                .contains("Kraken Futures").contains("BTC/USD");
        assertThat(KrakenSymbols.problem(Instrument.parse("XBT-USD"))).get().asString().contains("BTC/USD");
        assertThat(KrakenSymbols.problem(Instrument.parse("BTC-USD"))).isEmpty();
    }

    @Test
    void aSymbolWithoutASlashIsNotKrakens() {
        assertThatThrownBy(() -> KrakenSymbols.toCanonical("BTCUSD")).hasMessageContaining("BASE/QUOTE");
    }
}
