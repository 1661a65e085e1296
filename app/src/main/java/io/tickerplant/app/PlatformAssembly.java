package io.tickerplant.app;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.BinanceEmulatorComponent;
import io.tickerplant.app.platform.ConnectComponent;
import io.tickerplant.app.platform.KafkaComponent;
import io.tickerplant.app.platform.TopicsComponent;
import io.tickerplant.app.platform.ConnectorsComponent;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.PostgresComponent;
import io.tickerplant.app.platform.ReferenceEmulatorComponent;
import io.tickerplant.app.platform.ReferenceSources;
import io.tickerplant.app.platform.StreamsComponent;
import io.tickerplant.app.platform.VenueEndpoints;
import io.tickerplant.app.platform.WebComponent;
import io.tickerplant.model.Instrument;

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
        EmbeddedPlatform platform = new EmbeddedPlatform(config);
        KafkaComponent kafka = platform.add(KafkaComponent.from(config));
        platform.add(TopicsComponent.from(config, kafka));
        StreamsComponent streams = platform.add(StreamsComponent.from(config, kafka));
        PostgresComponent postgres = platform.add(PostgresComponent.from(config));
        VenueEndpoints binance = mode == Mode.DEMO
                ? platform.add(new BinanceEmulatorComponent(
                        config.symbols().stream().map(Instrument::parse).toList(),
                        config.demoTradesPerSecond(), config.demoEmulatorPort()))
                : VenueEndpoints.of(config.binanceWebsocketUrl().orElse(null), config.binanceRestUrl().orElse(null));
        ReferenceSources reference = mode == Mode.DEMO
                ? platform.add(new ReferenceEmulatorComponent())
                        .sources(config.referencePairs(), config.referencePollInterval())
                : new ReferenceSources(config.referencePairs(),
                        () -> config.chainlinkRpcUrl().map(Object::toString).orElse(""), () -> "", () -> "",
                        config.coinGeckoApiKey(), config.referencePollInterval());
        ConnectComponent connect = platform.add(ConnectComponent.from(config, kafka));
        ConnectorsComponent connectors = platform.add(new ConnectorsComponent(connect, postgres, binance, reference,
                config.symbols(), config.topics(), config.topicReplicationFactor()));
        platform.add(streams.runningCheck()); // its rebalance overlapped the starts above
        platform.add(new WebComponent(config.webPort(), postgres, connect,
                connectors::connectors));
        return platform;
    }
}
