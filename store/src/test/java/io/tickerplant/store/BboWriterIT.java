package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.VenueDeviation;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BboWriter} and {@link IndexPriceWriter}: one server, as both write the tables of migration V4. */
class BboWriterIT {
    private static final Instant T = Instant.parse("2026-03-02T10:00:00.123456Z");

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    ConnectionFactory db;
    BboWriter bbos;
    IndexPriceWriter indexes;
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
        db = TestPostgres.freshDatabase(pg, "bbo_" + ++databases);
        sql = db.connect();
        StoreSchema.migrate(sql);
        bbos = new BboWriter(db);
        indexes = new IndexPriceWriter(db);
    }

    @AfterEach
    void closeConnections() throws SQLException {
        bbos.close();
        indexes.close();
        sql.close();
    }

    static Bbo bbo(Instant at, String bestBid) {
        return Bbo.newBuilder().setSymbol("BTC-USDT").setEventTime(at)
            .setBestBid(Decimals.parse(bestBid)).setBestBidSize(Decimals.parse("1.50000000")).setBestBidVenue("BINANCE")
            .setBestAsk(Decimals.parse("100.20")).setBestAskSize(Decimals.parse("2.5")).setBestAskVenue("KRAKEN")
            .setSpread(Decimals.parse("0.10")).setSpreadBps(9.985).setCrossed(false)
            .setVenues(List.of("BINANCE", "KRAKEN")).setExcluded(List.of("OKX: DISCONNECTED (connection)")).build();
    }

    static IndexPrice index(Instant at, String price) {
        return IndexPrice.newBuilder().setSymbol("BTC-USDT").setEventTime(at).setPrice(Decimals.parse(price))
            .setMethod("median-mid").setVenues(List.of("BINANCE", "KRAKEN"))
            .setDeviations(List.of(new VenueDeviation("BINANCE", Decimals.parse("100.015"), 2.4996875390576178),
                new VenueDeviation("KRAKEN", Decimals.parse("100.010"), -2.4996875390576178)))
            .setExcluded(List.of()).build();
    }

    @Test
    void storesEveryFieldOfABboExactly() throws SQLException {
        assertThat(bbos.write(List.of(bbo(T, "100.10"))).inserted()).isEqualTo(1);

        assertThat(rows("SELECT symbol, event_time, best_bid, best_bid_size, best_bid_venue, best_ask, best_ask_size,"
            + " best_ask_venue, spread, spread_bps, crossed, venues, excluded FROM bbo")).containsExactly(
            String.join("|", "BTC-USDT", "2026-03-02 10:00:00.123456+00", "100.10", "1.50000000", "BINANCE",
                "100.20", "2.5", "KRAKEN", "0.10", "9.985", "f", "{BINANCE,KRAKEN}",
                "{\"OKX: DISCONNECTED (connection)\"}"));
    }

    @Test
    void aBboWithAnEmptySideIsStoredWithNulls() throws SQLException {
        Bbo empty = Bbo.newBuilder(bbo(T, "1")).setBestBid(null).setBestBidSize(null).setBestBidVenue(null)
            .setSpread(null).setSpreadBps(null).setVenues(List.of("KRAKEN")).build();

        bbos.write(List.of(empty));

        assertThat(rows("SELECT coalesce(best_bid::text, 'null'), coalesce(spread_bps::text, 'null'), best_ask"
            + " FROM bbo")).containsExactly("null|null|100.20");
    }

    @Test
    void theLastBboAtAnInstantWinsAndARedeliveredBatchChangesNothing() throws SQLException {
        List<Bbo> batch = List.of(bbo(T, "100.10"), bbo(T.plusNanos(1_000), "100.11"), bbo(T, "100.12"));

        bbos.write(batch);
        List<String> before = rows("SELECT event_time, best_bid FROM bbo ORDER BY 1");
        bbos.write(batch);

        assertThat(before).containsExactly("2026-03-02 10:00:00.123456+00|100.12",
            "2026-03-02 10:00:00.123457+00|100.11");
        assertThat(rows("SELECT event_time, best_bid FROM bbo ORDER BY 1")).isEqualTo(before);
    }

    @Test
    void anInvalidBboIsRejectedBeforeAnythingIsWritten() throws SQLException {
        Bbo nul = bbo(T.plusSeconds(1), "1");
        nul.setSymbol("BTC\0");

        assertThatThrownBy(() -> bbos.write(List.of(bbo(T, "1"), nul)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#1").hasMessageContaining("NUL");
        assertThat(BboWriter.problemWith(bbo(T, "1"))).isNull();
        assertThat(rows("SELECT count(*) FROM bbo")).containsExactly("0");
    }

    @Test
    void storesAnIndexPriceWithItsDeviationsAsJson() throws SQLException {
        assertThat(indexes.write(List.of(index(T, "100.0125"))).inserted()).isEqualTo(1);

        assertThat(rows("SELECT symbol, event_time, price, method, venues, excluded,"
            + " deviations->'BINANCE'->>'mid', deviations->'KRAKEN'->>'mid'"
            + " FROM index_prices")).containsExactly(String.join("|", "BTC-USDT", "2026-03-02 10:00:00.123456+00",
            "100.0125", "median-mid", "{BINANCE,KRAKEN}", "{}", "100.015", "100.010"));
        try (Statement st = sql.createStatement();
             ResultSet rs = st.executeQuery("SELECT (deviations->'KRAKEN'->>'bps')::float8 FROM index_prices")) {
            rs.next();
            assertThat(rs.getDouble(1)).as("the same double, whatever its text").isEqualTo(-2.4996875390576178);
        }
    }

    @Test
    void anIndexWithoutPriceIsStored() throws SQLException {
        IndexPrice none = IndexPrice.newBuilder(index(T, "1")).setPrice(null).setVenues(List.of())
            .setDeviations(List.of()).setExcluded(List.of("KRAKEN: no quote for more than 10000 ms")).build();

        indexes.write(List.of(none));

        assertThat(rows("SELECT coalesce(price::text, 'null'), deviations::text, excluded FROM index_prices"))
            .containsExactly("null|{}|{\"KRAKEN: no quote for more than 10000 ms\"}");
    }

    @Test
    void theLastIndexAtAnInstantWins() throws SQLException {
        indexes.write(List.of(index(T, "100.0125")));

        assertThat(indexes.write(List.of(index(T, "100.5"))).inserted()).isEqualTo(1);

        assertThat(rows("SELECT price FROM index_prices")).containsExactly("100.5");
    }

    @Test
    void aLostConnectionIsRetriableAndTheWriterReconnectsByItself() throws SQLException {
        bbos.write(List.of(bbo(T, "100.10")));
        try (Statement st = sql.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }

        // The writer notices the dead connection before the batch, so the batch itself succeeds.
        assertThat(bbos.write(List.of(bbo(T.plusSeconds(1), "100.11"))).inserted()).isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM bbo")).containsExactly("2");
    }

    @Test
    void aDatabaseErrorRollsBackTheWholeBatch() throws SQLException {
        try (Statement st = sql.createStatement()) {
            st.execute("ALTER TABLE bbo ADD CONSTRAINT bid_below_200 CHECK (best_bid < 200)");
        }

        SQLException e = catchThrowableOfType(SQLException.class,
            () -> bbos.write(List.of(bbo(T, "100.10"), bbo(T.plusSeconds(1), "300"))));

        assertThat(SqlErrors.isRetriable(e)).isFalse();
        assertThat(rows("SELECT count(*) FROM bbo")).containsExactly("0");
        assertThat(bbos.write(List.of(bbo(T, "100.10"))).inserted()).isEqualTo(1);
    }

    @Test
    void refusesToWriteBeforeTheSchemaExists() throws SQLException {
        ConnectionFactory empty = TestPostgres.freshDatabase(pg, "bbo_unmigrated");
        try (IndexPriceWriter w = new IndexPriceWriter(empty)) {
            assertThatThrownBy(() -> w.write(List.of(index(T, "1"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("StoreSchema.migrate");
        }
    }

    @Test
    void anEmptyBatchTouchesNothing() throws SQLException {
        assertThat(bbos.write(List.of()).offered()).isZero();
        assertThat(indexes.write(List.of()).offered()).isZero();
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
