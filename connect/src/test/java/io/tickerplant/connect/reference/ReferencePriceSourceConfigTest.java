package io.tickerplant.connect.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ReferencePriceSourceConfigTest {

    private static Map<String, String> props(String source) {
        Map<String, String> p = new HashMap<>();
        p.put("source", source);
        return p;
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey k : ReferencePriceSourceConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(k.documentation).as(k.name).isNotBlank();
        }
    }

    @Test
    void defaultsFollowTheSource() {
        ReferencePriceSourceConfig c = new ReferencePriceSourceConfig(props("coingecko"));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.ids()).containsExactly(Map.entry("ETH-USD", "ethereum"), Map.entry("BTC-USD", "bitcoin"),
                Map.entry("LINK-USD", "chainlink"));
        assertThat(c.url()).hasToString("https://api.coingecko.com");
        assertThat(new ReferencePriceSourceConfig(props("CHAINLINK")).maxAge()).isEqualTo(Duration.ofMinutes(65));
    }

    @Test
    void idOverridesWinAndAPairWithoutAnIdIsRejectedNamingIt() {
        Map<String, String> p = props("COINPAPRIKA");
        p.put("pairs", "ETH-USD,SOL-USD");
        assertThatThrownBy(() -> new ReferencePriceSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SOL-USD");
        p.put("ids", "SOL-USD=sol-solana");
        assertThat(new ReferencePriceSourceConfig(p).ids()).containsEntry("SOL-USD", "sol-solana");
    }

    @Test
    void aBadUrlIsRejectedWithoutEchoingIt() {
        Map<String, String> p = props("CHAINLINK");
        p.put("url", "ftp://node.example/v2/SECRETKEY");
        assertThatThrownBy(() -> new ReferencePriceSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("url").hasMessageNotContaining("SECRETKEY");
    }

    @Test
    void theApiKeyIsAPasswordHiddenInConfigDumps() {
        Map<String, String> p = props("COINGECKO");
        p.put("api.key", "CG-SECRET");
        ReferencePriceSourceConfig c = new ReferencePriceSourceConfig(p);
        assertThat(c.apiKey()).isEqualTo("CG-SECRET");
        assertThat(c.values().get("api.key").toString()).doesNotContain("CG-SECRET");
    }

    @Test
    void anUnknownSourceIsRejected() {
        assertThatThrownBy(() -> new ReferencePriceSourceConfig(props("BINANCE"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source");
    }
}
