package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.ReferenceEmulatorComponent;
import io.tickerplant.emulator.reference.OracleRound;
import io.tickerplant.emulator.reference.ReferenceEmulator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle alerts end to end in demo: a fault made in the reference emulator reaches the {@code alerts} table as a
 * row naming the pair and the reason. DEVIATION: the oracle is skewed away from the APIs (which stay right), so
 * its next round deviates past the threshold. STALE: the oracle's rounds are frozen, so it goes silent past its
 * heartbeat plus grace, and its next round after the thaw clears the alert. The heartbeat, grace and cadence are
 * seconds, not an hour, so that each test takes seconds. Each test uses its own pair.
 */
class AlertsIT {
    private static final BigDecimal THRESHOLD_PCT = new BigDecimal("1.0");

    @TempDir
    static Path dataDir;
    static EmbeddedPlatform platform;
    static ReferenceEmulator emulator;

    @BeforeAll
    static void start() {
        platform = PipelineFixture.startDemo(dataDir, Map.of("demo.trades.per.second", "2",
                "reference.poll.interval", "200ms", "accuracy.cadence", "500ms", "accuracy.heartbeat", "3s",
                "accuracy.stale.grace", "1s", "accuracy.threshold.pct", THRESHOLD_PCT.toPlainString()));
        emulator = platform.find(ReferenceEmulatorComponent.class).orElseThrow().emulator();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    /** A row of {@code alerts}. */
    private record AlertRow(String kind, boolean active, String detail, BigDecimal value, BigDecimal threshold) {
    }

    @Test
    void anOracleSkewedAwayFromTheApisRaisesADeviationAlertNamingThePairAndTheRound() throws Exception {
        String pair = "ETH-USD";
        try (Connection c = PipelineFixture.db(platform)) {
            // The round must have API prices to be compared with: wait until the pair has been compared once.
            await().atMost(Duration.ofSeconds(60)).until(() -> !query(c, "SELECT 1 FROM accuracy WHERE symbol = '"
                    + pair + "' AND pct_diff IS NOT NULL LIMIT 1").isEmpty());

            emulator.skewOracle(pair, 0.05);
            OracleRound skewed = last(pair);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerts(c, pair, "DEVIATION"))
                    .anySatisfy(a -> assertThat(a.active()).isTrue()));
            AlertRow alert = alerts(c, pair, "DEVIATION").stream().filter(AlertRow::active)
                    .filter(a -> a.detail().contains(skewed.roundId().toString())).findFirst().orElseThrow(
                            () -> new AssertionError("no active DEVIATION alert names round " + skewed.roundId()));
            assertThat(alert.detail()).contains(pair, "deviates", "+");
            assertThat(alert.threshold()).isEqualByComparingTo(THRESHOLD_PCT);
            // The alert's value is the round's stored pct_diff, about +5 %: the APIs kept the true price.
            List<String> stored = query(c, "SELECT pct_diff FROM accuracy WHERE symbol = '" + pair
                    + "' AND round_id = " + skewed.roundId() + " AND event_time = oracle_updated_at");
            assertThat(stored).hasSize(1);
            assertThat(alert.value()).isEqualByComparingTo(new BigDecimal(stored.get(0)));
            assertThat(alert.value()).isBetween(new BigDecimal("4.0"), new BigDecimal("6.0"));

            // The same row compares the round with the venues' index (ETH-USDT from the demo's Binance emulator).
            await().atMost(Duration.ofSeconds(30)).until(() -> !query(c, "SELECT 1 FROM accuracy WHERE symbol = '"
                    + pair + "' AND pct_diff_index IS NOT NULL LIMIT 1").isEmpty());
            for (String row : query(c, "SELECT oracle_price || ' ' || index_price || ' ' || pct_diff_index"
                    + " || ' ' || index_symbol FROM accuracy WHERE symbol = '" + pair
                    + "' AND pct_diff_index IS NOT NULL")) {
                String[] f = row.split(" ");
                BigDecimal oracle = new BigDecimal(f[0]);
                BigDecimal index = new BigDecimal(f[1]);
                assertThat(new BigDecimal(f[2])).as(row).isEqualTo(
                        oracle.subtract(index).multiply(BigDecimal.valueOf(100)).divide(index, 8, RoundingMode.HALF_EVEN));
                assertThat(f[3]).isEqualTo("ETH-USDT");
            }
        } finally {
            emulator.skewOracle(pair, 0);
        }
    }

    @Test
    void anOracleWithoutRoundsPastHeartbeatAndGraceRaisesAStaleAlertClearedByItsNextRound() throws Exception {
        String pair = "BTC-USD";
        try (Connection c = PipelineFixture.db(platform)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !query(c, "SELECT 1 FROM accuracy WHERE symbol = '"
                    + pair + "' LIMIT 1").isEmpty());

            emulator.freezeRounds(pair, true);
            OracleRound frozen = last(pair);

            // Heartbeat 3 s + grace 1 s: stale once the frozen round is more than 4 s old.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerts(c, pair, "STALE"))
                    .anySatisfy(a -> {
                        assertThat(a.active()).isTrue();
                        assertThat(a.detail()).contains(pair, "stale", "round " + frozen.roundId());
                        assertThat(a.value()).isGreaterThan(new BigDecimal("4"));
                        assertThat(a.threshold()).isEqualByComparingTo("4");
                    }));
            assertThat(emulator.rounds(pair)).last().isEqualTo(frozen);

            emulator.freezeRounds(pair, false);
            emulator.shock(pair, 0.02); // past the emulator's 0.5 % deviation threshold: a round at once
            OracleRound fresh = last(pair);
            assertThat(fresh.roundId()).isGreaterThan(frozen.roundId());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerts(c, pair, "STALE"))
                    .anySatisfy(a -> {
                        assertThat(a.active()).isFalse();
                        assertThat(a.detail()).contains(pair, "fresh again", "round " + fresh.roundId());
                    }));
        } finally {
            emulator.freezeRounds(pair, false);
        }
    }

    private static OracleRound last(String pair) {
        List<OracleRound> rounds = emulator.rounds(pair);
        return rounds.get(rounds.size() - 1);
    }

    private static List<AlertRow> alerts(Connection c, String pair, String kind) throws Exception {
        List<AlertRow> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT kind, active, detail, value, threshold FROM alerts WHERE symbol = '"
                     + pair + "' AND kind = '" + kind + "' ORDER BY event_time")) {
            while (rs.next()) {
                out.add(new AlertRow(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getBigDecimal(4),
                        rs.getBigDecimal(5)));
            }
        }
        return out;
    }

    private static List<String> query(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
