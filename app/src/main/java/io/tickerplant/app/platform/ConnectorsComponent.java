package io.tickerplant.app.platform;

import io.tickerplant.connect.reference.ReferencePriceSourceConfig;
import io.tickerplant.connect.reference.ReferencePriceSourceConnector;
import io.tickerplant.connect.sink.PostgresSinkConfig;
import io.tickerplant.connect.sink.PostgresSinkConnector;
import io.tickerplant.connect.source.VenueSourceConfig;
import io.tickerplant.connect.source.VenueSourceConnector;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Topics;
import io.tickerplant.model.Venue;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates (or updates) the platform's connectors through the Connect REST API at every start (a standalone worker
 * does not keep connector configurations; on a distributed cluster the PUT is an idempotent update) and waits until
 * they run. Closing leaves them alone: an embedded worker stops with the platform, an external cluster keeps them.
 */
public final class ConnectorsComponent implements Component {

    private static final Logger log = LoggerFactory.getLogger(ConnectorsComponent.class);
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);

    public static final String BINANCE_SOURCE = sourceName(Venue.BINANCE);
    public static final String POSTGRES_SINK = "postgres-sink";
    public static final String CHAINLINK_SOURCE = "chainlink-source";
    public static final String COINGECKO_SOURCE = "coingecko-source";
    public static final String COINPAPRIKA_SOURCE = "coinpaprika-source";


    private final ConnectComponent connect;
    private final PostgresComponent postgres;
    private final Map<Venue, VenueFeed> venues;
    private final Topics topics;
    private final short replicationFactor;
    private final ReferenceSources reference;
    private final List<String> created = new CopyOnWriteArrayList<>();

    /** What one venue's source connector follows and where it connects. */
    public record VenueFeed(VenueEndpoints endpoints, List<Instrument> instruments) {
    }

    public ConnectorsComponent(ConnectComponent connect, PostgresComponent postgres, Map<Venue, VenueFeed> venues,
            ReferenceSources reference, Topics topics, short replicationFactor) {
        this.connect = connect;
        this.postgres = postgres;
        this.venues = new LinkedHashMap<>(venues);
        this.topics = topics;
        this.replicationFactor = replicationFactor;
        this.reference = reference;
    }

    @Override
    public String name() {
        return "connectors";
    }

    @Override
    public void start() {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put(POSTGRES_SINK, sinkConfig());
        venues.forEach((venue, feed) -> connectors.put(sourceName(venue), venueSourceConfig(venue, feed)));
        if (!reference.pairs().isEmpty()) {
            connectors.put(CHAINLINK_SOURCE, referenceSourceConfig("CHAINLINK", reference.chainlinkRpcUrl().get(), ""));
            connectors.put(COINGECKO_SOURCE, referenceSourceConfig("COINGECKO", reference.coinGeckoUrl().get(),
                    reference.coinGeckoApiKey()));
            connectors.put(COINPAPRIKA_SOURCE, referenceSourceConfig("COINPAPRIKA", reference.coinpaprikaUrl().get(),
                    ""));
        }
        ConnectRestClient client = connect.client();
        for (Map.Entry<String, Map<String, String>> c : connectors.entrySet()) {
            boolean isNew = client.createOrUpdateConnector(c.getKey(), c.getValue());
            client.awaitRunning(c.getKey(), RUNNING_TIMEOUT);
            log.info("connector {} {} and running", c.getKey(), isNew ? "created" : "updated");
            this.created.add(c.getKey());
        }
    }

    /** The source connector of a venue: {@code binance-source}, {@code binance-futures-source}, ... */
    public static String sourceName(Venue venue) {
        return venue.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-source";
    }

    Map<String, String> venueSourceConfig(Venue venue, VenueFeed feed) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", VenueSourceConnector.class.getName());
        c.put("tasks.max", "1");
        c.put(VenueSourceConfig.VENUE, venue.name());
        c.put(VenueSourceConfig.SYMBOLS, String.join(",", feed.instruments().stream().map(Instrument::symbol)
                .toList()));
        c.put(VenueSourceConfig.WEBSOCKET_URL, text(feed.endpoints().websocketUri()));
        c.put(VenueSourceConfig.REST_URL, text(feed.endpoints().restUri()));
        c.put(VenueSourceConfig.TOPIC_PREFIX, topics.prefix());
        // Values are Avro bytes already (AvroSerdes); Connect must pass them through untouched.
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        return c;
    }

    /** The connectors this platform created and watches (health); valid once started. */
    public List<String> connectors() {
        return List.copyOf(created);
    }

    Map<String, String> referenceSourceConfig(String source, String url, String apiKey) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", ReferencePriceSourceConnector.class.getName());
        c.put("tasks.max", "1");
        c.put(ReferencePriceSourceConfig.SOURCE, source);
        c.put(ReferencePriceSourceConfig.PAIRS, String.join(",", reference.pairs()));
        c.put(ReferencePriceSourceConfig.URL, url);
        c.put(ReferencePriceSourceConfig.API_KEY, apiKey);
        reference.pollInterval().ifPresent(d ->
                c.put(ReferencePriceSourceConfig.POLL_INTERVAL_MS, Long.toString(d.toMillis())));
        c.put(ReferencePriceSourceConfig.TOPIC_PREFIX, topics.prefix());
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        return c;
    }

    Map<String, String> sinkConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", PostgresSinkConnector.class.getName());
        c.put("tasks.max", "1");
        c.put("topics", String.join(",", topics.trades(), topics.candles(), topics.refPrices(), topics.bbo(),
                topics.index(), topics.accuracy(), topics.alerts(), topics.liquidations(), topics.funding(),
                topics.liquidationStats()));
        // Candles, BBO, index, accuracy and alerts are written in Streams transactions: store only committed ones.
        c.put("consumer.override.isolation.level", "read_committed");
        c.put(PostgresSinkConfig.CONNECTION_URL, postgres.jdbcUrl());
        c.put(PostgresSinkConfig.CONNECTION_USER, postgres.user());
        c.put(PostgresSinkConfig.TOPIC_PREFIX, topics.prefix());
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        // Bad records become dead letters with the reason in headers; the sink goes on.
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", topics.deadLetters());
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("errors.deadletterqueue.topic.replication.factor", Short.toString(replicationFactor));
        c.put("errors.log.enable", "true");
        // Large batches are what make COPY fast.
        c.put("consumer.override.max.poll.records", "5000");
        c.put("consumer.override.fetch.min.bytes", "65536");
        c.put("consumer.override.fetch.max.wait.ms", "100");
        return c;
    }

    private static String text(URI uri) {
        return uri == null ? "" : uri.toString();
    }

    @Override
    public void close() {
    }
}
