package io.tickerplant.connect.source;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Topics;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import java.util.EnumSet;
import java.util.Set;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of {@link VenueSourceConnector}: one venue, a list of canonical symbols, and connection behaviour. */
public final class VenueSourceConfig extends AbstractConfig {

    /** Venue id: BINANCE, BINANCE_FUTURES, COINBASE, KRAKEN, BITSTAMP, OKX or BYBIT. */
    public static final String VENUE = "venue";
    /** Canonical symbols to subscribe to, comma separated: BTC-USDT,ETH-USDT. Split across tasks. */
    public static final String SYMBOLS = "symbols";
    /** Websocket base URL; empty means the venue's production endpoint. The demo points it at the emulator. */
    public static final String WEBSOCKET_URL = "websocket.url";
    /** REST base URL (snapshots, recovery of missed trades); empty means the venue's production endpoint. */
    public static final String REST_URL = "rest.url";
    /** Prefix of every topic the connector writes. */
    public static final String TOPIC_PREFIX = "topic.prefix";
    /** First reconnect delay; doubled per failed attempt with full jitter, up to the maximum. */
    public static final String RECONNECT_BACKOFF_MIN_MS = "reconnect.backoff.min.ms";
    /** Longest reconnect delay. */
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    /** Reconnect when nothing at all (not even a ping) arrives for this long. */
    public static final String SILENCE_TIMEOUT_MS = "silence.timeout.ms";
    /** Reconnect proactively after this long, before the venue's own forced disconnect (Binance: 24 h). */
    public static final String MAX_CONNECTION_AGE_MS = "max.connection.age.ms";
    /** Market-data channels to subscribe to per symbol: trades, quotes, book. */
    public static final String CHANNELS = "channels";
    /** A full book snapshot record is published after this many deltas, besides after every (re)sync. */
    public static final String BOOK_SNAPSHOT_INTERVAL = "book.snapshot.interval";
    /** Events buffered between the websocket and Kafka; when full, the socket is read more slowly. */
    public static final String QUEUE_CAPACITY = "queue.capacity";
    /** Most records returned by one poll(). */
    public static final String POLL_MAX_RECORDS = "poll.max.records";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(VENUE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new VenueValidator(), Importance.HIGH,
                    "Venue id: one of " + List.of(Venue.values()) + ".")
            .define(SYMBOLS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new SymbolsValidator(), Importance.HIGH,
                    "Canonical symbols to subscribe to, comma separated (BTC-USDT,ETH-USDT; perpetuals BTC-USDT-PERP)."
                            + " Split across tasks (tasks.max).")
            .define(WEBSOCKET_URL, Type.STRING, "", new UrlValidator("ws", "wss"), Importance.MEDIUM,
                    "Websocket base URL (ws:// or wss://); empty for the venue's production endpoint.")
            .define(REST_URL, Type.STRING, "", new UrlValidator("http", "https"), Importance.MEDIUM,
                    "REST base URL (http:// or https://) for snapshots and recovering missed trades; empty for the"
                            + " venue's production endpoint.")
            .define(TOPIC_PREFIX, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "Prefix of the topics written: <prefix>trades, <prefix>quotes, <prefix>book,"
                            + " <prefix>liquidations, <prefix>funding, <prefix>feedstatus, <prefix>dlq.")
            .define(RECONNECT_BACKOFF_MIN_MS, Type.LONG, 250L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "First reconnect delay in ms; doubled per failed attempt with full jitter.")
            .define(RECONNECT_BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Longest reconnect delay in ms.")
            .define(SILENCE_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
                    "Reconnect when nothing arrives (not even a ping) for this many ms.")
            .define(MAX_CONNECTION_AGE_MS, Type.LONG, Duration.ofHours(23).toMillis(), ConfigDef.Range.atLeast(1000),
                    Importance.LOW, "Reconnect proactively after this many ms, before the venue's forced disconnect.")
            .define(CHANNELS, Type.LIST, "trades,quotes,book,liquidations,funding", new ChannelsValidator(),
                    Importance.MEDIUM,
                    "Market-data channels to subscribe to for every symbol, comma separated: trades (to"
                            + " <prefix>trades), quotes (best bid/ask, to <prefix>quotes), book (L2 snapshots and"
                            + " deltas, to <prefix>book), liquidations (to <prefix>liquidations) and funding (mark"
                            + " price and funding rate, to <prefix>funding). Channels a venue does not have (spot"
                            + " venues have no liquidations or funding) are skipped. Each channel is one stream per"
                            + " symbol on the venue's connection.")
            .define(BOOK_SNAPSHOT_INTERVAL, Type.INT, AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL,
                    ConfigDef.Range.atLeast(1), Importance.LOW,
                    "A full book snapshot record is published after this many deltas (and after every"
                            + " resynchronization), so a consumer of <prefix>book can start anywhere.")
            .define(QUEUE_CAPACITY, Type.INT, 20_000, ConfigDef.Range.atLeast(16), Importance.LOW,
                    "Events buffered between the websocket and Kafka.")
            .define(POLL_MAX_RECORDS, Type.INT, 5_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most records returned by one poll().");

    public VenueSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        long min = getLong(RECONNECT_BACKOFF_MIN_MS);
        long max = getLong(RECONNECT_BACKOFF_MAX_MS);
        if (max < min) {
            throw new ConfigException(RECONNECT_BACKOFF_MAX_MS, max, "must be at least " + RECONNECT_BACKOFF_MIN_MS
                    + " (" + min + ")");
        }
    }

    public Venue venue() {
        return Venue.parse(getString(VENUE));
    }

    public List<Instrument> instruments() {
        return getList(SYMBOLS).stream().map(Instrument::parse).toList();
    }

    /** The configured URL, or null for the venue default. */
    public URI websocketUri() {
        String s = getString(WEBSOCKET_URL);
        return s.isBlank() ? null : URI.create(s.trim());
    }

    public URI restUri() {
        String s = getString(REST_URL);
        return s.isBlank() ? null : URI.create(s.trim());
    }

    /** The configured channels (validated, so never empty). */
    public Set<Channel> channels() {
        Set<Channel> out = EnumSet.noneOf(Channel.class);
        for (String c : getList(CHANNELS)) {
            out.add(Channel.parse(c));
        }
        return out;
    }

    public int bookSnapshotInterval() {
        return getInt(BOOK_SNAPSHOT_INTERVAL);
    }

    public Topics topics() {
        return new Topics(getString(TOPIC_PREFIX));
    }

    public Duration reconnectBackoffMin() { return Duration.ofMillis(getLong(RECONNECT_BACKOFF_MIN_MS)); }
    public Duration reconnectBackoffMax() { return Duration.ofMillis(getLong(RECONNECT_BACKOFF_MAX_MS)); }
    public Duration silenceTimeout() { return Duration.ofMillis(getLong(SILENCE_TIMEOUT_MS)); }
    public Duration maxConnectionAge() { return Duration.ofMillis(getLong(MAX_CONNECTION_AGE_MS)); }
    public int queueCapacity() { return getInt(QUEUE_CAPACITY); }
    public int pollMaxRecords() { return getInt(POLL_MAX_RECORDS); }

    static final class VenueValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                Venue.parse((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return List.of(Venue.values()).toString();
        }
    }

    static final class SymbolsValidator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            List<String> symbols = (List<String>) value;
            if (symbols == null || symbols.isEmpty()) {
                throw new ConfigException(name, value, "at least one symbol is required, e.g. BTC-USDT");
            }
            for (String s : symbols) {
                try {
                    Instrument.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "canonical symbols BASE-QUOTE[-PERP]";
        }
    }

    static final class ChannelsValidator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            List<String> channels = (List<String>) value;
            if (channels == null || channels.isEmpty()) {
                throw new ConfigException(name, value, "at least one channel is required: trades, quotes, book");
            }
            for (String c : channels) {
                try {
                    Channel.parse(c);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "[trades, quotes, book]";
        }
    }

    static final class UrlValidator implements ConfigDef.Validator {
        private final List<String> schemes;

        UrlValidator(String... schemes) {
            this.schemes = List.of(schemes);
        }

        @Override
        public void ensureValid(String name, Object value) {
            String s = (String) value;
            if (s == null || s.isBlank()) {
                return;
            }
            try {
                URI u = URI.create(s.trim());
                if (u.getScheme() == null || !schemes.contains(u.getScheme()) || u.getHost() == null) {
                    throw new ConfigException(name, value, "expected a " + String.join(" or ", schemes)
                            + " URL with a host");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return String.join("|", schemes) + "://host[:port]";
        }
    }
}
