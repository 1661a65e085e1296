package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.PostgresComponent;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.store.TradeQueries;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole platform in {@code up} mode pointed at a Binance emulator that the test owns, so the emulator outlives
 * platform restarts and its record of every trade it made is the ground truth. Free ports everywhere.
 */
final class PipelineFixture {

    static final Map<String, String> SYMBOLS = Map.of("BTCUSDT", "BTC-USDT", "ETHUSDT", "ETH-USDT");

    private PipelineFixture() {
    }

    static BinanceEmulator emulator(double tradesPerSecond) {
        // The market opens (openMarket) only once the pipeline listens: a fresh connector starts from "now", so
        // trades made before it connected are rightly not part of what it must deliver.
        BinanceEmulator.Builder b = BinanceEmulator.builder().seed(7).generate(false);
        SYMBOLS.keySet().stream().sorted().forEach(s -> b.symbol(s, tradesPerSecond));
        return b.start();
    }

    static void openMarket(BinanceEmulator emulator) {
        emulator.market().start();
    }

    static void awaitTrades(BinanceEmulator emulator, int perSymbol) {
        await().atMost(Duration.ofSeconds(60)).until(() -> SYMBOLS.keySet().stream()
                .allMatch(s -> emulator.trades(s).size() >= perSymbol));
    }

    static EmbeddedPlatform start(Path dataDir, BinanceEmulator emulator) {
        return start(dataDir, emulator, Map.of());
    }

    /** With extra settings on top of the fixture's, e.g. an external {@code postgres.jdbc.url}. */
    static EmbeddedPlatform start(Path dataDir, BinanceEmulator emulator, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("topic.partitions", "2");
        values.put("symbols", "BTC-USDT,ETH-USDT");
        values.put("venues", "BINANCE"); // the test emulates Binance only; never reach real venues
        values.put("binance.websocket.url", emulator.websocketUri().toString());
        values.put("binance.rest.url", emulator.restUri().toString());
        // Tests send nothing off this machine: no reference sources (their defaults are public APIs).
        values.put("reference.pairs", "");
        values.putAll(extra);
        return startPlatform(dataDir, Mode.UP, values);
    }

    /**
     * {@code demo}, with its own emulators, on free ports, with the given settings on top. Only the Binance emulator
     * unless the settings name {@code venues} (empty for all of them): most tests need one venue, and each venue
     * costs an emulator, a connector and a few seconds on a loaded machine.
     */
    static EmbeddedPlatform startDemo(Path dataDir, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(settings);
        values.putIfAbsent("venues", "BINANCE");
        return startPlatform(dataDir, Mode.DEMO, values);
    }

    /** The assembled platform on free ports in {@code dataDir}, started; closed again if the start fails. */
    private static EmbeddedPlatform startPlatform(Path dataDir, Mode mode, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("data.dir", dataDir.toString());
        values.put("kafka.port", "0");
        values.put("connect.port", "0");
        values.put("postgres.port", "0");
        values.put("web.port", "0");
        values.putAll(settings);
        EmbeddedPlatform platform = PlatformAssembly.assemble(PlatformConfig.of(values), mode);
        try {
            platform.start();
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    static Connection db(EmbeddedPlatform platform) throws Exception {
        return platform.find(PostgresComponent.class).orElseThrow().connect();
    }

    /** Waits until the table holds exactly the emulator's trades, then compares every row's id. */
    static void awaitDatabaseEqualsGroundTruth(EmbeddedPlatform platform, BinanceEmulator emulator) throws Exception {
        try (Connection c = db(platform)) {
            for (Map.Entry<String, String> s : SYMBOLS.entrySet()) {
                List<String> expected = emulator.trades(s.getKey()).stream()
                        .map(EmittedTrade::id).map(String::valueOf).toList();
                assertThat(expected).as("emulator made trades for %s", s.getKey()).isNotEmpty();
                // The same multiset: every trade once, none missing, none extra. On failure the message names the
                // missing and extra ids, which says at once whether the source, the sink or a restart lost them.
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    List<String> stored = TradeQueries.tradeIds(c, "BINANCE", s.getValue());
                    Set<String> missing = new TreeSet<>(expected);
                    missing.removeAll(stored);
                    Set<String> extra = new TreeSet<>(stored);
                    expected.forEach(extra::remove);
                    assertThat(stored).as("%s: %d stored, %d expected, missing %s, extra %s", s.getValue(),
                            stored.size(), expected.size(), missing, extra).containsExactlyInAnyOrderElementsOf(expected);
                });
            }
        }
    }
}
