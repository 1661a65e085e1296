package io.tickerplant.store;

import static io.tickerplant.store.TestTrades.run;
import static io.tickerplant.store.TestTrades.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradeWriterIT {
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00.123456Z");

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    ConnectionFactory db;
    TradeWriter writer;
    Connection sql;

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
        db = TestPostgres.freshDatabase(pg, "writer_" + ++databases);
        sql = db.connect();
        StoreSchema.migrate(sql);
        writer = new TradeWriter(db);
    }

    @AfterEach
    void closeConnections() throws SQLException {
        writer.close();
        sql.close();
    }

    @Test
    void storesEveryFieldExactlyAsTheVenueSentIt() throws SQLException {
        List<Trade> batch = List.of(
            new Trade("KRAKEN", "BTC-USD", "XBT/USD", T0, T0.plusNanos(999_000), "42",
                Decimals.parse("27123.10000000"), Decimals.parse("0.10000000"), Side.BUY),
            new Trade("BINANCE", "BTC-USD", "BTCUSD", T0.plusSeconds(1), T0.plusSeconds(2), "9007199254740993",
                Decimals.parse("-0.5"), Decimals.parse("1.5e-9"), Side.SELL),
            new Trade("OKX", "BTC-USD", "BTC–USD ✓", T0.plusSeconds(2), T0.plusSeconds(2), "a-b-c",
                Decimals.parse("100"), Decimals.parse("0"), Side.UNKNOWN));

        assertThat(writer.write(batch)).isEqualTo(new WriteResult(3, 3));

        List<Trade> stored = TradeQueries.latest(sql, "BTC-USD", 10);
        assertThat(stored).containsExactly(batch.get(2), batch.get(1), batch.get(0));
        assertThat(Decimals.toPlainString(stored.get(2).getSize())).isEqualTo("0.10000000");
    }

    @Test
    void writingTheSameBatchAgainStoresNothingNew() throws SQLException {
        List<Trade> batch = run("BINANCE", "ETH-USDT", 1, 1_000, T0, Duration.ofMillis(7));

        assertThat(writer.write(batch)).isEqualTo(new WriteResult(1_000, 1_000));
        WriteResult again = writer.write(batch);

        assertThat(again.inserted()).isZero();
        assertThat(again.duplicates()).isEqualTo(1_000);
        assertThat(TradeQueries.count(sql)).isEqualTo(1_000);
    }

    @Test
    void aPartlyOverlappingBatchStoresOnlyTheNewTrades() throws SQLException {
        // 30k rows: several COPY chunks per batch
        writer.write(run("COINBASE", "BTC-USD", 1, 30_000, T0, Duration.ofMillis(1)));

        WriteResult overlap = writer.write(
            run("COINBASE", "BTC-USD", 20_001, 30_000, T0.plusSeconds(20), Duration.ofMillis(1)));

        assertThat(overlap).isEqualTo(new WriteResult(30_000, 20_000));
        assertThat(TradeQueries.tradeIds(sql, "COINBASE", "BTC-USD"))
            .containsExactlyElementsOf(LongStream.rangeClosed(1, 50_000).mapToObj(Long::toString).toList());
    }

    @Test
    void writersRacingWithTheSameBatchStoreItOnce() throws Exception {
        List<Trade> batch = run("BINANCE", "BTC-USDT", 1, 20_000, T0, Duration.ofMillis(1));
        List<TradeWriter> writers = List.of(new TradeWriter(db), new TradeWriter(db), new TradeWriter(db));
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try {
            List<Future<WriteResult>> results = new ArrayList<>();
            for (TradeWriter w : writers) {
                results.add(pool.submit(() -> w.write(batch)));
            }
            int inserted = 0;
            for (Future<WriteResult> r : results) {
                inserted += r.get(60, TimeUnit.SECONDS).inserted();
            }

            assertThat(inserted).isEqualTo(20_000);
            assertThat(TradeQueries.count(sql)).isEqualTo(20_000);
        } finally {
            pool.shutdownNow();
            writers.forEach(TradeWriter::close);
        }
    }

    @Test
    void aTradeRepeatedWithinOneBatchIsStoredOnce() throws SQLException {
        Trade t = trade("BYBIT", "SOL-USDT", "7", T0, "20.5", "3", Side.BUY);

        assertThat(writer.write(List.of(t, t, t))).isEqualTo(new WriteResult(3, 1));
    }

    @Test
    void theSameTradeIdOnAnotherVenueOrSymbolIsAnotherTrade() throws SQLException {
        List<Trade> batch = List.of(
            trade("BINANCE", "BTC-USDT", "1", T0, "1", "1", Side.BUY),
            trade("BYBIT", "BTC-USDT", "1", T0, "1", "1", Side.BUY),
            trade("BINANCE", "ETH-USDT", "1", T0, "1", "1", Side.BUY));

        assertThat(writer.write(batch).inserted()).isEqualTo(3);
    }

    @Test
    void aBatchAcrossMidnightGoesIntoTwoDailyPartitions() throws SQLException {
        Instant lastMicroOfDay = Instant.parse("2024-03-01T23:59:59.999999Z");
        List<Trade> batch = List.of(
            trade("KRAKEN", "ETH-USD", "1", lastMicroOfDay, "3000", "1", Side.BUY),
            trade("KRAKEN", "ETH-USD", "2", lastMicroOfDay.plusNanos(1_000), "3001", "1", Side.SELL));

        writer.write(batch);

        assertThat(TradePartitions.existing(sql)).contains(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 2));
        assertThat(rowsPerPartition()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
            "trades_p20240301", 1L, "trades_p20240302", 1L)));
    }

    @Test
    void theFollowingDayIsCreatedAheadSoMidnightFindsItReady() throws SQLException {
        writer.write(List.of(trade("OKX", "BTC-USDT", "1", T0, "1", "1", Side.BUY)));

        assertThat(TradePartitions.existing(sql)).containsExactly(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 2));
    }

    @Test
    void aPartitionDroppedBehindTheWritersBackIsCreatedAgain() throws SQLException {
        List<Trade> batch = run("BITSTAMP", "BTC-USD", 1, 10, T0, Duration.ofSeconds(1));
        writer.write(batch);
        try (Statement st = sql.createStatement()) {
            st.execute("DROP TABLE trades_p20240301");
        }

        assertThat(writer.write(batch)).isEqualTo(new WriteResult(10, 10));
        assertThat(TradeQueries.count(sql)).isEqualTo(10);
    }

    @Test
    void anInvalidTradeIsRejectedBeforeAnythingIsWritten() throws SQLException {
        Trade good = trade("BINANCE", "BTC-USDT", "1", T0, "1", "1", Side.BUY);
        Trade noPrice = trade("BINANCE", "BTC-USDT", "2", T0, "1", "1", Side.BUY);
        noPrice.setPrice(null);
        Trade nul = trade("BINANCE", "BTC-USDT", "3\0", T0, "1", "1", Side.BUY);

        InvalidTradeException e = catchThrowableOfType(InvalidTradeException.class,
            () -> writer.write(List.of(good, noPrice)));
        assertThat(e.index()).isEqualTo(1);
        assertThat(e).hasMessageContaining("price is missing");
        assertThat(TradeWriter.problemWith(nul)).contains("NUL");
        assertThat(TradeQueries.count(sql)).isZero();

        assertThat(writer.write(List.of(good)).inserted()).isEqualTo(1);
    }

    @Test
    void aLostConnectionIsRetriableAndTheWriterReconnectsByItself() throws SQLException {
        writer.write(run("COINBASE", "ETH-USD", 1, 100, T0, Duration.ofMillis(10)));
        List<Trade> next = run("COINBASE", "ETH-USD", 101, 100, T0.plusSeconds(1), Duration.ofMillis(10));
        try (Statement st = sql.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }

        SQLException lost = catchThrowableOfType(SQLException.class, () -> writer.write(next));
        assertThat(SqlErrors.isRetriable(lost)).as(SqlErrors.describe(lost)).isTrue();

        assertThat(writer.write(next)).isEqualTo(new WriteResult(100, 100));
        assertThat(TradeQueries.count(sql)).isEqualTo(200);
    }

    @Test
    void aConstraintViolationFailsTheWholeBatchAndIsNotRetriable() throws SQLException {
        try (Statement st = sql.createStatement()) {
            st.execute("ALTER TABLE trades ADD CONSTRAINT positive_price CHECK (price > 0)");
        }
        List<Trade> batch = List.of(
            trade("BINANCE", "BTC-USDT", "1", T0, "1", "1", Side.BUY),
            trade("BINANCE", "BTC-USDT", "2", T0, "-1", "1", Side.BUY));

        SQLException e = catchThrowableOfType(SQLException.class, () -> writer.write(batch));

        assertThat(e.getSQLState()).isEqualTo("23514");
        assertThat(SqlErrors.isRetriable(e)).isFalse();
        assertThat(TradeQueries.count(sql)).isZero();
        assertThat(writer.write(batch.subList(0, 1)).inserted()).isEqualTo(1);
    }

    @Test
    void anEmptyBatchTouchesNothing() throws SQLException {
        assertThat(writer.write(List.of())).isEqualTo(new WriteResult(0, 0));
    }

    @Test
    void refusesToWriteBeforeTheSchemaExists() throws SQLException {
        ConnectionFactory empty = TestPostgres.freshDatabase(pg, "writer_unmigrated");
        try (TradeWriter w = new TradeWriter(empty)) {
            assertThatThrownBy(() -> w.write(List.of(trade("OKX", "BTC-USDT", "1", T0, "1", "1", Side.BUY))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StoreSchema.migrate");
        }
    }

    @Test
    void latestTradesAreNewestFirstAcrossVenuesAndLimited() throws SQLException {
        writer.write(run("BINANCE", "BTC-USDT", 1, 5, T0, Duration.ofSeconds(2)));
        writer.write(run("OKX", "BTC-USDT", 100, 5, T0.plusSeconds(1), Duration.ofSeconds(2)));
        writer.write(run("OKX", "ETH-USDT", 1, 5, T0.plusSeconds(60), Duration.ofSeconds(2)));

        List<Trade> latest = TradeQueries.latest(sql, "BTC-USDT", 3);

        assertThat(latest).extracting(t -> t.getVenue() + ":" + t.getTradeId())
            .containsExactly("OKX:104", "BINANCE:5", "OKX:103");
        assertThat(TradeQueries.count(sql, "OKX", "BTC-USDT")).isEqualTo(5);
    }

    @Test
    void tradesInTheSameMillisecondAreNewestFirstByNumericId() throws SQLException {
        writer.write(List.of(trade("BINANCE", "SOL-USDT", "9", T0, "1", "1", Side.BUY),
            trade("BINANCE", "SOL-USDT", "10", T0, "1", "1", Side.BUY),
            trade("BINANCE", "SOL-USDT", "11", T0, "1", "1", Side.BUY)));

        assertThat(TradeQueries.latest(sql, "SOL-USDT", 3)).extracting(Trade::getTradeId)
            .containsExactly("11", "10", "9");
    }

    private Map<String, Long> rowsPerPartition() throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Statement st = sql.createStatement();
             ResultSet rs = st.executeQuery("SELECT tableoid::regclass::text, count(*) FROM trades GROUP BY 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
