package io.tickerplant.app;

import io.tickerplant.app.config.ConfigException;
import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.ConnectComponent;
import io.tickerplant.app.platform.ConnectorsComponent;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.KafkaComponent;
import io.tickerplant.app.platform.PortsComponent;
import io.tickerplant.app.platform.PostgresComponent;
import io.tickerplant.app.platform.ReferenceEmulatorComponent;
import io.tickerplant.app.platform.ReferenceSources;
import io.tickerplant.app.platform.StreamsComponent;
import io.tickerplant.app.platform.TopicsComponent;
import io.tickerplant.app.platform.VenueEmulatorComponent;
import io.tickerplant.app.platform.VenueEndpoints;
import io.tickerplant.app.platform.VenueSelection;
import io.tickerplant.app.platform.WebComponent;
import io.tickerplant.model.Topics;
import io.tickerplant.model.Venue;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.server.query.QueryFileException;
import io.tickerplant.streams.AccuracyApp;
import io.tickerplant.streams.AccuracyTopology;
import io.tickerplant.streams.BboApp;
import io.tickerplant.streams.BboTopology;
import io.tickerplant.streams.CandleApp;
import io.tickerplant.streams.CandleTopology;
import io.tickerplant.streams.LiquidationStatsApp;
import io.tickerplant.streams.LiquidationStatsTopology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which components {@code tickerplant up} and {@code tickerplant demo} run, in start order. This is the one
 * place where the platform is put together; each component decides itself between embedded and external from
 * the configuration.
 */
public final class PlatformAssembly {

    private PlatformAssembly() {
    }

    /**
     * Kafka, topics, Streams, PostgreSQL, (demo: the emulators), Connect, the connectors, the web server. Connect comes
     * after what its connectors use, so that at shutdown (reverse order) its tasks stop and commit before the
     * database and the emulators go away.
     */
    public static EmbeddedPlatform assemble(PlatformConfig config, Mode mode) {
        NamedQueries queries = namedQueries(config); // before anything starts: a bad file stops the start at once
        EmbeddedPlatform platform = new EmbeddedPlatform(config);
        platform.add(new PortsComponent(config));
        KafkaComponent kafka = platform.add(KafkaComponent.from(config));
        platform.add(TopicsComponent.from(config, kafka));
        StreamsComponent streams = platform.add(new StreamsComponent(kafka::bootstrapServers,
                config.dataDir().resolve("streams"), streamsApps(config, mode)));
        PostgresComponent postgres = platform.add(PostgresComponent.from(config));
        Map<Venue, ConnectorsComponent.VenueFeed> venues = new LinkedHashMap<>();
        VenueSelection.select(config.venues(), config.symbols(), mode == Mode.DEMO,
                config.setting(PlatformConfig.SYMBOLS).source() != PlatformConfig.Source.DEFAULT).forEach((venue, instruments) -> {
            VenueEndpoints endpoints = mode == Mode.DEMO
                    ? platform.add(new VenueEmulatorComponent(venue, instruments, config.demoTradesPerSecond(),
                            venue == Venue.BINANCE ? config.demoEmulatorPort() : 0))
                    : VenueEndpoints.of(config.websocketUrl(venue).orElse(null), config.restUrl(venue).orElse(null));
            venues.put(venue, new ConnectorsComponent.VenueFeed(endpoints, instruments));
        });
        ReferenceSources reference = mode == Mode.DEMO
                ? platform.add(new ReferenceEmulatorComponent())
                        .sources(config.referencePairs(), config.referencePollInterval())
                : new ReferenceSources(config.referencePairs(),
                        () -> config.chainlinkRpcUrl().map(Object::toString).orElse(""), () -> "", () -> "",
                        config.coinGeckoApiKey(), config.referencePollInterval());
        ConnectComponent connect = platform.add(ConnectComponent.from(config, kafka));
        ConnectorsComponent connectors = platform.add(new ConnectorsComponent(connect, postgres, venues, reference,
                config.topics(), config.topicReplicationFactor()));
        platform.add(streams.runningCheck()); // its rebalance overlapped the starts above
        platform.add(new WebComponent(config.webPort(), postgres, connect, connectors::connectors,
                kafka::bootstrapServers, config.topics(), queries, consumerGroups(),
                streams.liveState(config.candleIntervals())));
        return platform;
    }

    /**
     * The consumer groups whose lag the pipeline view reports: the sink connector's (Connect names a sink's group
     * {@code connect-<connector>}) and each Streams application's (its application id).
     */
    static List<String> consumerGroups() {
        return List.of("connect-" + ConnectorsComponent.POSTGRES_SINK, CandleApp.APPLICATION_ID, BboApp.APPLICATION_ID,
                LiquidationStatsApp.APPLICATION_ID, AccuracyApp.APPLICATION_ID);
    }

    /** The built-in named queries and those of {@code queries.file}, checked; a mistake is a configuration error. */
    static NamedQueries namedQueries(PlatformConfig config) {
        try {
            return NamedQueries.load(config.queriesFile(), config.queriesStatementTimeout(), config.queriesMaxRows());
        } catch (QueryFileException e) {
            throw new ConfigException(e.getMessage() + " (" + PlatformConfig.settingHint(PlatformConfig.QUERIES_FILE)
                    + " = " + config.setting(PlatformConfig.QUERIES_FILE).raw() + ", from "
                    + config.setting(PlatformConfig.QUERIES_FILE).origin() + ")");
        }
    }

    /** The Streams applications: candles, consolidated BBO + index, liquidation statistics, oracle accuracy. */
    static List<StreamsComponent.App> streamsApps(PlatformConfig config, Mode mode) {
        Topics topics = config.topics();
        // demo's oracle emulator beats every 60 s; a real Chainlink feed every hour (or as configured).
        Duration heartbeat = config.accuracyHeartbeat(mode == Mode.DEMO
                ? ReferenceEmulatorComponent.HEARTBEAT : config.accuracyHeartbeat());
        return List.of(
                new StreamsComponent.App(StreamsComponent.CANDLES,
                        CandleTopology.buildTopology(topics, config.candleIntervals(), config.candleGrace()),
                        (bootstrap, dir) -> CandleApp.properties(bootstrap, dir, topics)),
                new StreamsComponent.App(StreamsComponent.BBO,
                        BboTopology.buildTopology(topics, config.bboMaxQuoteAge()),
                        (bootstrap, dir) -> BboApp.properties(bootstrap, dir, topics)),
                new StreamsComponent.App("liquidations",
                        LiquidationStatsTopology.buildTopology(topics, config.candleGrace()),
                        (bootstrap, dir) -> LiquidationStatsApp.properties(bootstrap, dir, topics)),
                new StreamsComponent.App("accuracy",
                        AccuracyTopology.buildTopology(topics, AccuracyTopology.Settings
                                .of(config.accuracyCadence(), config.accuracyThresholdPct(), heartbeat)
                                .withStaleGrace(config.accuracyStaleGrace())
                                .withIndexSymbols(config.accuracyIndexSymbols())
                                .withMaxIndexAge(config.accuracyIndexMaxAge())),
                        (bootstrap, dir) -> AccuracyApp.properties(bootstrap, dir, topics)));
    }
}
