package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.store.embedded.LocalPostgres;
import java.math.BigDecimal;
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

class ReferencePriceWriterIT {

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    ReferencePriceWriter writer;
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
        ConnectionFactory db = TestPostgres.freshDatabase(pg, "refprices" + databases++);
        sql = db.connect();
        StoreSchema.migrate(sql);
        writer = new ReferencePriceWriter(db);
    }

    @AfterEach
    void close() throws SQLException {
        writer.close();
        sql.close();
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2024-05-01T" + hhmmss + "Z");
    }

    static ReferencePrice round(String symbol, String roundId, String price, Instant updated) {
        ReferencePrice p = ReferencePrice.newBuilder().setSource("CHAINLINK").setSymbol(symbol)
            .setSourceId("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419").setEventTime(updated)
            .setReceiveTime(updated.plusMillis(1500)).setPrice(Decimals.parse(price)).build();
        p.setRoundId(roundId);
        p.setAnsweredInRound(roundId);
        p.setStartedAt(updated);
        return p;
    }

    static ReferencePrice quote(String source, String symbol, String price, Instant sourceTime) {
        return ReferencePrice.newBuilder().setSource(source).setSymbol(symbol).setSourceId("ethereum")
            .setEventTime(sourceTime).setReceiveTime(sourceTime.plusSeconds(3)).setPrice(Decimals.parse(price))
            .build();
    }

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

    @Test
    void storesRoundsAndQuotesExactlyAndOnlyOnce() throws SQLException {
        List<ReferencePrice> batch = List.of(
            round("ETH-USD", "1208925819614629174706175", "3012.34567890", at("10:05:00")),
            quote("COINGECKO", "ETH-USD", "3012.4519283746012", at("10:04:50")),
            quote("COINPAPRIKA", "ETH-USD", "3011.000000000000", at("10:05:30")));

        assertThat(writer.write(batch)).isEqualTo(new WriteResult(3, 3));
        assertThat(writer.write(batch)).isEqualTo(new WriteResult(3, 0));

        assertThat(rows("SELECT symbol, source, round_id, price, updated_at AT TIME ZONE 'UTC' FROM contract_price"))
            .containsExactly("ETH-USD CHAINLINK 1208925819614629174706175 3012.34567890 2024-05-01 10:05:00");
        assertThat(rows("SELECT source, price FROM api_price ORDER BY source"))
            .containsExactly("COINGECKO 3012.4519283746012", "COINPAPRIKA 3011.000000000000");
    }

    @Test
    void reconnectsAfterTheConnectionWasLost() throws SQLException {
        writer.write(List.of(quote("COINGECKO", "ETH-USD", "3000", at("10:00:00"))));
        try (Statement st = sql.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        writer.write(List.of(quote("COINGECKO", "ETH-USD", "3001", at("10:00:30"))));
        assertThat(rows("SELECT count(*) FROM api_price")).containsExactly("2");
    }

    @Test
    void hourlyDeviationComparesEachRoundWithTheAverageOfTheNearestQuotePerApi() throws SQLException {
        writer.write(List.of(
            // 10:05 round 3000 vs CoinGecko's nearest (10:04:50, 3010; not 10:06, 3020) and Coinpaprika 2990: 0%
            round("ETH-USD", "101", "3000", at("10:05:00")),
            quote("COINGECKO", "ETH-USD", "3010", at("10:04:50")),
            quote("COINGECKO", "ETH-USD", "3020", at("10:06:00")),
            quote("COINPAPRIKA", "ETH-USD", "2990", at("10:05:30")),
            // 10:30 round 3030 vs 3000 and 3000: +1%
            round("ETH-USD", "102", "3030", at("10:30:00")),
            quote("COINGECKO", "ETH-USD", "3000", at("10:29:00")),
            quote("COINPAPRIKA", "ETH-USD", "3000", at("10:31:00")),
            // 10:50 round 2970 vs CoinGecko alone (Coinpaprika's last quote is 19 minutes away): -1%
            round("ETH-USD", "103", "2970", at("10:50:00")),
            quote("COINGECKO", "ETH-USD", "3000", at("10:49:30")),
            // 11:40 round without any quote near it: not compared
            round("ETH-USD", "104", "2900", at("11:40:00"))));

        assertThat(rows("SELECT round_id, api_sources, api_avg::numeric(10,2), pct_diff::numeric(10,4)"
            + " FROM contract_price_deviation ORDER BY round_id"))
            .containsExactly("101 2 3000.00 0.0000", "102 2 3000.00 1.0000", "103 1 3000.00 -1.0000");

        assertThat(rows("SELECT symbol, oracle, hour AT TIME ZONE 'UTC', rounds, avg_abs_pct_diff::numeric(10,4),"
            + " avg_pct_diff::numeric(10,4), worst_abs_pct_diff::numeric(10,4), worst_pct_diff::numeric(10,4)"
            + " FROM contract_price_deviation_hourly"))
            .containsExactly("ETH-USD CHAINLINK 2024-05-01 10:00:00 3 0.6667 0.0000 1.0000 1.0000");
    }

    @Test
    void roundIdsBeyondBigintKeepEveryDigit() throws SQLException {
        writer.write(List.of(round("BTC-USD", "110680464442257320247", "64012.5", at("12:00:00"))));
        try (Statement st = sql.createStatement();
             ResultSet rs = st.executeQuery("SELECT round_id, price FROM contract_price")) {
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualTo(new BigDecimal("110680464442257320247"));
            assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("64012.5"));
        }
    }
}
