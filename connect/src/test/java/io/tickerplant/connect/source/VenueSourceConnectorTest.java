package io.tickerplant.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.emulator.binance.BinanceEmulator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class VenueSourceConnectorTest {

    @Test
    void splitsSymbolsAcrossTasksAndNeverMakesAnEmptyTask() {
        VenueSourceConnector c = new VenueSourceConnector();
        Map<String, String> p = VenueSourceConfigTest.valid();
        p.put("symbols", "BTC-USDT,ETH-USDT,SOL-USDT");
        c.start(p);
        List<Map<String, String>> two = c.taskConfigs(2);
        assertThat(two).extracting(m -> m.get("symbols")).containsExactly("BTC-USDT,SOL-USDT", "ETH-USDT");
        assertThat(c.taskConfigs(10)).hasSize(3);
        assertThat(two.get(0)).containsEntry("venue", "BINANCE");
    }

    @Test
    void validationAsksTheVenueAndNamesTheClosestListedSymbolsForOneItDoesNotList() {
        try (BinanceEmulator venue = BinanceEmulator.builder().symbols("BTCUSDT", "ETHUSDT").generate(false).start()) {
            Map<String, String> p = VenueSourceConfigTest.valid();
            p.put("rest.url", venue.restUri().toString());
            p.put("symbols", "BTC-USDT,SOL-USDT");
            ConfigValue symbols = new VenueSourceConnector().validate(p).configValues().stream()
                    .filter(v -> v.name().equals("symbols")).findFirst().orElseThrow();
            assertThat(symbols.errorMessages()).singleElement().asString()
                    .contains("BINANCE does not list SOL-USDT; closest listed: BTC-USDT, ETH-USDT");

            p.put("symbols", "ETH-USDT");
            assertThat(new VenueSourceConnector().validate(p).configValues().stream()
                    .filter(v -> v.name().equals("symbols")).findFirst().orElseThrow().errorMessages()).isEmpty();
        }
    }
}
