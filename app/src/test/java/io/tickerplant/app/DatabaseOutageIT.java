package io.tickerplant.app;

import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.store.embedded.LocalPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL going away mid-stream and coming back loses nothing and duplicates nothing: the sink keeps the batch,
 * Connect redelivers it until the database takes it, and offsets are committed only after. The database is an
 * "external" one the test owns, so it can be stopped and started under the running platform.
 */
class DatabaseOutageIT {

    @TempDir
    Path dataDir;

    @TempDir
    Path dbDir;

    @Test
    void aDatabaseRestartMidStreamStillStoresExactlyTheGroundTruth() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // fixed, so that the restarted server is where the sink looks
        }
        LocalPostgres db = LocalPostgres.builder(dbDir).port(port).start();
        try (BinanceEmulator emulator = PipelineFixture.emulator(150);
             EmbeddedPlatform platform = PipelineFixture.start(dataDir, emulator,
                     Map.of("postgres.jdbc.url", db.jdbcUrl() + "?user=" + db.user()))) {
            PipelineFixture.openMarket(emulator);
            PipelineFixture.awaitTrades(emulator, 300);
            db.close();
            PipelineFixture.awaitTrades(emulator, 600); // the sink fails and retries meanwhile
            db = LocalPostgres.builder(dbDir).port(port).start();
            PipelineFixture.awaitTrades(emulator, 800);
            emulator.pause();
            PipelineFixture.awaitDatabaseEqualsGroundTruth(platform, emulator);
        } finally {
            db.close();
        }
    }
}
