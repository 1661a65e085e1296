package io.tickerplant.app;

import static org.awaitility.Awaitility.await;

import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.emulator.binance.BinanceEmulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the platform mid-stream and starting it again on the same data directory loses nothing and duplicates
 * nothing: the source resumes after its last committed trade id and recovers what the market traded meanwhile,
 * and whatever was sent twice is absorbed by the table's key.
 */
class RestartIT {

    @TempDir
    Path dataDir;

    @Test
    void restartMidStreamStillStoresExactlyTheGroundTruth() throws Exception {
        try (BinanceEmulator emulator = PipelineFixture.emulator(200)) {
            EmbeddedPlatform first = PipelineFixture.start(dataDir, emulator);
            try {
                PipelineFixture.openMarket(emulator);
                awaitTrades(emulator, 400);
            } finally {
                first.close(); // mid-stream: the market keeps trading
            }
            awaitTrades(emulator, 700);
            try (EmbeddedPlatform second = PipelineFixture.start(dataDir, emulator)) {
                awaitTrades(emulator, 1000);
                emulator.pause();
                PipelineFixture.awaitDatabaseEqualsGroundTruth(second, emulator);
            }
        }
    }

    private static void awaitTrades(BinanceEmulator emulator, int perSymbol) {
        await().atMost(Duration.ofSeconds(60)).until(() -> PipelineFixture.SYMBOLS.keySet().stream()
                .allMatch(s -> emulator.trades(s).size() >= perSymbol));
    }
}
