package io.tickerplant.app.platform;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the reference-price connectors read from: an empty URL means the source's public default. Suppliers, so an
 * emulator's address can be taken after it started.
 *
 * @param pairs canonical pairs such as ETH-USD
 * @param chainlinkRpcUrl Ethereum JSON-RPC endpoint (may carry an API key)
 * @param coinGeckoUrl CoinGecko API base URL
 * @param coinpaprikaUrl Coinpaprika API base URL
 * @param coinGeckoApiKey CoinGecko API key, or empty
 * @param pollInterval one poll interval for every source; empty for each source's own default
 */
public record ReferenceSources(List<String> pairs, Supplier<String> chainlinkRpcUrl, Supplier<String> coinGeckoUrl,
        Supplier<String> coinpaprikaUrl, String coinGeckoApiKey, Optional<Duration> pollInterval) {
}
