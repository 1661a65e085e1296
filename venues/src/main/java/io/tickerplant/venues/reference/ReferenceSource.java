package io.tickerplant.venues.reference;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The reference price sources and their defaults: endpoint, id per pair, a poll interval inside the free tier's
 * per-minute limit, and how old a price may be before it counts as stale.
 */
public enum ReferenceSource {
    /**
     * Chainlink price feeds on Ethereum mainnet, read with {@code eth_call} on the EACAggregatorProxy contracts.
     * ETH/USD, BTC/USD and LINK/USD have a one-hour heartbeat, so a round older than 65 minutes is stale.
     */
    CHAINLINK("https://ethereum-rpc.publicnode.com", Duration.ofSeconds(15), Duration.ofMinutes(65), Map.of(
            "ETH-USD", "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
            "BTC-USD", "0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c",
            "LINK-USD", "0x2c1d072e956AFFC0D435Cb7AC38EF18d24d9127c")),
    /** CoinGecko {@code /api/v3/simple/price}; the public API allows a few calls per minute. */
    COINGECKO("https://api.coingecko.com", Duration.ofSeconds(30), Duration.ofMinutes(15), Map.of(
            "ETH-USD", "ethereum", "BTC-USD", "bitcoin", "LINK-USD", "chainlink")),
    /** Coinpaprika {@code /v1/tickers/{id}}, one request per pair. */
    COINPAPRIKA("https://api.coinpaprika.com", Duration.ofSeconds(60), Duration.ofMinutes(15), Map.of(
            "ETH-USD", "eth-ethereum", "BTC-USD", "btc-bitcoin", "LINK-USD", "link-chainlink"));

    private final String defaultUrl;
    private final Duration defaultPollInterval;
    private final Duration defaultMaxAge;
    private final Map<String, String> defaultIds;

    ReferenceSource(String defaultUrl, Duration defaultPollInterval, Duration defaultMaxAge,
                    Map<String, String> defaultIds) {
        this.defaultUrl = defaultUrl;
        this.defaultPollInterval = defaultPollInterval;
        this.defaultMaxAge = defaultMaxAge;
        this.defaultIds = Map.copyOf(defaultIds);
    }

    public String defaultUrl() {
        return defaultUrl;
    }

    public Duration defaultPollInterval() {
        return defaultPollInterval;
    }

    public Duration defaultMaxAge() {
        return defaultMaxAge;
    }

    /** The source's id for a canonical pair, or null when there is no default. */
    public String defaultId(String symbol) {
        return defaultIds.get(symbol);
    }

    /** Ids for the pairs, overrides first, then defaults; a pair with neither is an error naming it. */
    public Map<String, String> ids(Iterable<String> pairs, Map<String, String> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            String id = overrides.getOrDefault(p, defaultId(p));
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("no " + name() + " id for pair " + p
                        + "; give one as " + p + "=<id>");
            }
            out.put(p, id.trim());
        }
        return out;
    }

    public static ReferenceSource parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown reference source '" + s + "'; valid: "
                    + java.util.Arrays.toString(values()));
        }
    }
}
