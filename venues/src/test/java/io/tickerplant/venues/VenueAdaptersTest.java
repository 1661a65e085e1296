package io.tickerplant.venues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.binance.BinanceAdapter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VenueAdaptersTest {

    private static final VenueEventListener IGNORE = new VenueEventListener() {
        @Override
        public void onTrade(Trade trade) {
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
        }

        @Override
        public void onRejected(RejectedFrame frame) {
        }
    };

    private static AdapterSettings settings(URI ws, URI rest, Map<String, String> resume, String... symbols) {
        return new AdapterSettings(List.of(symbols).stream().map(Instrument::parse).toList(), ws, rest,
                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofHours(23), resume);
    }

    @Test
    void binanceDefaultsToTheProductionEndpoints() {
        assertThat(VenueAdapters.defaults().get(Venue.BINANCE)).isEqualTo(new VenueAdapters.Endpoints(
                URI.create("wss://stream.binance.com:9443"), URI.create("https://api.binance.com")));
        assertThat(VenueAdapters.supported()).contains(Venue.BINANCE);
    }

    @Test
    void createFillsMissingEndpointsWithTheDefaultsAndDoesNotConnect() {
        VenueAdapter a = VenueAdapters.create(Venue.BINANCE, settings(null, null, Map.of(), "BTC-USDT", "ETH-BTC"),
                IGNORE);
        assertThat(a.venue()).isEqualTo(Venue.BINANCE);
        assertThat(((BinanceAdapter) a).streamUri()).hasToString(
                "wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethbtc@trade");
        a.close();
    }

    @Test
    void everyChannelMeansTradeBookTickerAndDiffDepthStreamsPerSymbol() {
        AdapterSettings s = settings(null, null, Map.of(), "BTC-USDT", "ETH-BTC").withChannels(null);
        VenueAdapter a = VenueAdapters.create(Venue.BINANCE, s, IGNORE);
        assertThat(((BinanceAdapter) a).streamUri()).hasToString("wss://stream.binance.com:9443/stream?streams="
                + "btcusdt@trade/btcusdt@bookTicker/btcusdt@depth@100ms/ethbtc@trade/ethbtc@bookTicker/ethbtc@depth@100ms");
        a.close();
        VenueAdapter quotesOnly = VenueAdapters.create(Venue.BINANCE,
                s.withChannels(java.util.Set.of(io.tickerplant.venues.Channel.QUOTES)), IGNORE);
        assertThat(((BinanceAdapter) quotesOnly).streamUri()).hasToString(
                "wss://stream.binance.com:9443/stream?streams=btcusdt@bookTicker/ethbtc@bookTicker");
        quotesOnly.close();
    }

    @Test
    void createRefusesVenuesWithoutAnAdapter() {
        assertThatThrownBy(() -> VenueAdapters.create(Venue.KRAKEN, settings(null, null, Map.of(), "BTC-USD"), IGNORE))
                .hasMessageContaining("KRAKEN").hasMessageContaining("BINANCE");
    }

    @Test
    void adapterRefusesResumeIdsThatAreNotTradeIds() {
        assertThatThrownBy(() -> VenueAdapters.create(Venue.BINANCE,
                settings(null, null, Map.of("BTC-USDT", "abc"), "BTC-USDT"), IGNORE))
                .hasMessageContaining("BTC-USDT").hasMessageContaining("'abc'");
    }

    @Test
    void validSymbolsPassValidation() {
        assertThat(VenueAdapters.validateSymbols(Venue.BINANCE, List.of("BTC-USDT", "eth-btc", "SOL-FDUSD"))).isEmpty();
    }

    @Test
    void validationNamesEveryBadSymbolAndWhy() {
        String error = VenueAdapters.validateSymbols(Venue.BINANCE,
                List.of("BTCUSDT", "BTC-USDT-PERP", "BTC-XYZ", "ETH-USDT", "ETH-USDT")).orElseThrow();
        assertThat(error).contains("invalid BINANCE symbols", "'BTCUSDT'", "expected BASE-QUOTE",
                "BTC-USDT-PERP: perpetuals are on BINANCE_FUTURES", "XYZ is not a Binance spot quote asset",
                "ETH-USDT is listed twice");
    }

    @Test
    void validationRefusesEmptyListsAndUnsupportedVenues() {
        assertThat(VenueAdapters.validateSymbols(Venue.BINANCE, List.of())).get().asString().contains("no symbols");
        assertThat(VenueAdapters.validateSymbols(Venue.OKX, List.of("BTC-USDT"))).get().asString()
                .contains("OKX has no adapter");
    }
}
