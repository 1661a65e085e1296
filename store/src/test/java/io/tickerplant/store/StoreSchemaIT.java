package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSchemaIT {
    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    ConnectionFactory db;
    Connection c;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start(dir);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        db = TestPostgres.freshDatabase(pg, "schema_" + ++databases);
        c = db.connect();
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void migratingTwiceChangesNothingTheSecondTime() throws SQLException {
        StoreSchema.Result first = StoreSchema.migrate(c);
        List<String> objects = schemaObjects();

        StoreSchema.Result second = StoreSchema.migrate(c);

        assertThat(first.applied()).containsExactly(1, 2, 3, 4, 5, 7);
        assertThat(second.applied()).isEmpty();
        assertThat(second.version()).isEqualTo(first.version()).isEqualTo(7);
        assertThat(schemaObjects()).isEqualTo(objects);
        assertThat(query("SELECT version || ' ' || description FROM schema_version ORDER BY version"))
            .containsExactly("1 trades", "2 candles", "3 reference prices", "4 bbo index", "5 accuracy",
                "7 liquidations funding");
    }

    @Test
    void withoutTimescaleTradesIsRangePartitionedByEventTimeWithItsIndexes() throws SQLException {
        StoreSchema.Result r = StoreSchema.migrate(c);

        assertThat(r.layout()).isEqualTo(StorageLayout.PARTITIONED);
        assertThat(StoreSchema.layout(c)).contains(StorageLayout.PARTITIONED);
        assertThat(query("SELECT pg_get_partkeydef('trades'::regclass)")).containsExactly("RANGE (event_time)");
        assertThat(query("SELECT indexname || ' ' || substring(indexdef from 'USING (.*)$') FROM pg_indexes"
            + " WHERE tablename = 'trades' ORDER BY 1")).containsExactly(
            "trades_event_time_brin brin (event_time)",
            "trades_pkey btree (venue, symbol, event_time, trade_id)",
            "trades_symbol_time_idx btree (symbol, event_time DESC)");
    }

    @Test
    void accuracyAndAlertsAreKeyedSoThatAReplayedRowIsRecognised() throws SQLException {
        StoreSchema.migrate(c);

        assertThat(query("SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
            + " WHERE contype = 'p' AND conrelid IN ('accuracy'::regclass, 'alerts'::regclass) ORDER BY 1"))
            .containsExactly("accuracy PRIMARY KEY (symbol, event_time, round_id)",
                "alerts PRIMARY KEY (symbol, event_time, kind)");
        assertThat(query("SELECT column_name || ' ' || data_type FROM information_schema.columns"
            + " WHERE table_name = 'accuracy' AND column_name IN ('api_sources', 'pct_diff', 'oracle_age_s', 'stale')"
            + " ORDER BY 1"))
            .containsExactly("api_sources ARRAY", "oracle_age_s bigint", "pct_diff numeric", "stale boolean");
        assertThat(query("SELECT to_regclass('accuracy_hourly')::text")).containsExactly("accuracy_hourly");
    }

    @Test
    void bboAndIndexPricesAreKeyedBySymbolAndTimeWithBrinOnTime() throws SQLException {
        StoreSchema.migrate(c);

        assertThat(query("SELECT indexname || ' ' || substring(indexdef from 'USING (.*)$') FROM pg_indexes"
            + " WHERE tablename IN ('bbo', 'index_prices') ORDER BY 1")).containsExactly(
            "bbo_event_time_brin brin (event_time)",
            "bbo_pkey btree (symbol, event_time)",
            "index_prices_event_time_brin brin (event_time)",
            "index_prices_pkey btree (symbol, event_time)");
    }

    @Test
    void theDetectionSaysWhyTimescaleIsNotUsed() throws SQLException {
        assertThat(StoreSchema.enableTimescale(c)).contains("not available");
    }

    @Test
    void requiringTimescaleWhereItIsMissingFailsAndLeavesTheDatabaseUntouched() throws SQLException {
        assertThatThrownBy(() -> StoreSchema.migrate(c, StorageLayout.TIMESCALE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("timescaledb extension is not available");

        assertThat(StoreSchema.version(c)).isZero();
        assertThat(StoreSchema.layout(c)).isEmpty();
        assertThat(c.getAutoCommit()).isTrue();
    }

    @Test
    void anExistingTableKeepsItsLayout() throws SQLException {
        StoreSchema.migrate(c, StorageLayout.PARTITIONED);

        assertThatThrownBy(() -> StoreSchema.migrate(c, StorageLayout.TIMESCALE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already exists with the PARTITIONED layout");
        assertThat(StoreSchema.migrate(c).layout()).isEqualTo(StorageLayout.PARTITIONED);
    }

    @Test
    void concurrentMigrationsApplyEachVersionOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<StoreSchema.Result>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<StoreSchema.Result> migrate = () -> {
                    try (Connection own = db.connect()) {
                        return StoreSchema.migrate(own);
                    }
                };
                results.add(pool.submit(migrate));
            }
            int applied = 0;
            for (Future<StoreSchema.Result> f : results) {
                applied += f.get().applied().size();
            }
            assertThat(applied).isEqualTo(StoreSchema.MIGRATIONS.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsTheCallersAutoCommitSetting() throws SQLException {
        c.setAutoCommit(false);
        StoreSchema.migrate(c);
        assertThat(c.getAutoCommit()).isFalse();
        c.rollback();
        assertThat(StoreSchema.version(c)).isEqualTo(7);
    }

    @Test
    void partitionsCanBeCreatedAheadOnceEach() throws SQLException {
        StoreSchema.migrate(c);
        LocalDate today = LocalDate.of(2030, 1, 30);

        assertThat(TradePartitions.precreate(c, today, 3))
            .containsExactly(today, today.plusDays(1), today.plusDays(2));
        assertThat(TradePartitions.precreate(c, today, 4)).containsExactly(today.plusDays(3));
        assertThat(query("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'trades_p20300131'"))
            .containsExactly("FOR VALUES FROM ('2030-01-31 00:00:00+00') TO ('2030-02-01 00:00:00+00')");
    }

    private List<String> schemaObjects() throws SQLException {
        return query("SELECT relname || ':' || relkind::text FROM pg_class"
            + " WHERE relnamespace = 'public'::regnamespace ORDER BY 1");
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
