package io.tickerplant.app.config;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Topics;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.VenueAdapters;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The platform's configuration: every key typed, validated and documented ({@link #keys()}).
 *
 * <p>Each value comes from, in increasing precedence: the key's default, the properties file, the environment
 * ({@code TICKERPLANT_KAFKA_PORT} for {@code kafka.port}), the command line ({@code --kafka-port}). The file is
 * the one named by {@code --config} or {@code TICKERPLANT_CONFIG}, else {@code ./tickerplant.properties} when
 * it exists. An invalid value or an unknown key in the file fails with a {@link ConfigException} that names
 * the key, where the value came from and what is expected.
 *
 * <p>To add a key: declare a {@code ConfigKey} constant here, add it to {@link #KEYS}, add a typed getter.
 * The CLI option, environment variable and {@code tickerplant config} listing follow from the declaration.
 */
public final class PlatformConfig {

    /** The file read when neither {@code --config} nor {@code TICKERPLANT_CONFIG} names one, if it exists. */
    public static final Path DEFAULT_FILE = Path.of("tickerplant.properties");
    /** Environment variable naming the properties file. */
    public static final String CONFIG_FILE_ENV = "TICKERPLANT_CONFIG";

    private static final String PORT_EXPECTED = "a port number 0-65535 (0 picks a free port)";
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");
    private static final Pattern TOPIC_CHARS = Pattern.compile("[A-Za-z0-9._-]*");

    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("data.dir", "./data",
            "Directory for all local state: the embedded broker's log (kafka/), Connect's source offsets "
                    + "(connect/), the embedded PostgreSQL (postgres/) and log files (logs/). Kept across "
                    + "restarts; delete it to start from scratch.",
            "a directory path", "DIR", PlatformConfig::path);

    public static final ConfigKey<Optional<String>> KAFKA_BOOTSTRAP_SERVERS = new ConfigKey<>(
            "kafka.bootstrap.servers", "",
            "Kafka cluster to use, as host:port[,host:port...]. Empty starts the embedded single-node broker.",
            "empty (embedded broker) or host:port[,host:port...] such as kafka1:9092,kafka2:9092", "HOST:PORT,...",
            PlatformConfig::hostPortList);

    public static final ConfigKey<Integer> KAFKA_PORT = new ConfigKey<>("kafka.port", "9092",
            "Client port of the embedded broker on 127.0.0.1 (unused with kafka.bootstrap.servers). "
                    + "0 picks a free port.",
            PORT_EXPECTED, "PORT", PlatformConfig::port);

    public static final ConfigKey<Optional<URI>> CONNECT_URL = new ConfigKey<>("connect.url", "",
            "REST URL of an existing Kafka Connect cluster, standalone or distributed, that runs the connectors "
                    + "(the tickerplant-connect plugin must be installed there). Empty starts the embedded worker.",
            "empty (embedded worker) or an http(s) URL such as http://connect:8083", "URL",
            PlatformConfig::httpUrl);

    public static final ConfigKey<Integer> CONNECT_PORT = new ConfigKey<>("connect.port", "8083",
            "REST port of the embedded Connect worker on 127.0.0.1 (unused with connect.url). 0 picks a free port.",
            PORT_EXPECTED, "PORT", PlatformConfig::port);

    public static final ConfigKey<Optional<String>> POSTGRES_JDBC_URL = new ConfigKey<>("postgres.jdbc.url", "",
            "JDBC URL of an existing PostgreSQL or TimescaleDB, e.g. "
                    + "jdbc:postgresql://db:5432/tickerplant?user=tp&password=secret. Empty starts the embedded "
                    + "PostgreSQL.",
            "empty (embedded PostgreSQL) or a URL starting with jdbc:postgresql:", "JDBC-URL",
            PlatformConfig::jdbcUrl);

    // Not 5432: a developer machine often runs its own PostgreSQL there, and the embedded one must neither
    // fail to start nor be mistaken for it by psql's default port.
    public static final ConfigKey<Integer> POSTGRES_PORT = new ConfigKey<>("postgres.port", "15432",
            "Port of the embedded PostgreSQL on 127.0.0.1 (unused with postgres.jdbc.url). Not 5432, so it "
                    + "never collides with a PostgreSQL already installed on the machine. 0 picks a free port.",
            PORT_EXPECTED, "PORT", PlatformConfig::port);

    public static final ConfigKey<Integer> WEB_PORT = new ConfigKey<>("web.port", "8080",
            "Port of the REST API and dashboard on 127.0.0.1. 0 picks a free port.",
            PORT_EXPECTED, "PORT", PlatformConfig::port);

    public static final ConfigKey<String> TOPIC_PREFIX = new ConfigKey<>("topic.prefix", Topics.DEFAULT_PREFIX,
            "Prefix of every platform topic (tp.trades, tp.quotes, ...), so several installations can share "
                    + "one cluster.",
            "letters, digits, '.', '_' or '-' (the characters Kafka allows in topic names), at most 200",
            "PREFIX", PlatformConfig::topicPrefix);

    public static final ConfigKey<Integer> TOPIC_PARTITIONS = new ConfigKey<>("topic.partitions", "3",
            "Partitions of each platform topic when it is created (existing topics are left as they are). "
                    + "Records are keyed by VENUE:SYMBOL, so per-instrument order holds with any count.",
            "an integer 1-10000", "N", v -> intIn(v, 1, 10_000));

    public static final ConfigKey<Short> TOPIC_REPLICATION_FACTOR = new ConfigKey<>("topic.replication.factor", "1",
            "Replicas of each platform topic when it is created. Must be 1 with the embedded broker; 3 is usual "
                    + "on a production cluster.",
            "an integer 1-32767", "N", v -> (short) intIn(v, 1, Short.MAX_VALUE));

    public static final ConfigKey<List<String>> SYMBOLS = new ConfigKey<>("symbols", "BTC-USDT,ETH-USDT,BTC-USDT-PERP,ETH-USDT-PERP",
            "Instruments to follow, as canonical symbols separated by commas: BASE-QUOTE for spot, "
                    + "BASE-QUOTE-PERP for perpetual swaps. Every venue follows the ones it trades (spot venues the "
                    + "spot symbols, derivatives venues the perpetuals); a configured symbol no venue trades is an "
                    + "error naming each venue's reason.",
            "comma-separated symbols such as BTC-USDT,ETH-USDT,BTC-USDT-PERP", "SYMBOL,...",
            PlatformConfig::symbols);

    public static final ConfigKey<List<Venue>> VENUES = new ConfigKey<>("venues", "",
            "Venues to follow, separated by commas (BINANCE,COINBASE,...). Each follows the configured symbols it "
                    + "can trade (spot BASE-QUOTE on spot venues, BASE-QUOTE-PERP on derivatives venues). Empty "
                    + "means every venue tickerplant has an adapter for ('demo': every one with a built-in "
                    + "emulator).",
            "empty or venue ids separated by commas, from " + VenueAdapters.supported(), "VENUE,...",
            PlatformConfig::venues);

    /** Per venue, the websocket base URL for 'up' ({@code binance.websocket.url}, {@code okx.websocket.url}, ...). */
    public static final Map<Venue, ConfigKey<Optional<URI>>> WEBSOCKET_URLS = perVenue(v -> new ConfigKey<>(
            venueKeyPrefix(v) + ".websocket.url", "",
            displayName(v) + " websocket base URL for 'up' (the adapter adds its own path and query). Empty uses "
                    + "the venue's production endpoint; 'demo' always uses its built-in emulator.",
            "empty (production) or a ws:// or wss:// URL", "URL", x -> url(x, "ws", "wss")));

    /** Per venue, the REST base URL for 'up' ({@code binance.rest.url}, ...). */
    public static final Map<Venue, ConfigKey<Optional<URI>>> REST_URLS = perVenue(v -> new ConfigKey<>(
            venueKeyPrefix(v) + ".rest.url", "",
            displayName(v) + " REST base URL for 'up', used for book snapshots and to recover what a disconnect "
                    + "lost. Empty uses the venue's production endpoint; 'demo' always uses its built-in emulator.",
            "empty (production) or an http:// or https:// URL", "URL", x -> url(x, "http", "https")));

    public static final ConfigKey<Optional<URI>> BINANCE_WEBSOCKET_URL = WEBSOCKET_URLS.get(Venue.BINANCE);

    public static final ConfigKey<Optional<URI>> BINANCE_REST_URL = REST_URLS.get(Venue.BINANCE);

    public static final ConfigKey<Double> DEMO_TRADES_PER_SECOND = new ConfigKey<>("demo.trades.per.second", "20",
            "Average trade rate per symbol of the built-in venue emulators in 'demo' (arrivals are random, with "
                    + "bursts).",
            "a number from 0.01 to 100000", "RATE", v -> doubleIn(v, 0.01, 100_000));

    public static final ConfigKey<Integer> DEMO_EMULATOR_PORT = new ConfigKey<>("demo.emulator.port", "0",
            "Port of the built-in Binance emulator in 'demo' (websocket and REST on one port). 0 picks a free "
                    + "port; set it to point another client (kcat, a browser, a second tickerplant) at it.",
            PORT_EXPECTED, "PORT", PlatformConfig::port);

    public static final ConfigKey<List<Duration>> CANDLE_INTERVALS = new ConfigKey<>("candles.intervals",
            "1s,1m,5m,1h",
            "Bar lengths of the trade candles, per venue and across venues (venue ALL), comma separated.",
            "durations such as 1s,1m,5m,1h (units ms, s, m, h, d), each listed once", "DURATION,...",
            PlatformConfig::durations);

    public static final ConfigKey<Duration> CANDLE_GRACE = new ConfigKey<>("candles.grace", "5s",
            "How long after a bar's end a late trade still corrects it (event time); the same grace applies to the "
                    + "per-minute liquidation statistics. Later trades are dropped and counted; the final bar is "
                    + "published when the grace has passed.",
            "a duration such as 5s or 500ms", "DURATION", PlatformConfig::duration);

    public static final ConfigKey<List<String>> REFERENCE_PAIRS = new ConfigKey<>("reference.pairs",
            "ETH-USD,BTC-USD,LINK-USD",
            "Pairs whose reference prices are collected from the Chainlink price feeds, CoinGecko and Coinpaprika. "
                    + "Empty collects none (no reference connectors are created).",
            "empty or comma-separated pairs such as ETH-USD,BTC-USD,LINK-USD", "PAIR,...",
            v -> v.isBlank() ? List.of() : symbols(v));

    public static final ConfigKey<Optional<URI>> CHAINLINK_RPC_URL = new ConfigKey<>("chainlink.rpc.url", "",
            "Ethereum JSON-RPC endpoint for reading the Chainlink price feeds in 'up' (it may carry an API key: it "
                    + "is never printed). Empty uses a public endpoint; 'demo' uses its built-in emulator.",
            "empty or an http:// or https:// URL", "URL", PlatformConfig::httpUrl);

    public static final ConfigKey<String> COINGECKO_API_KEY = new ConfigKey<>("coingecko.api.key", "",
            "CoinGecko demo/pro API key, sent as a header (never printed). Empty polls without a key, within the "
                    + "public rate limit.",
            "an API key or empty", "KEY", v -> v);

    public static final ConfigKey<Optional<Duration>> REFERENCE_POLL_INTERVAL = new ConfigKey<>(
            "reference.poll.interval", "",
            "How often every reference source is polled. Empty uses each source's default within its free tier "
                    + "(Chainlink 15s, CoinGecko 30s, Coinpaprika 60s).",
            "empty or a duration such as 10s", "DURATION",
            v -> v.isEmpty() ? Optional.empty() : Optional.of(duration(v)));

    public static final ConfigKey<Duration> BBO_MAX_QUOTE_AGE = new ConfigKey<>("bbo.max.quote.age", "10s",
            "A venue whose latest quote is older than this (event time) is left out of the consolidated BBO and the "
                    + "index price until it quotes again.",
            "a duration such as 10s", "DURATION", PlatformConfig::duration);

    public static final ConfigKey<BigDecimal> ACCURACY_THRESHOLD_PCT = new ConfigKey<>("accuracy.threshold.pct",
            "1.0",
            "A DEVIATION alert is raised when an oracle price differs from the price APIs' average by more than this "
                    + "many percent, and cleared when it is back within.",
            "a positive decimal number of percent such as 0.5", "PCT", PlatformConfig::positiveDecimal);

    public static final ConfigKey<Duration> ACCURACY_CADENCE = new ConfigKey<>("accuracy.cadence", "10s",
            "How often (wall clock) each pair's latest accuracy is published again with its current age, which is "
                    + "how a silent oracle is noticed.",
            "a duration such as 10s", "DURATION", PlatformConfig::duration);

    public static final ConfigKey<Duration> ACCURACY_HEARTBEAT = new ConfigKey<>("accuracy.heartbeat", "1h",
            "The oracle feeds' heartbeat: a feed without a new round for longer than this plus accuracy.stale.grace "
                    + "is STALE. 'demo' uses its emulator's 60s unless this is set.",
            "a duration such as 1h", "DURATION", PlatformConfig::duration);

    public static final ConfigKey<Duration> ACCURACY_STALE_GRACE = new ConfigKey<>("accuracy.stale.grace", "60s",
            "Time past the heartbeat before an oracle feed counts as stale.",
            "a duration such as 60s", "DURATION", PlatformConfig::duration);

    public static final ConfigKey<Map<String, String>> ACCURACY_INDEX_SYMBOLS = new ConfigKey<>(
            "accuracy.index.symbols", "ETH-USD=ETH-USDT,BTC-USD=BTC-USDT,LINK-USD=LINK-USDT",
            "Which venues' index price each oracle pair is compared with (pctDiffIndex). USDT is taken at par with "
                    + "USD: close, but off by USDT's premium or discount, so map to a -USD symbol once venues quote one.",
            "PAIR=SYMBOL pairs separated by commas, or empty for none", "MAP", PlatformConfig::indexSymbols);

    public static final ConfigKey<Duration> ACCURACY_INDEX_MAX_AGE = new ConfigKey<>("accuracy.index.max.age", "60s",
            "An index price older than this before an oracle round is not compared with it (pctDiffIndex is null).",
            "a duration such as 60s", "DURATION", PlatformConfig::duration);

    public static final ConfigKey<Optional<Path>> QUERIES_FILE = new ConfigKey<>("queries.file", "",
            "YAML file of named SQL queries served at /api/queries/NAME, in addition to the built-in ones (a query of "
                    + "the same name replaces the built-in one). Checked at start: a mistake stops the start with the "
                    + "file, the query and what is wrong. Empty serves the built-in queries only.",
            "empty or the path of a queries file", "FILE", v -> v.isEmpty() ? Optional.empty() : Optional.of(path(v)));

    public static final ConfigKey<Duration> QUERIES_STATEMENT_TIMEOUT = new ConfigKey<>("queries.statement.timeout",
            "5s",
            "How long one named query may run before PostgreSQL cancels it (the API answers 503 naming the query).",
            "a duration from 1ms to 1d such as 5s", "DURATION",
            v -> durationIn(v, Duration.ofMillis(1), Duration.ofDays(1)));

    public static final ConfigKey<Integer> QUERIES_MAX_ROWS = new ConfigKey<>("queries.max.rows", "1000",
            "The most rows one named-query request returns (its largest limit); the rest is on later pages.",
            "an integer 1-100000", "N", v -> intIn(v, 1, 100_000));

    /** The keys that are not per venue, in the order they are documented. */
    private static final List<ConfigKey<?>> CORE_KEYS = List.of(DATA_DIR, KAFKA_BOOTSTRAP_SERVERS, KAFKA_PORT,
            CONNECT_URL, CONNECT_PORT, POSTGRES_JDBC_URL, POSTGRES_PORT, WEB_PORT, TOPIC_PREFIX, TOPIC_PARTITIONS,
            TOPIC_REPLICATION_FACTOR, SYMBOLS, VENUES, DEMO_TRADES_PER_SECOND,
            DEMO_EMULATOR_PORT, CANDLE_INTERVALS, CANDLE_GRACE, REFERENCE_PAIRS, REFERENCE_POLL_INTERVAL, CHAINLINK_RPC_URL,
            COINGECKO_API_KEY, BBO_MAX_QUOTE_AGE, ACCURACY_THRESHOLD_PCT, ACCURACY_CADENCE, ACCURACY_HEARTBEAT,
            ACCURACY_STALE_GRACE, ACCURACY_INDEX_SYMBOLS, ACCURACY_INDEX_MAX_AGE, QUERIES_FILE, QUERIES_STATEMENT_TIMEOUT, QUERIES_MAX_ROWS);

    /** Every key: the core ones followed by the per-venue endpoint keys, venue by venue. */
    private static final List<ConfigKey<?>> KEYS = allKeys();

    private static List<ConfigKey<?>> allKeys() {
        List<ConfigKey<?>> all = new ArrayList<>(CORE_KEYS);
        for (Venue v : Venue.values()) {
            all.add(WEBSOCKET_URLS.get(v));
            all.add(REST_URLS.get(v));
        }
        return List.copyOf(all);
    }

    private static <T> Map<Venue, ConfigKey<T>> perVenue(Function<Venue, ConfigKey<T>> key) {
        Map<Venue, ConfigKey<T>> m = new EnumMap<>(Venue.class);
        for (Venue v : Venue.values()) {
            m.put(v, key.apply(v));
        }
        return Collections.unmodifiableMap(m);
    }

    /** {@code BINANCE_FUTURES} -> {@code binance-futures}: the venue's part of its config key names. */
    static String venueKeyPrefix(Venue v) {
        return v.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String displayName(Venue v) {
        return v.name().charAt(0) + v.name().substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Values never printed: they are or may contain credentials. */
    private static final Set<ConfigKey<?>> SECRETS = Set.of(CHAINLINK_RPC_URL, COINGECKO_API_KEY);

    /** Where a value came from; {@link #describe(ConfigKey)} says which file, variable or option. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, COMMAND_LINE }

    /** One key's value with its origin. */
    public record Setting(ConfigKey<?> key, Object value, String raw, Source source, String origin) {
    }

    private final Map<ConfigKey<?>, Setting> settings;
    private final Optional<Path> file;

    private PlatformConfig(Map<ConfigKey<?>, Setting> settings, Optional<Path> file) {
        this.settings = Collections.unmodifiableMap(settings);
        this.file = file;
        validateTogether();
    }

    /** Every documented key. */
    public static List<ConfigKey<?>> keys() {
        return KEYS;
    }

    /** The key named {@code name}, if there is one. */
    public static Optional<ConfigKey<?>> key(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** All defaults. */
    public static PlatformConfig defaults() {
        return of(Map.of());
    }

    /** Defaults overridden by {@code values} (key name to text), as if given on the command line. */
    public static PlatformConfig of(Map<String, String> values) {
        return load(null, Map.of(), values, false);
    }

    /**
     * Reads the configuration of a run.
     *
     * @param configFile   the file named by {@code --config}, or null to use {@code TICKERPLANT_CONFIG} or
     *                     {@code ./tickerplant.properties} if it exists
     * @param environment  usually {@code System.getenv()}
     * @param commandLine  key name to value, from the command line's options
     */
    public static PlatformConfig load(Path configFile, Map<String, String> environment, Map<String, String> commandLine) {
        return load(configFile, environment, commandLine, true);
    }

    private static PlatformConfig load(Path configFile, Map<String, String> environment,
                                       Map<String, String> commandLine, boolean defaultFile) {
        Optional<Path> file = chooseFile(configFile, environment, defaultFile);
        Map<String, String> fromFile = file.map(PlatformConfig::readFile).orElse(Map.of());
        for (String name : commandLine.keySet()) {
            if (key(name).isEmpty()) {
                throw new ConfigException("unknown configuration key '" + name + "'" + suggestion(name));
            }
        }
        Map<ConfigKey<?>, Setting> settings = new LinkedHashMap<>();
        for (ConfigKey<?> key : KEYS) {
            String raw = key.defaultValue();
            Source source = Source.DEFAULT;
            String origin = "default";
            if (fromFile.containsKey(key.name())) {
                raw = fromFile.get(key.name());
                source = Source.FILE;
                origin = file.get() + "";
            }
            if (environment.containsKey(key.envVar())) {
                raw = environment.get(key.envVar());
                source = Source.ENVIRONMENT;
                origin = key.envVar();
            }
            if (commandLine.containsKey(key.name())) {
                raw = commandLine.get(key.name());
                source = Source.COMMAND_LINE;
                origin = key.cliOption();
            }
            Object value = key.parse(raw, origin);
            settings.put(key, new Setting(key, value, raw.trim(), source, origin));
        }
        return new PlatformConfig(settings, file);
    }

    private static Optional<Path> chooseFile(Path configFile, Map<String, String> environment, boolean defaultFile) {
        if (configFile != null) {
            return Optional.of(requireReadable(configFile, "--config"));
        }
        String fromEnv = environment.get(CONFIG_FILE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(requireReadable(Path.of(fromEnv.trim()), CONFIG_FILE_ENV));
        }
        return defaultFile && Files.isRegularFile(DEFAULT_FILE) ? Optional.of(DEFAULT_FILE) : Optional.empty();
    }

    private static Path requireReadable(Path file, String origin) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file.toAbsolutePath() + " (from " + origin
                    + ") does not exist");
        }
        return file;
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (key(name).isEmpty()) {
                throw new ConfigException("unknown key '" + name + "' in " + file + suggestion(name)
                        + " (tickerplant config lists the keys)");
            }
            values.put(name, props.getProperty(name));
        }
        return values;
    }

    /** The port settings of the servers this process will start itself (the embedded ones, and the web server). */
    public List<ConfigKey<Integer>> embeddedPortKeys() {
        List<ConfigKey<Integer>> keys = new ArrayList<>();
        if (embeddedKafka()) {
            keys.add(KAFKA_PORT);
        }
        if (embeddedConnect()) {
            keys.add(CONNECT_PORT);
        }
        if (embeddedPostgres()) {
            keys.add(POSTGRES_PORT);
        }
        keys.add(WEB_PORT);
        return keys;
    }

    /** Rules that involve more than one key. */
    private void validateTogether() {
        if (embeddedKafka() && topicReplicationFactor() > 1) {
            throw new ConfigException("topic.replication.factor is " + topicReplicationFactor() + " (from "
                    + settings.get(TOPIC_REPLICATION_FACTOR).origin() + ") but the embedded broker is a single "
                    + "node: set topic.replication.factor to 1, or kafka.bootstrap.servers to a cluster");
        }
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (ConfigKey<Integer> key : embeddedPortKeys()) {
            int port = get(key);
            String other = port == 0 ? null : ports.putIfAbsent(port, key.name());
            if (other != null) {
                throw new ConfigException(other + " and " + key.name() + " are both " + port
                        + ": each embedded server needs its own port");
            }
        }
    }

    /** The value of {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Setting setting = settings.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("not a platform key: " + key);
        }
        return (T) setting.value();
    }

    /** The value of {@code key} with where it came from. */
    public Setting setting(ConfigKey<?> key) {
        return settings.get(key);
    }

    /** The properties file read, if any. */
    public Optional<Path> file() {
        return file;
    }

    public Path dataDir() {
        return get(DATA_DIR);
    }

    /** {@code data.dir/kafka}: the embedded broker's log and metadata. */
    public Path kafkaDataDir() {
        return dataDir().resolve("kafka");
    }

    /** {@code data.dir/connect}: the embedded Connect worker's source offsets. */
    public Path connectDataDir() {
        return dataDir().resolve("connect");
    }

    /** {@code data.dir/postgres}: the embedded PostgreSQL's cluster. */
    public Path postgresDataDir() {
        return dataDir().resolve("postgres");
    }

    /** {@code data.dir/logs}. */
    public Path logDir() {
        return dataDir().resolve("logs");
    }

    /** The external cluster, or empty for the embedded broker. */
    public Optional<String> kafkaBootstrapServers() {
        return get(KAFKA_BOOTSTRAP_SERVERS);
    }

    public boolean embeddedKafka() {
        return kafkaBootstrapServers().isEmpty();
    }

    public int kafkaPort() {
        return get(KAFKA_PORT);
    }

    /** The external Connect cluster, or empty for the embedded worker. */
    public Optional<URI> connectUrl() {
        return get(CONNECT_URL);
    }

    public boolean embeddedConnect() {
        return connectUrl().isEmpty();
    }

    public int connectPort() {
        return get(CONNECT_PORT);
    }

    /** The external database, or empty for the embedded PostgreSQL. */
    public Optional<String> postgresJdbcUrl() {
        return get(POSTGRES_JDBC_URL);
    }

    public boolean embeddedPostgres() {
        return postgresJdbcUrl().isEmpty();
    }

    public int postgresPort() {
        return get(POSTGRES_PORT);
    }

    public int webPort() {
        return get(WEB_PORT);
    }

    public String topicPrefix() {
        return get(TOPIC_PREFIX);
    }

    /** The topic names under {@link #topicPrefix()}. */
    public Topics topics() {
        return new Topics(topicPrefix());
    }

    public int topicPartitions() {
        return get(TOPIC_PARTITIONS);
    }

    public short topicReplicationFactor() {
        return get(TOPIC_REPLICATION_FACTOR);
    }

    /** Canonical symbols, e.g. {@code [BTC-USDT, ETH-USDT]}. */
    /** A venue's configured websocket URL for 'up', or empty for its production endpoint. */
    public Optional<URI> websocketUrl(Venue venue) {
        return get(WEBSOCKET_URLS.get(venue));
    }

    /** A venue's configured REST URL for 'up', or empty for its production endpoint. */
    public Optional<URI> restUrl(Venue venue) {
        return get(REST_URLS.get(venue));
    }

    /** The configured venues; empty means every venue the mode can run. */
    public List<Venue> venues() {
        return get(VENUES);
    }

    public double demoTradesPerSecond() {
        return get(DEMO_TRADES_PER_SECOND);
    }

    public int demoEmulatorPort() {
        return get(DEMO_EMULATOR_PORT);
    }

    public List<Duration> candleIntervals() {
        return get(CANDLE_INTERVALS);
    }

    public Duration candleGrace() {
        return get(CANDLE_GRACE);
    }

    public List<String> referencePairs() {
        return get(REFERENCE_PAIRS);
    }

    public Duration bboMaxQuoteAge() {
        return get(BBO_MAX_QUOTE_AGE);
    }

    public BigDecimal accuracyThresholdPct() {
        return get(ACCURACY_THRESHOLD_PCT);
    }

    public Duration accuracyCadence() {
        return get(ACCURACY_CADENCE);
    }

    /** The configured heartbeat, or {@code fallback} when it was left at its default. */
    public Duration accuracyHeartbeat(Duration fallback) {
        return setting(ACCURACY_HEARTBEAT).source() == Source.DEFAULT ? fallback : get(ACCURACY_HEARTBEAT);
    }

    public Duration accuracyHeartbeat() {
        return get(ACCURACY_HEARTBEAT);
    }

    public Duration accuracyStaleGrace() {
        return get(ACCURACY_STALE_GRACE);
    }

    public Map<String, String> accuracyIndexSymbols() {
        return get(ACCURACY_INDEX_SYMBOLS);
    }

    public Duration accuracyIndexMaxAge() {
        return get(ACCURACY_INDEX_MAX_AGE);
    }

    public Optional<Duration> referencePollInterval() {
        return get(REFERENCE_POLL_INTERVAL);
    }

    public Optional<URI> chainlinkRpcUrl() {
        return get(CHAINLINK_RPC_URL);
    }

    public String coinGeckoApiKey() {
        return get(COINGECKO_API_KEY);
    }

    public List<String> symbols() {
        return get(SYMBOLS);
    }

    /** The user's queries file, or empty for the built-in queries only. */
    public Optional<Path> queriesFile() {
        return get(QUERIES_FILE);
    }

    public Duration queriesStatementTimeout() {
        return get(QUERIES_STATEMENT_TIMEOUT);
    }

    public int queriesMaxRows() {
        return get(QUERIES_MAX_ROWS);
    }

    /** "how to change it", for messages: {@code kafka.port (--kafka-port)}. */
    public static String settingHint(ConfigKey<?> key) {
        return key.name() + " (" + key.cliOption() + ")";
    }

    /**
     * The listing printed by {@code tickerplant config}: each key with its effective value and origin, its
     * default, its option and environment variable, and its documentation.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        file.ifPresentOrElse(f -> out.append("# configuration file: ").append(f.toAbsolutePath()).append('\n'),
                () -> out.append("# no configuration file (--config FILE, ").append(CONFIG_FILE_ENV)
                        .append(" or ./").append(DEFAULT_FILE).append(")\n"));
        out.append("# precedence: command line > environment > file > default\n");
        for (ConfigKey<?> key : KEYS) {
            Setting s = settings.get(key);
            out.append('\n').append(key.name()).append(" = ").append(s.raw().isEmpty() ? "(empty)" : shown(key, s.raw()));
            if (s.source() != Source.DEFAULT) {
                out.append("    (from ").append(s.origin()).append("; default '").append(key.defaultValue())
                        .append("')");
            }
            out.append('\n');
            out.append("    ").append(key.cliOption()).append(' ').append(key.paramLabel()).append(", ")
                    .append(key.envVar()).append('\n');
            for (String line : wrap(key.doc(), 100)) {
                out.append("    ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** A value as it may be printed: secrets hidden, a password in a JDBC URL masked. */
    static String shown(ConfigKey<?> key, String raw) {
        if (SECRETS.contains(key)) {
            return "*** (hidden)";
        }
        return raw.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** A properties file with every key commented out at its default, each with its documentation. */
    public static String template() {
        StringBuilder out = new StringBuilder("# tickerplant configuration; uncomment and change what you need.\n")
                .append("# Environment variables (TICKERPLANT_*) and command-line options override this file.\n");
        for (ConfigKey<?> key : KEYS) {
            out.append('\n');
            for (String line : wrap(key.doc(), 100)) {
                out.append("# ").append(line).append('\n');
            }
            out.append("#").append(key.name()).append('=').append(key.defaultValue()).append('\n');
        }
        return out.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static String suggestion(String name) {
        return KEYS.stream()
                .map(ConfigKey::name)
                .min(Comparator.comparingInt(k -> editDistance(k, name)))
                .filter(k -> editDistance(k, name) <= Math.max(2, name.length() / 4))
                .map(k -> "; did you mean " + k + "?")
                .orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---- parsers: each throws IllegalArgumentException; ConfigKey turns it into a message naming the key ----

    private static Path path(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getReason());
        }
    }

    private static int port(String value) {
        return intIn(value, 0, 65535);
    }

    private static int intIn(String value, int min, int max) {
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
            throw new IllegalArgumentException("out of range");
        }
        return n;
    }

    private static Optional<String> hostPortList(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        List<String> servers = new ArrayList<>();
        for (String part : value.split(",")) {
            String server = part.trim();
            var m = HOST_PORT.matcher(server);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                throw new IllegalArgumentException("'" + server + "' is not host:port");
            }
            servers.add(server);
        }
        return Optional.of(String.join(",", servers));
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** A duration as every key writes it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
    public static Duration parseDuration(String value) {
        return duration(value);
    }

    private static Duration duration(String value) {
        var m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value.trim() + "' is not a duration");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Duration durationIn(String value, Duration min, Duration max) {
        Duration d = duration(value);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
        }
        return d;
    }

    private static BigDecimal positiveDecimal(String value) {
        BigDecimal d = new BigDecimal(value.trim());
        if (d.signum() <= 0) {
            throw new IllegalArgumentException("not positive");
        }
        return d;
    }

    private static List<Duration> durations(String value) {
        Set<Duration> out = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            Duration d = duration(part);
            if (d.isZero() || !out.add(d)) {
                throw new IllegalArgumentException(d.isZero() ? "a zero interval" : "'" + part.trim() + "' is listed twice");
            }
        }
        return List.copyOf(out);
    }

    private static double doubleIn(String value, double min, double max) {
        double d = Double.parseDouble(value);
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException("out of range");
        }
        return d;
    }

    private static Optional<URI> url(String value, String... schemes) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of(schemes).contains(scheme) || uri.getHost() == null) {
                throw new IllegalArgumentException("not a " + String.join(" or ", schemes) + " URL with a host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getReason());
        }
    }

    private static Optional<URI> httpUrl(String value) {
        return url(value, "http", "https");
    }

    private static Optional<String> jdbcUrl(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("only PostgreSQL is supported");
        }
        return Optional.of(value);
    }

    private static String topicPrefix(String value) {
        if (value.length() > 200 || !TOPIC_CHARS.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid topic prefix");
        }
        return value;
    }

    private static List<Venue> venues(String value) {
        Set<Venue> venues = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Venue v = Venue.parse(part.trim());
            if (!VenueAdapters.supported().contains(v)) {
                throw new IllegalArgumentException("venue " + v + " has no adapter yet; supported: "
                        + VenueAdapters.supported());
            }
            venues.add(v);
        }
        return List.copyOf(venues);
    }

    private static Map<String, String> indexSymbols(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", -1);
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not PAIR=SYMBOL");
            }
            out.put(Instrument.parse(kv[0].trim()).symbol(), Instrument.parse(kv[1].trim()).symbol());
        }
        return Map.copyOf(out);
    }

    private static List<String> symbols(String value) {
        Set<String> symbols = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            symbols.add(Instrument.parse(part.trim()).symbol());
        }
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("at least one symbol is needed");
        }
        return List.copyOf(symbols);
    }
}
