package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.AlertKind;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AccuracyWriter, AlertWriter and the accuracy_hourly view against a real PostgreSQL. */
class AccuracyWriterIT {

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    AccuracyWriter accuracy;
    AlertWriter alerts;
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
        ConnectionFactory db = TestPostgres.freshDatabase(pg, "accuracy" + databases++);
        sql = db.connect();
        StoreSchema.migrate(sql);
        accuracy = new AccuracyWriter(db);
        alerts = new AlertWriter(db);
    }

    @AfterEach
    void close() throws SQLException {
        accuracy.close();
        alerts.close();
        sql.close();
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2024-05-01T" + hhmmss + "Z");
    }

    /** A round's row (age 0) when {@code eventTime} is {@code updatedAt}, else a cadence re-emission. */
    static Accuracy row(String roundId, String oracle, String apiAverage, String pctDiff, Instant updatedAt,
            Instant eventTime, boolean stale, String... sources) {
        return Accuracy.newBuilder().setSymbol("ETH-USD").setEventTime(eventTime).setOracleSource("CHAINLINK")
            .setRoundId(roundId).setOraclePrice(Decimals.parse(oracle)).setOracleUpdatedAt(updatedAt)
            .setApiAverage(apiAverage == null ? null : Decimals.parse(apiAverage))
            .setApiSources(List.of(sources)).setPctDiff(pctDiff == null ? null : Decimals.parse(pctDiff))
            .setIndexPrice(null).setOracleAgeSeconds(eventTime.getEpochSecond() - updatedAt.getEpochSecond())
            .setStale(stale).build();
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
    void storesAccuracyExactlyAndOnlyOnce() throws SQLException {
        List<Accuracy> batch = List.of(
            row("1208925819614629174706175", "3012.25000000", "3000.25", "0.39996667", at("10:00:00"),
                at("10:00:00"), false, "COINGECKO", "COINPAPRIKA"),
            row("1208925819614629174706175", "3012.25000000", "3000.25", "0.39996667", at("10:00:00"),
                at("10:00:10.123456"), false, "COINGECKO", "COINPAPRIKA"),
            row("1208925819614629174706176", "3013", null, null, at("10:01:00"), at("10:01:00"), false));

        assertThat(accuracy.write(batch)).isEqualTo(new WriteResult(3, 3));
        assertThat(accuracy.write(batch)).isEqualTo(new WriteResult(3, 0));

        assertThat(rows("SELECT round_id, event_time AT TIME ZONE 'UTC', oracle_price, api_average, api_sources,"
            + " pct_diff, index_price, oracle_age_s, stale, oracle_updated_at AT TIME ZONE 'UTC'"
            + " FROM accuracy ORDER BY event_time"))
            .containsExactly(
                "1208925819614629174706175 2024-05-01 10:00:00 3012.25000000 3000.25 {COINGECKO,COINPAPRIKA}"
                    + " 0.39996667 null 0 f 2024-05-01 10:00:00",
                "1208925819614629174706175 2024-05-01 10:00:10.123456 3012.25000000 3000.25 {COINGECKO,COINPAPRIKA}"
                    + " 0.39996667 null 10 f 2024-05-01 10:00:00",
                "1208925819614629174706176 2024-05-01 10:01:00 3013 null {} null null 0 f 2024-05-01 10:01:00");
    }

    @Test
    void storesAlertsOnlyOnce() throws SQLException {
        Alert raised = Alert.newBuilder().setSymbol("ETH-USD").setEventTime(at("10:02:10")).setKind(AlertKind.STALE)
            .setActive(true).setDetail("ETH-USD CHAINLINK feed is stale").setValue(Decimals.parse("3670"))
            .setThreshold(Decimals.parse("3660")).build();
        Alert deviation = Alert.newBuilder(raised).setKind(AlertKind.DEVIATION).setValue(Decimals.parse("-1.00100000"))
            .setThreshold(Decimals.parse("1.0")).setDetail("deviates").build();

        assertThat(alerts.write(List.of(raised, deviation))).isEqualTo(new WriteResult(2, 2));
        assertThat(alerts.write(List.of(raised))).isEqualTo(new WriteResult(1, 0));

        assertThat(rows("SELECT kind, active, value, threshold, detail FROM alerts ORDER BY kind"))
            .containsExactly("DEVIATION t -1.00100000 1.0 deviates",
                "STALE t 3670 3660 ETH-USD CHAINLINK feed is stale");
    }

    @Test
    void hourlyAccuracyCountsEachRoundOnceAndShowsTheWorstAndTheOldestAge() throws SQLException {
        accuracy.write(List.of(
            row("101", "3000", "3000", "0.00000000", at("10:05:00"), at("10:05:00"), false, "COINGECKO"),
            // re-emissions of round 101 repeat its pct_diff: they must not weigh in the averages
            row("101", "3000", "3000", "0.00000000", at("10:05:00"), at("10:05:10"), false, "COINGECKO"),
            row("101", "3000", "3000", "0.00000000", at("10:05:00"), at("10:05:20"), false, "COINGECKO"),
            row("102", "3030", "3000", "1.00000000", at("10:30:00"), at("10:30:00"), false, "COINGECKO"),
            row("103", "2970", "3000", "-1.00000000", at("10:50:00"), at("10:50:00"), false, "COINGECKO"),
            row("104", "2990", null, null, at("10:55:00"), at("10:55:00"), false),
            // no round in the 11:00 hour; the feed went stale
            row("104", "2990", null, null, at("10:55:00"), at("11:57:10"), true)));

        assertThat(rows("SELECT symbol, oracle_source, hour AT TIME ZONE 'UTC', rounds, compared_rounds,"
            + " avg_abs_pct_diff::numeric(10,4), avg_pct_diff::numeric(10,4), worst_abs_pct_diff, worst_pct_diff,"
            + " worst_round_id, max_oracle_age_s, stale FROM accuracy_hourly ORDER BY hour"))
            .containsExactly(
                // |0| + |1| + |-1| over 3 compared rounds = 0.6667; the worst tie goes to the earlier round (102)
                "ETH-USD CHAINLINK 2024-05-01 10:00:00 4 3 0.6667 0.0000 1.00000000 1.00000000 102 20 f",
                "ETH-USD CHAINLINK 2024-05-01 11:00:00 0 0 null null null null null 3730 t");
    }

    /** The index comparison is stored; rows on either side of midnight land in their day's partition. */
    @Test
    void storesTheIndexComparisonInTheDailyPartitionOfEachRow() throws SQLException {
        Instant beforeMidnight = Instant.parse("2024-05-01T23:59:59.999999Z");
        Instant afterMidnight = Instant.parse("2024-05-02T00:00:00Z");
        Accuracy withIndex = Accuracy.newBuilder(row("201", "3030", "3000", "1.00000000", beforeMidnight,
                beforeMidnight, false, "COINGECKO")).setIndexSymbol("ETH-USDT")
            .setIndexPrice(Decimals.parse("3015.00")).setIndexTime(beforeMidnight.minusSeconds(2))
            .setPctDiffIndex(Decimals.parse("0.49751244")).build();
        Accuracy withoutIndex = Accuracy.newBuilder(row("202", "2970", "3000", "-1.00000000", afterMidnight,
                afterMidnight, false, "COINGECKO")).setIndexSymbol("ETH-USDT").build();

        assertThat(accuracy.write(List.of(withIndex, withoutIndex))).isEqualTo(new WriteResult(2, 2));
        Alert alert = Alert.newBuilder().setSymbol("ETH-USD").setEventTime(afterMidnight).setKind(AlertKind.DEVIATION)
            .setActive(true).setDetail("deviates").setValue(Decimals.parse("-1")).setThreshold(Decimals.parse("0.5"))
            .build();
        assertThat(alerts.write(List.of(alert))).isEqualTo(new WriteResult(1, 1));

        assertThat(rows("SELECT tableoid::regclass, round_id, index_symbol, index_price,"
            + " index_time AT TIME ZONE 'UTC', pct_diff_index FROM accuracy ORDER BY event_time"))
            .containsExactly("accuracy_p20240501 201 ETH-USDT 3015.00 2024-05-01 23:59:57.999999 0.49751244",
                "accuracy_p20240502 202 ETH-USDT null null null");
        assertThat(rows("SELECT tableoid::regclass FROM alerts")).containsExactly("alerts_p20240502");
        // The writer made the day after each row's day too, so midnight never waits for DDL.
        assertThat(new DailyPartitions("accuracy").existing(sql)).contains(LocalDate.of(2024, 5, 3));
        assertThat(rows("SELECT hour AT TIME ZONE 'UTC', avg_abs_pct_diff_index, worst_pct_diff_index"
            + " FROM accuracy_hourly WHERE rounds > 0 ORDER BY hour"))
            .containsExactly("2024-05-01 23:00:00 0.49751244000000000000 0.49751244",
                "2024-05-02 00:00:00 null null");
    }

    /** The README's "average and worst deviation per pair per hour" query runs as printed and gives the hour's rows. */
    @Test
    void theReadmesHourlyQueryRunsAsDocumented() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        int section = readme.indexOf("### SQL: oracle accuracy");
        assertThat(section).as("README section").isPositive();
        int start = readme.indexOf("```sql\n", section) + "```sql\n".length();
        String query = readme.substring(start, readme.indexOf(";", start));
        accuracy.write(List.of(
            row("101", "3030", "3000", "1.00000000", at("10:05:00"), at("10:05:00"), false, "COINGECKO"),
            row("102", "2985", "3000", "-0.50000000", at("10:35:00"), at("10:35:00"), false, "COINGECKO")));

        assertThat(rows(query)).containsExactly("ETH-USD 2024-05-01 10:00:00+00 2 2 0.7500 1.00000000 101 null null 0 f");
    }
}
