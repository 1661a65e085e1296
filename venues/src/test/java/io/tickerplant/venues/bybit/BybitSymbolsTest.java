package io.tickerplant.venues.bybit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Instrument;
import java.util.List;
import java.util.Set;
import io.tickerplant.venues.Channel;
import org.junit.jupiter.api.Test;

class BybitSymbolsTest {

    @Test
    void spotAndPerpetualShareTheVenueSymbolAndDifferInCategory() {
        Instrument spot = Instrument.parse("BTC-USDT");
        Instrument perp = Instrument.parse("BTC-USDT-PERP");
        assertThat(BybitSymbols.toVenue(spot)).isEqualTo("BTCUSDT");
        assertThat(BybitSymbols.toVenue(perp)).isEqualTo("BTCUSDT");
        assertThat(BybitCategory.of(spot)).isEqualTo(BybitCategory.SPOT);
        assertThat(BybitCategory.of(perp)).isEqualTo(BybitCategory.LINEAR);
        assertThat(BybitSymbols.toCanonical("BTCUSDT", BybitCategory.SPOT)).isEqualTo(spot);
        assertThat(BybitSymbols.toCanonical("btcusdt", BybitCategory.LINEAR)).isEqualTo(perp);
    }

    @Test
    void explainsWhatCannotBeMapped() {
        assertThat(BybitSymbols.problem(Instrument.parse("BTC-USDC-PERP"))).get().asString().contains("BTCPERP");
        assertThat(BybitSymbols.problem(Instrument.parse("BTC-XYZ"))).get().asString()
                .contains("not a Bybit spot quote asset");
        assertThat(BybitSymbols.problem(Instrument.parse("ETH-BTC"))).isEmpty();
    }

    @Test
    void theCategoryOfARecordedConnectionComesFromItsPath() {
        assertThat(BybitCategory.fromConnection("wss://stream.bybit.com/v5/public/linear")).contains(BybitCategory.LINEAR);
        assertThat(BybitCategory.fromConnection("wss://stream.bybit.com/v5/public/spot/")).contains(BybitCategory.SPOT);
        assertThat(BybitCategory.fromConnection("wss://stream.bybit.com/realtime_public")).isEmpty();
    }

    @Test
    void topicsFollowTheChannelsAndTheCategory() {
        assertThat(BybitAdapter.topics(BybitCategory.SPOT, "BTCUSDT", Channel.all()))
                .containsExactly("publicTrade.BTCUSDT", "orderbook.50.BTCUSDT", "orderbook.1.BTCUSDT");
        assertThat(BybitAdapter.topics(BybitCategory.LINEAR, "BTCUSDT", Channel.all()))
                .containsExactly("publicTrade.BTCUSDT", "orderbook.50.BTCUSDT", "tickers.BTCUSDT",
                        "allLiquidation.BTCUSDT");
        assertThat(BybitAdapter.topics(BybitCategory.SPOT, "BTCUSDT", Set.of(Channel.FUNDING))).isEmpty();
        assertThat(BybitAdapter.request("subscribe", List.of("a", "b")))
                .isEqualTo("{\"op\":\"subscribe\",\"args\":[\"a\",\"b\"]}");
    }
}
