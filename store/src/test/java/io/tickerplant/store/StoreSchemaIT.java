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

        assertThat(first.applied()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(second.applied()).isEmpty();
        assertThat(second.version()).isEqualTo(first.version()).isEqualTo(7);
        assertThat(schemaObjects()).isEqualTo(objects);
        assertThat(query("SELECT version || ' ' || description FROM schema_version ORDER BY version"))
            .containsExactly("1 trades", "2 candles", "3 reference prices", "4 bbo index", "5 accuracy",
                "6 daily partitions", "7 liquidations funding");
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

    /** V6 on a database holding V5's plain tables: the rows move into daily partitions, keys, indexes and views stay. */
    @Test
    void v6PartitionsTheDerivedTablesByDayAndMovesTheirRows() throws SQLException {
        StoreSchema.migrate(c, StorageLayout.PARTITIONED, 5);
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO contract_price (symbol, source, source_id, round_id, price, updated_at, receive_time)"
                + " VALUES ('ETH-USD', 'CHAINLINK', 'feed', 1, 3001.50, '2026-03-01 23:59:59.999999+00', now()),"
                + " ('ETH-USD', 'CHAINLINK', 'feed', 2, 3002.50, '2026-03-02 00:00:00+00', now())");
            st.execute("INSERT INTO api_price (symbol, source, source_id, price, source_time, receive_time)"
                + " VALUES ('ETH-USD', 'COINGECKO', 'ethereum', 3000.00, '2026-03-01 23:59:00+00', now())");
            st.execute("INSERT INTO accuracy (symbol, event_time, oracle_source, round_id, oracle_price,"
                + " oracle_updated_at, api_average, api_sources, pct_diff, oracle_age_s, stale) VALUES"
                + " ('ETH-USD', '2026-03-01 23:59:59.999999+00', 'CHAINLINK', 1, 3001.50,"
                + " '2026-03-01 23:59:59.999999+00', 3000.00, '{COINGECKO}', 0.05000000, 0, false)");
            st.execute("INSERT INTO alerts (symbol, event_time, kind, active, detail, value, threshold)"
                + " VALUES ('ETH-USD', '2026-03-01 12:00:00+00', 'STALE', true, 'stale', 3700, 3660)");
        }

        assertThat(StoreSchema.migrate(c).applied()).containsExactly(6, 7);

        for (String table : List.of("contract_price", "api_price", "accuracy", "alerts", "bbo", "index_prices")) {
            assertThat(query("SELECT relkind::text FROM pg_class WHERE relname = '" + table + "'"))
                .as(table).containsExactly("p");
        }
        assertThat(query("SELECT pg_get_partkeydef('contract_price'::regclass) || ' '"
            + " || pg_get_partkeydef('api_price'::regclass) || ' ' || pg_get_partkeydef('accuracy'::regclass)"))
            .containsExactly("RANGE (updated_at) RANGE (source_time) RANGE (event_time)");
        // The rows stayed, each in the partition of its UTC day, to the microsecond.
        assertThat(query("SELECT tableoid::regclass || ' ' || round_id || ' ' || price FROM contract_price ORDER BY 1"))
            .containsExactly("contract_price_p20260301 1 3001.50", "contract_price_p20260302 2 3002.50");
        assertThat(query("SELECT tableoid::regclass || ' ' || pct_diff FROM accuracy"))
            .containsExactly("accuracy_p20260301 0.05000000");
        assertThat(query("SELECT tableoid::regclass::text FROM alerts")).containsExactly("alerts_p20260301");
        assertThat(query("SELECT count(*) FROM api_price")).containsExactly("1");
        // Keys (which ON CONFLICT needs) and indexes kept their names; the views work on the partitioned tables.
        assertThat(query("SELECT indexname FROM pg_indexes WHERE tablename IN ('accuracy', 'alerts') ORDER BY 1"))
            .containsExactly("accuracy_event_time_brin", "accuracy_pkey", "accuracy_round_idx", "alerts_event_time_brin",
                "alerts_pkey");
        assertThat(query("SELECT rounds || ' ' || worst_pct_diff FROM accuracy_hourly")).containsExactly("1 0.05000000");
        assertThat(query("SELECT round(pct_diff, 8)::text FROM contract_price_deviation WHERE round_id = 1"))
            .containsExactly("0.05000000");
        // Today and tomorrow exist already, so the first inserts after the migration need no DDL.
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        for (LocalDate day : List.of(today, today.plusDays(1))) {
            assertThat(new DailyPartitions("alerts").existing(c)).contains(day);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO alerts (symbol, event_time, kind, active, detail, value, threshold) VALUES"
                    + " ('BTC-USD', '" + day + " 23:59:59.999999+00', 'DEVIATION', true, 'd', 2, 1)");
            }
            assertThat(query("SELECT tableoid::regclass::text FROM alerts WHERE symbol = 'BTC-USD'"
                + " AND (event_time AT TIME ZONE 'UTC')::date = '" + day + "'")).containsExactly(new DailyPartitions("alerts").name(day));
        }
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
