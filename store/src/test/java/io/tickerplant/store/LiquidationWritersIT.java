package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.LiquidationStats;
import io.tickerplant.model.avro.Side;
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

/** LiquidationWriter, FundingWriter and LiquidationStatsWriter against a real PostgreSQL. */
class LiquidationWritersIT {

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    ConnectionFactory db;
    Connection sql;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start(dir);
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        db = TestPostgres.freshDatabase(pg, "liquidations" + databases++);
        sql = db.connect();
        StoreSchema.migrate(sql);
    }

    @AfterEach
    void close() throws SQLException {
        sql.close();
    }

    private static final Instant T = Instant.parse("2026-05-01T10:00:01.123456Z");

    private List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = sql.createStatement(); ResultSet rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static Liquidation liquidation(Side side, String price, String qty) {
        return Liquidation.newBuilder().setVenue("BINANCE_FUTURES").setSymbol("BTC-USDT-PERP").setVenueSymbol("BTCUSDT")
                .setEventTime(T).setReceiveTime(T.plusMillis(3)).setSide(side).setPrice(Decimals.parse(price))
                .setQuantity(Decimals.parse(qty)).build();
    }

    @Test
    void liquidationsAreStoredExactlyAndARedeliveryIsSkipped() throws SQLException {
        try (LiquidationWriter w = new LiquidationWriter(db)) {
            w.write(List.of(liquidation(Side.SELL, "60000.10", "0.500"), liquidation(Side.BUY, "60001", "1")));
            w.write(List.of(liquidation(Side.SELL, "60000.10", "0.500")));
        }
        assertThat(rows("select side, price, quantity, event_time = '2026-05-01T10:00:01.123456Z' from liquidations"
                + " order by side")).containsExactly("BUY 60001 1 t", "SELL 60000.10 0.500 t");
    }

    @Test
    void fundingKeepsNullsForWhatTheVenueDidNotSendAndTheLastUpdateOfAnInstantWins() throws SQLException {
        Funding mark = Funding.newBuilder().setVenue("OKX").setSymbol("BTC-USDT-PERP").setVenueSymbol("BTC-USDT-SWAP")
                .setEventTime(T).setReceiveTime(T).setMarkPrice(Decimals.parse("60000.5")).build();
        Funding withRate = Funding.newBuilder(mark).setFundingRate(Decimals.parse("0.0001")).build();
        try (FundingWriter w = new FundingWriter(db)) {
            w.write(List.of(mark));
            w.write(List.of(withRate));
        }
        assertThat(rows("select mark_price, index_price, funding_rate from funding"))
                .containsExactly("60000.5 null 0.0001");
    }

    @Test
    void statsRowsAreUpsertedPerMinuteAndAnOlderUpdateNeverOverwritesANewerOne() throws SQLException {
        Instant minute = Instant.parse("2026-05-01T10:00:00Z");
        LiquidationStats live = LiquidationStats.newBuilder().setSymbol("BTC-USDT-PERP").setBucketStart(minute)
                .setBucketEnd(minute.plusSeconds(60)).setLongCount(1).setLongQuantity(Decimals.parse("0.5"))
                .setLongNotional(Decimals.parse("30000.05")).setShortCount(0).setShortQuantity(Decimals.parse("0"))
                .setShortNotional(Decimals.parse("0")).setVenues(List.of("OKX")).setFinalBar(false)
                .setUpdateTime(minute.plusSeconds(30)).build();
        LiquidationStats fin = LiquidationStats.newBuilder(live).setShortCount(2)
                .setShortQuantity(Decimals.parse("3")).setShortNotional(Decimals.parse("180000"))
                .setVenues(List.of("BYBIT", "OKX")).setFinalBar(true).setUpdateTime(minute.plusSeconds(70)).build();
        try (LiquidationStatsWriter w = new LiquidationStatsWriter(db)) {
            w.write(List.of(live, fin));
            w.write(List.of(live)); // redelivered, older
        }
        assertThat(rows("select long_count, long_notional, short_count, short_notional, venues, final_bar"
                + " from liquidation_stats")).containsExactly("1 30000.05 2 180000 {BYBIT,OKX} t");
    }
}
