package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Instrument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BinanceSymbolsTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
            "BTC-USDT, BTCUSDT", "ETH-BTC, ETHBTC", "BNB-ETH, BNBETH", "ETH-FDUSD, ETHFDUSD",
            "USDC-USDT, USDCUSDT", "BTC-TUSD, BTCTUSD", "USDT-TRY, USDTTRY", "FDUSD-TRY, FDUSDTRY",
            "ADA-EUR, ADAEUR", "WBTC-BTC, WBTCBTC", "WBETH-ETH, WBETHETH", "1000SATS-USDT, 1000SATSUSDT",
            "SHIB-DOGE, SHIBDOGE", "BTC-BRL, BTCBRL", "EUR-USDT, EURUSDT", "BTC-USDC, BTCUSDC"})
    void canonicalAndVenueSymbolsRoundTrip(String canonical, String venue) {
        Instrument i = Instrument.parse(canonical);
        assertThat(BinanceSymbols.toVenue(i)).isEqualTo(venue);
        assertThat(BinanceSymbols.toCanonical(venue)).isEqualTo(i);
        assertThat(BinanceSymbols.problem(i)).isEmpty();
    }

    @Test
    void venueSymbolsAreReadInAnyCase() {
        assertThat(BinanceSymbols.toCanonical("btcusdt")).isEqualTo(Instrument.parse("BTC-USDT"));
    }

    @Test
    void streamNamesAreLowerCase() {
        assertThat(BinanceSymbols.tradeStream("BTCUSDT")).isEqualTo("btcusdt@trade");
    }

    @Test
    void symbolsWithoutAKnownQuoteCannotBeMapped() {
        assertThatThrownBy(() -> BinanceSymbols.toCanonical("FOOBAR")).hasMessageContaining("FOOBAR")
                .hasMessageContaining("quote asset");
        assertThatThrownBy(() -> BinanceSymbols.toCanonical("USDT")).hasMessageContaining("USDT");
    }

    @Test
    void perpetualsAndUnknownQuotesAreProblems() {
        assertThat(BinanceSymbols.problem(Instrument.parse("BTC-USDT-PERP"))).get().asString()
                .contains("BINANCE_FUTURES");
        assertThat(BinanceSymbols.problem(Instrument.parse("BTC-XYZ"))).get().asString()
                .contains("XYZ is not a Binance spot quote asset");
        assertThatThrownBy(() -> BinanceSymbols.toVenue(Instrument.parse("BTC-USDT-PERP")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noQuoteAssetEndsWithAnotherSoEveryPairReadsBackAsItself() {
        // If one quote ended with another (AEUR and EUR), ADAEUR would read back as AD-AEUR.
        for (String q : BinanceSymbols.QUOTE_ASSETS) {
            for (String other : BinanceSymbols.QUOTE_ASSETS) {
                if (!q.equals(other)) {
                    assertThat(q).as("quote %s ends with quote %s", q, other).doesNotEndWith(other);
                }
            }
            Instrument i = new Instrument("ABC", q, false);
            assertThat(BinanceSymbols.problem(i)).as(q).isEmpty();
        }
    }
}
