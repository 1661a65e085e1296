package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandleWriterIT {
    private static final Instant BUCKET = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant UPDATED = Instant.parse("2026-03-02T10:00:30.000001Z");

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    ConnectionFactory db;
    CandleWriter writer;
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
        db = TestPostgres.freshDatabase(pg, "candles_" + ++databases);
        sql = db.connect();
        StoreSchema.migrate(sql);
        writer = new CandleWriter(db);
    }

    @AfterEach
    void closeConnections() throws SQLException {
        writer.close();
        sql.close();
    }

    /** A 1m BINANCE BTC-USDT bar at {@link #BUCKET} with {@code count} trades, updated {@code updatedLater} after {@link #UPDATED}. */
    static Candle bar(String venue, Instant bucket, long count, Duration updatedLater, boolean isFinal) {
        return Candle.newBuilder().setVenue(venue).setSymbol("BTC-USDT").setInterval("1m")
            .setBucketStart(bucket).setBucketEnd(bucket.plusSeconds(60))
            .setOpen(Decimals.parse("60000.10000000")).setHigh(Decimals.parse("60010.00000000"))
            .setLow(Decimals.parse("59990.01000000")).setClose(Decimals.parse("60000." + count + "0000000"))
            .setVolume(Decimals.parse(count + ".00000001")).setBuyVolume(Decimals.parse("1.00000000"))
            .setSellVolume(Decimals.parse("0.00000000")).setQuoteVolume(Decimals.parse("78170.0506"))
            .setTradeCount(count).setVwap(Decimals.parse("59992.364236377590"))
            .setFirstTradeTime(bucket.plusMillis(1_001)).setLastTradeTime(bucket.plusNanos(59_999_999_000L))
            .setFinalBar(isFinal).setUpdateTime(UPDATED.plus(updatedLater)).build();
    }

    static Candle bar(long count, Duration updatedLater, boolean isFinal) {
        return bar("BINANCE", BUCKET, count, updatedLater, isFinal);
    }

    @Test
    void storesEveryFieldOfABarExactly() throws SQLException {
        Candle c = bar(4, Duration.ZERO, false);

        assertThat(writer.write(List.of(c))).isEqualTo(1);

        assertThat(rows("SELECT venue, symbol, interval, bucket_start, bucket_end, open, high, low, close, volume,"
            + " buy_volume, sell_volume, quote_volume, trade_count, vwap, first_trade_time, last_trade_time, final,"
            + " update_time FROM candles")).containsExactly(String.join("|", "BINANCE", "BTC-USDT", "1m",
            "2026-03-02 10:00:00+00", "2026-03-02 10:01:00+00", "60000.10000000", "60010.00000000",
            "59990.01000000", "60000.40000000", "4.00000001", "1.00000000", "0.00000000", "78170.0506", "4",
            "59992.364236377590", "2026-03-02 10:00:01.001+00", "2026-03-02 10:00:59.999999+00", "f",
            "2026-03-02 10:00:30.000001+00"));
    }

    @Test
    void aNewerUpdateOfABarReplacesItsRow() throws SQLException {
        writer.write(List.of(bar(1, Duration.ZERO, false)));

        assertThat(writer.write(List.of(bar(2, Duration.ofMillis(1), true)))).isEqualTo(1);

        assertThat(rows("SELECT trade_count, close, final FROM candles")).containsExactly("2|60000.20000000|t");
    }

    @Test
    void anOlderUpdateNeverReplacesANewerOne() throws SQLException {
        writer.write(List.of(bar(3, Duration.ofSeconds(1), true)));

        assertThat(writer.write(List.of(bar(2, Duration.ZERO, false)))).isZero();

        assertThat(rows("SELECT trade_count, final FROM candles")).containsExactly("3|t");
    }

    @Test
    void theSameUpdateWrittenAgainLeavesTheRowAsItWas() throws SQLException {
        List<Candle> batch = List.of(bar(3, Duration.ZERO, true));
        writer.write(batch);
        List<String> before = rows("SELECT * FROM candles");

        writer.write(batch);

        assertThat(rows("SELECT * FROM candles")).isEqualTo(before);
    }

    @Test
    void withinABatchTheNewestUpdateOfEachBarWinsWhateverTheOrder() throws SQLException {
        Instant next = BUCKET.plusSeconds(60);
        List<Candle> batch = List.of(
            bar(5, Duration.ofMillis(5), true),
            bar(3, Duration.ofMillis(3), false),
            bar("ALL", BUCKET, 7, Duration.ZERO, false),
            bar("BINANCE", next, 1, Duration.ofMillis(1), false),
            bar(4, Duration.ofMillis(4), false),
            bar("BINANCE", next, 2, Duration.ofMillis(2), false));

        assertThat(writer.write(batch)).isEqualTo(3);

        assertThat(rows("SELECT venue, bucket_start, trade_count, final FROM candles ORDER BY 1, 2")).containsExactly(
            "ALL|2026-03-02 10:00:00+00|7|f",
            "BINANCE|2026-03-02 10:00:00+00|5|t",
            "BINANCE|2026-03-02 10:01:00+00|2|f");
    }

    @Test
    void updatesWithTheSameTimeGoToTheLaterRecord() throws SQLException {
        assertThat(writer.write(List.of(bar(1, Duration.ZERO, false), bar(1, Duration.ZERO, true)))).isEqualTo(1);

        assertThat(rows("SELECT final FROM candles")).containsExactly("t");
    }

    @Test
    void aBarWithoutVolumeIsStoredWithoutVwap() throws SQLException {
        Candle c = bar(1, Duration.ZERO, false);
        c.setVwap(null);

        writer.write(List.of(c));

        assertThat(rows("SELECT coalesce(vwap::text, 'null') FROM candles")).containsExactly("null");
    }

    @Test
    void anInvalidBarIsRejectedBeforeAnythingIsWritten() throws SQLException {
        Candle noClose = bar(1, Duration.ZERO, false);
        noClose.setClose(null);

        assertThatThrownBy(() -> writer.write(List.of(bar("ALL", BUCKET, 1, Duration.ZERO, false), noClose)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#1").hasMessageContaining("close");
        assertThat(CandleWriter.problemWith(bar(1, Duration.ZERO, false))).isNull();
        assertThat(rows("SELECT count(*) FROM candles")).containsExactly("0");
    }

    @Test
    void aLostConnectionIsRetriableAndTheWriterReconnectsByItself() throws SQLException {
        writer.write(List.of(bar(1, Duration.ZERO, false)));
        try (Statement st = sql.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        List<Candle> next = List.of(bar(2, Duration.ofMillis(1), false));

        SQLException lost = catchThrowableOfType(SQLException.class, () -> writer.write(next));
        assertThat(SqlErrors.isRetriable(lost)).as(SqlErrors.describe(lost)).isTrue();

        assertThat(writer.write(next)).isEqualTo(1);
        assertThat(rows("SELECT trade_count FROM candles")).containsExactly("2");
    }

    @Test
    void refusesToWriteBeforeTheSchemaExists() throws SQLException {
        ConnectionFactory empty = TestPostgres.freshDatabase(pg, "candles_unmigrated");
        try (CandleWriter w = new CandleWriter(empty)) {
            assertThatThrownBy(() -> w.write(List.of(bar(1, Duration.ZERO, false))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StoreSchema.migrate");
        }
    }

    @Test
    void anEmptyBatchTouchesNothing() throws SQLException {
        assertThat(writer.write(List.of())).isZero();
    }

    private List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = sql.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = st.executeQuery(query)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cols = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        cols.add(rs.getString(i));
                    }
                    out.add(String.join("|", cols));
                }
            }
        }
        return out;
    }
}
