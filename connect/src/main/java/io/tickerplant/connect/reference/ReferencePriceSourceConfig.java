package io.tickerplant.connect.reference;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Topics;
import io.tickerplant.venues.reference.ReferenceSource;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of {@link ReferencePriceSourceConnector}: one reference source (Chainlink, CoinGecko or
 * Coinpaprika), the pairs to follow, where to reach the source and how often to ask.
 */
public final class ReferencePriceSourceConfig extends AbstractConfig {

    /** CHAINLINK, COINGECKO or COINPAPRIKA. */
    public static final String SOURCE = "source";
    /** Canonical pairs, comma separated: ETH-USD,BTC-USD,LINK-USD. */
    public static final String PAIRS = "pairs";
    /** Base URL of the API, or the Ethereum JSON-RPC endpoint for CHAINLINK; empty for the source's default. */
    public static final String URL = "url";
    /** API key: CoinGecko demo key header, Coinpaprika Authorization header; never logged. */
    public static final String API_KEY = "api.key";
    /** Poll period in ms; 0 for the source's default (Chainlink 15 s, CoinGecko 30 s, Coinpaprika 60 s). */
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    /** A price whose own update time is older than this is STALE, not published; 0 for the source's default. */
    public static final String MAX_AGE_MS = "max.age.ms";
    /** Per-pair id overrides, PAIR=ID comma separated: coin ids for the APIs, proxy addresses for Chainlink. */
    public static final String IDS = "ids";
    /** Prefix of every topic written. */
    public static final String TOPIC_PREFIX = "topic.prefix";
    /** Limit of one HTTP request. */
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    /** Longest Retry-After waited for inside one poll; a longer one reports a GAP and is honoured by the next poll. */
    public static final String MAX_RETRY_AFTER_MS = "max.retry.after.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SOURCE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.CaseInsensitiveValidString.in("CHAINLINK", "COINGECKO", "COINPAPRIKA"),
                    Importance.HIGH, "Reference source: CHAINLINK (price-feed contracts on Ethereum, read with"
                            + " eth_call), COINGECKO (/api/v3/simple/price) or COINPAPRIKA (/v1/tickers/{id}).")
            .define(PAIRS, Type.LIST, "ETH-USD,BTC-USD,LINK-USD", new PairsValidator(), Importance.HIGH,
                    "Canonical pairs to follow, comma separated. Each needs an id: built in for ETH-USD, BTC-USD"
                            + " and LINK-USD, otherwise given in '" + IDS + "'.")
            .define(URL, Type.STRING, "", new UrlValidator(), Importance.HIGH,
                    "For CHAINLINK the Ethereum JSON-RPC endpoint (may contain an API key: it is never logged);"
                            + " for the APIs their base URL. Empty for the default: "
                            + ReferenceSource.CHAINLINK.defaultUrl() + ", " + ReferenceSource.COINGECKO.defaultUrl()
                            + ", " + ReferenceSource.COINPAPRIKA.defaultUrl() + ".")
            .define(API_KEY, Type.PASSWORD, "", Importance.MEDIUM,
                    "Optional API key: sent as the x-cg-demo-api-key header to CoinGecko and as Authorization to"
                            + " Coinpaprika. Chainlink endpoints carry their key in '" + URL + "'.")
            .define(POLL_INTERVAL_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Poll period in ms; 0 for the source's default, inside its free tier's per-minute limit:"
                            + " CHAINLINK 15000 (rounds change at most every few minutes), COINGECKO 30000,"
                            + " COINPAPRIKA 60000 (one request per pair). Monthly quotas of keyed plans may need"
                            + " longer.")
            .define(MAX_AGE_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "A price whose own update time (round updatedAt, last_updated) is older than this many ms is"
                            + " reported as STALE instead of published; 0 for the default: CHAINLINK 3900000 (the"
                            + " one-hour heartbeat plus 5 min), the APIs 900000.")
            .define(IDS, Type.LIST, "", new IdsValidator(), Importance.LOW,
                    "Per-pair id overrides as PAIR=ID, comma separated: CoinGecko coin ids (ETH-USD=ethereum),"
                            + " Coinpaprika ids (ETH-USD=eth-ethereum), Chainlink proxy addresses"
                            + " (ETH-USD=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419).")
            .define(TOPIC_PREFIX, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "Prefix of the topics written: <prefix>refprices, <prefix>feedstatus, <prefix>dlq.")
            .define(REQUEST_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
                    "Limit of one HTTP request in ms.")
            .define(MAX_RETRY_AFTER_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Longest Retry-After (429) in ms that the APIs' requests wait for and retry within one poll;"
                            + " a longer one is reported as a GAP.");

    public ReferencePriceSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        try {
            ids();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(IDS, getList(IDS), e.getMessage());
        }
    }

    public ReferenceSource source() {
        return ReferenceSource.parse(getString(SOURCE));
    }

    public List<String> pairs() {
        return getList(PAIRS).stream().map(p -> Instrument.parse(p).symbol()).toList();
    }

    /** Pair to source id, in pair order. */
    public Map<String, String> ids() {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String entry : getList(IDS)) {
            int eq = entry.indexOf('=');
            overrides.put(Instrument.parse(entry.substring(0, eq)).symbol(), entry.substring(eq + 1).trim());
        }
        return source().ids(pairs(), overrides);
    }

    public URI url() {
        String s = getString(URL);
        return URI.create(s.isBlank() ? source().defaultUrl() : s.trim());
    }

    /** The key, or null. Kept as a {@link Password} until here so that config dumps show it hidden. */
    public String apiKey() {
        Password p = getPassword(API_KEY);
        return p == null || p.value().isBlank() ? null : p.value();
    }

    public Duration pollInterval() {
        long ms = getLong(POLL_INTERVAL_MS);
        return ms == 0 ? source().defaultPollInterval() : Duration.ofMillis(ms);
    }

    public Duration maxAge() {
        long ms = getLong(MAX_AGE_MS);
        return ms == 0 ? source().defaultMaxAge() : Duration.ofMillis(ms);
    }

    public Topics topics() {
        return new Topics(getString(TOPIC_PREFIX));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
    }

    public Duration maxRetryAfter() {
        return Duration.ofMillis(getLong(MAX_RETRY_AFTER_MS));
    }

    static final class PairsValidator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            List<String> pairs = (List<String>) value;
            if (pairs == null || pairs.isEmpty()) {
                throw new ConfigException(name, value, "at least one pair is required, e.g. ETH-USD");
            }
            for (String p : pairs) {
                try {
                    if (Instrument.parse(p).perpetual()) {
                        throw new ConfigException(name, value, p + ": reference prices are spot pairs");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "canonical pairs BASE-QUOTE";
        }
    }

    static final class IdsValidator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            for (String entry : (List<String>) value) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new ConfigException(name, value, "'" + entry + "' is not PAIR=ID");
                }
                try {
                    Instrument.parse(entry.substring(0, eq));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "PAIR=ID,...";
        }
    }

    /** Validates without ever echoing the URL: it may hold a key. */
    static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = (String) value;
            if (s == null || s.isBlank()) {
                return;
            }
            URI u;
            try {
                u = URI.create(s.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, "(hidden)", "not a URL");
            }
            if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme()) || u.getHost() == null) {
                throw new ConfigException(name, "(hidden)", "expected an http or https URL with a host");
            }
        }

        @Override
        public String toString() {
            return "http|https://host[:port][/path]";
        }
    }
}
