package io.tickerplant.store;

import static io.tickerplant.store.TestTrades.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.store.embedded.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TimescaleDB paths, with a stand-in extension: TimescaleDB itself cannot be installed here, so the server gets
 * an extension named {@code timescaledb} whose {@code create_hypertable} only records the call in
 * {@code timescaledb_information.hypertables}. It runs from its own copy of the binaries, so the stand-in never
 * reaches another server.
 */
class TimescaleDetectionIT {
    @TempDir
    static Path dir;
    @TempDir
    static Path binaries;
    static LocalPostgres pg;
    static int databases;

    @BeforeAll
    static void startWithFakeTimescale() throws IOException {
        pg = LocalPostgres.builder(dir).binariesDirectory(binaries).durable(false).start();
        Path extensions;
        try (Stream<Path> unpacked = Files.list(binaries)) {
            extensions = unpacked.filter(p -> p.getFileName().toString().startsWith("PG-")).findFirst().orElseThrow()
                .resolve("share/postgresql/extension");
        }
        Files.writeString(extensions.resolve("timescaledb.control"), String.join("\n",
            "comment = 'stand-in for TimescaleDB in tests'",
            "default_version = '0.0.0'",
            "relocatable = false",
            ""));
        Files.writeString(extensions.resolve("timescaledb--0.0.0.sql"), String.join("\n",
            // What a real installation says when timescaledb is not in shared_preload_libraries.
            "DO $$ BEGIN",
            "  IF current_setting('test.refuse_timescaledb', true) = 'on' THEN",
            "    RAISE EXCEPTION 'extension \"timescaledb\" must be preloaded';",
            "  END IF;",
            "END $$;",
            "CREATE SCHEMA timescaledb_information;",
            "CREATE TABLE timescaledb_information.hypertables (hypertable_schema name, hypertable_name name,",
            "  time_column name, chunk_interval interval);",
            "CREATE FUNCTION create_hypertable(relation regclass, time_column_name name,",
            "    chunk_time_interval interval DEFAULT NULL, create_default_indexes boolean DEFAULT true,",
            "    if_not_exists boolean DEFAULT false) RETURNS void LANGUAGE sql AS $$",
            "  INSERT INTO timescaledb_information.hypertables",
            "  SELECT n.nspname, c.relname, time_column_name, chunk_time_interval",
            "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = relation",
            "$$;",
            ""));
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void automaticLayoutMakesTradesAHypertableWhenTheExtensionCanBeEnabled() throws SQLException {
        ConnectionFactory db = TestPostgres.freshDatabase(pg, "ts_" + ++databases);
        try (Connection c = db.connect()) {
            StoreSchema.Result r = StoreSchema.migrate(c);

            assertThat(r.layout()).isEqualTo(StorageLayout.TIMESCALE);
            assertThat(StoreSchema.layout(c)).contains(StorageLayout.TIMESCALE);
            assertThat(single(c, "SELECT relkind::text FROM pg_class WHERE relname = 'trades'")).isEqualTo("r");
            assertThat(single(c, "SELECT hypertable_name || ' ' || time_column || ' ' || chunk_interval"
                + " FROM timescaledb_information.hypertables")).isEqualTo("trades event_time 1 day");
            assertThat(StoreSchema.migrate(c).applied()).isEmpty();
        }
    }

    @Test
    void theWriterLeavesChunksToTimescale() throws SQLException {
        ConnectionFactory db = TestPostgres.freshDatabase(pg, "ts_" + ++databases);
        try (Connection c = db.connect(); TradeWriter writer = new TradeWriter(db)) {
            StoreSchema.migrate(c);
            var batch = run("KRAKEN", "BTC-USD", 1, 100, Instant.parse("2024-05-01T23:59:59Z"), Duration.ofMillis(20));

            assertThat(writer.write(batch).inserted()).isEqualTo(100);
            assertThat(writer.write(batch).inserted()).isZero();
            assertThat(TradePartitions.existing(c)).isEmpty();
        }
    }

    @Test
    void fallsBackToPartitionsWhenTheExtensionCannotBeEnabled() throws SQLException {
        ConnectionFactory db = TestPostgres.freshDatabase(pg, "ts_" + ++databases);
        try (Connection c = db.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET test.refuse_timescaledb = on");
            }

            assertThat(StoreSchema.enableTimescale(c)).contains("must be preloaded");
            assertThat(StoreSchema.migrate(c).layout()).isEqualTo(StorageLayout.PARTITIONED);
            assertThat(single(c, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")).isEqualTo("0");
        }
    }

    @Test
    void anExplicitPartitionedLayoutLeavesTheExtensionAlone() throws SQLException {
        ConnectionFactory db = TestPostgres.freshDatabase(pg, "ts_" + ++databases);
        try (Connection c = db.connect()) {
            assertThat(StoreSchema.migrate(c, StorageLayout.PARTITIONED).layout())
                .isEqualTo(StorageLayout.PARTITIONED);
            assertThat(single(c, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")).isEqualTo("0");
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
