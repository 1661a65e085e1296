package io.tickerplant.venues.okx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Instrument;
import org.junit.jupiter.api.Test;

class OkxSymbolsTest {

    @Test
    void spotAndLinearSwapsRoundTrip() {
        for (String s : new String[] {"BTC-USDT", "ETH-BTC", "BTC-USDT-PERP", "ETH-USDC-PERP"}) {
            Instrument i = Instrument.parse(s);
            assertThat(OkxSymbols.problem(i)).isEmpty();
            assertThat(OkxSymbols.toCanonical(OkxSymbols.toVenue(i))).isEqualTo(i);
        }
        assertThat(OkxSymbols.toVenue(Instrument.parse("BTC-USDT-PERP"))).isEqualTo("BTC-USDT-SWAP");
    }

    @Test
    void inverseSwapsAreRefusedNamingTheVenuesForm() {
        assertThat(OkxSymbols.problem(Instrument.parse("BTC-USD-PERP"))).get().asString()
                .contains("BTC-USD-SWAP").contains("inverse");
    }

    @Test
    void datedFuturesHaveNoCanonicalSymbol() {
        assertThatThrownBy(() -> OkxSymbols.toCanonical("BTC-USD-220527"))
                .hasMessageContaining("dated future (expiry 220527)");
        assertThat(OkxSymbols.canonicalOrEmpty("BTC-USD-220527")).isEmpty();
    }
}
