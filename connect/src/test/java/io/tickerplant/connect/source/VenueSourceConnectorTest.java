package io.tickerplant.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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
}
