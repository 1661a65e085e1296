package io.tickerplant.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class VenueSourceConfigTest {

    static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("venue", "BINANCE");
        p.put("symbols", "BTC-USDT,ETH-USDT");
        p.put("websocket.url", "ws://127.0.0.1:1234");
        p.put("rest.url", "http://127.0.0.1:1234");
        return p;
    }

    @Test
    void acceptsAValidConfigurationAndAppliesDefaults() {
        VenueSourceConfig c = new VenueSourceConfig(valid());
        assertThat(c.instruments()).extracting(Object::toString).containsExactly("BTC-USDT", "ETH-USDT");
        assertThat(c.topics().trades()).isEqualTo("tp.trades");
        assertThat(c.websocketUri()).hasToString("ws://127.0.0.1:1234");
    }

    @Test
    void channelsDefaultToTradesQuotesAndBookAndCanBeNarrowed() {
        VenueSourceConfig c = new VenueSourceConfig(valid());
        assertThat(c.channels()).containsExactlyInAnyOrder(io.tickerplant.venues.Channel.values());
        assertThat(c.bookSnapshotInterval()).isEqualTo(1000);
        Map<String, String> p = valid();
        p.put("channels", " Trades , book");
        assertThat(new VenueSourceConfig(p).channels()).containsExactlyInAnyOrder(io.tickerplant.venues.Channel.TRADES,
                io.tickerplant.venues.Channel.BOOK);
    }

    @Test
    void unknownOrEmptyChannelsAreAnErrorNamingTheKeyAndTheValidChannels() {
        Map<String, String> p = valid();
        p.put("channels", "trades,ticker");
        assertThatThrownBy(() -> new VenueSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("channels").hasMessageContaining("ticker").hasMessageContaining("quotes");
        p.put("channels", "");
        assertThatThrownBy(() -> new VenueSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("channels");
    }

    @Test
    void unknownVenueIsAnErrorNamingTheKeyAndTheValidVenues() {
        Map<String, String> p = valid();
        p.put("venue", "FTX");
        assertThatThrownBy(() -> new VenueSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("venue").hasMessageContaining("FTX").hasMessageContaining("KRAKEN");
    }

    @Test
    void malformedSymbolIsAnErrorNamingTheKeyAndTheExpectedForm() {
        Map<String, String> p = valid();
        p.put("symbols", "BTC-USDT,ETHUSDT");
        assertThatThrownBy(() -> new VenueSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("symbols").hasMessageContaining("ETHUSDT").hasMessageContaining("BASE-QUOTE");
    }

    @Test
    void wrongUrlSchemeIsAnErrorNamingTheKey() {
        Map<String, String> p = valid();
        p.put("websocket.url", "http://127.0.0.1:1234");
        assertThatThrownBy(() -> new VenueSourceConfig(p)).hasMessageContaining("websocket.url")
                .hasMessageContaining("ws or wss");
    }

    @Test
    void backoffMaximumBelowMinimumIsRejected() {
        Map<String, String> p = valid();
        p.put("reconnect.backoff.min.ms", "5000");
        p.put("reconnect.backoff.max.ms", "100");
        assertThatThrownBy(() -> new VenueSourceConfig(p)).hasMessageContaining("reconnect.backoff.max.ms");
    }

    @Test
    void connectValidateReportsTheBadKeyWithoutThrowing() {
        Map<String, String> p = valid();
        p.put("silence.timeout.ms", "ten");
        Map<String, ConfigValue> results = new HashMap<>();
        for (ConfigValue v : new VenueSourceConnector().validate(p).configValues()) {
            results.put(v.name(), v);
        }
        assertThat(results.get("silence.timeout.ms").errorMessages()).anySatisfy(m -> assertThat(m).contains("ten"));
        assertThat(results.get("venue").errorMessages()).isEmpty();
    }

    @Test
    void connectValidateReportsASymbolTheVenueCannotTradeOnTheSymbolsKey() {
        Map<String, String> p = valid();
        p.put("symbols", "BTC-USDT,BTC-USDT-PERP");
        ConfigValue symbols = new VenueSourceConnector().validate(p).configValues().stream()
                .filter(v -> v.name().equals("symbols")).findFirst().orElseThrow();
        assertThat(symbols.errorMessages()).singleElement().asString().contains("BTC-USDT-PERP")
                .contains("BINANCE_FUTURES");
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey key : VenueSourceConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
        }
    }
}
