package io.tickerplant.venues.coinbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Instrument;
import org.junit.jupiter.api.Test;

class CoinbaseSymbolsTest {

    @Test
    void spotSymbolsAreTheirOwnProductIdsBothWays() {
        assertThat(CoinbaseSymbols.toVenue(Instrument.parse("BTC-USD"))).isEqualTo("BTC-USD");
        assertThat(CoinbaseSymbols.toCanonical("ETH-EUR")).isEqualTo(Instrument.parse("ETH-EUR"));
    }

    @Test
    void perpetualsAreRefusedNamingCoinbasesOwnForm() {
        assertThat(CoinbaseSymbols.problem(Instrument.parse("BTC-USD-PERP"))).get().asString()
                .contains("BTC-PERP-INTX");
        assertThatThrownBy(() -> CoinbaseSymbols.toCanonical("BTC-PERP-INTX")).hasMessageContaining("spot product");
    }

    @Test
    void timesWithAndWithoutFractionsParseToMicroseconds() {
        assertThat(CoinbaseTime.parseMicros("1970-01-01T00:00:01.5Z")).isEqualTo(1_500_000);
        assertThat(CoinbaseTime.parseMicros("1970-01-01T00:00:00.123456789Z")).isEqualTo(123_456);
        assertThat(CoinbaseTime.parseMicros("1970-01-01T01:00:00+01:00")).isZero();
        assertThat(CoinbaseTime.parseMicros("1970-13-01T00:00:00Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(CoinbaseTime.parseMicros("soon")).isEqualTo(Long.MIN_VALUE);
    }
}
