package io.tickerplant.app;


import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.emulator.binance.BinanceEmulator;
import java.nio.file.Path;
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
                PipelineFixture.awaitTrades(emulator, 400);
            } finally {
                first.close(); // mid-stream: the market keeps trading
            }
            PipelineFixture.awaitTrades(emulator, 700);
            try (EmbeddedPlatform second = PipelineFixture.start(dataDir, emulator)) {
                PipelineFixture.awaitTrades(emulator, 1000);
                emulator.pause();
                PipelineFixture.awaitDatabaseEqualsGroundTruth(second, emulator);
            }
        }
    }
}
