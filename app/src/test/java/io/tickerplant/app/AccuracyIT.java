package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.ReferenceEmulatorComponent;
import io.tickerplant.emulator.reference.OracleRound;
import io.tickerplant.emulator.reference.ReferenceEmulator;
import io.tickerplant.emulator.reference.ReferenceSourceId;
import io.tickerplant.emulator.reference.ServedPrice;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle accuracy end to end in demo: the reference emulators -> connectors -> tp.refprices -> the accuracy topology
 * -> tp.accuracy -> sink -> {@code accuracy}, each round's stored pct_diff equal, to the last of its 8 decimals, to
 * one computed here from the emulator's ground truth: the round it made and the API prices it served (the prices
 * the platform could have seen when the round arrived).
 */
class AccuracyIT {
    /** The topology's default: API prices older than this before a round are not compared with it. */
    private static final Duration MAX_API_AGE = Duration.ofMinutes(10);
    private static final String PAIR = "ETH-USD";

    @TempDir
    static Path dataDir;
    static EmbeddedPlatform platform;
    static ReferenceEmulator emulator;

    @BeforeAll
    static void start() {
        platform = PipelineFixture.startDemo(dataDir,
                Map.of("demo.trades.per.second", "2", "reference.poll.interval", "200ms"));
        emulator = platform.find(ReferenceEmulatorComponent.class).orElseThrow().emulator();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    /** A row of {@code accuracy}. */
    private record Row(String roundId, Instant eventTime, Instant updatedAt, BigDecimal oraclePrice,
                       BigDecimal apiAverage, List<String> apiSources, BigDecimal pctDiff, long ageSeconds) {
    }

    @Test
    void eachRoundsDeviationEqualsOneComputedFromTheEmulatorsGroundTruth() throws Exception {
        try (Connection c = PipelineFixture.db(platform)) {
            // Let both APIs be polled first, so that the forced rounds have something to be compared with.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    served(ReferenceSourceId.COINGECKO).size() > 0 && served(ReferenceSourceId.COINPAPRIKA).size() > 0);
            List<String> forced = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // A 2% move makes the oracle start a round (its deviation threshold is 0.5%).
                emulator.shock(PAIR, i % 2 == 0 ? 0.02 : -0.02);
                List<OracleRound> rounds = emulator.rounds(PAIR);
                String id = rounds.get(rounds.size() - 1).roundId().toString();
                forced.add(id);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(roundRows(c)).extracting(Row::roundId).contains(id));
            }

            Map<String, OracleRound> made = new HashMap<>();
            emulator.rounds(PAIR).forEach(r -> made.put(r.roundId().toString(), r));
            List<Row> rows = roundRows(c);
            assertThat(rows).extracting(Row::roundId).containsAll(forced);
            for (Row row : rows) {
                OracleRound round = made.get(row.roundId());
                assertThat(round).as("round %s was made by the emulator", row.roundId()).isNotNull();
                assertThat(row.oraclePrice()).isEqualByComparingTo(round.price());
                assertThat(row.updatedAt()).isEqualTo(round.updatedAt());
                assertThat(row.ageSeconds()).isZero();
                if (forced.contains(row.roundId())) {
                    assertThat(row.apiSources()).as("APIs compared with forced round %s", row.roundId())
                            .containsExactly("COINGECKO", "COINPAPRIKA");
                }
                if (row.pctDiff() != null) {
                    assertThat(explanations(row, round)).as("API prices served that give round %s's %s %%",
                            row.roundId(), row.pctDiff()).isNotEmpty();
                }
            }

            // The cadence re-publishes the latest round (the emulator may have made more since) with its age.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<String, BigDecimal> perRound = new HashMap<>();
                roundRows(c).forEach(r -> perRound.put(r.roundId(), r.pctDiff()));
                List<Row> again = rows(c, "event_time > oracle_updated_at");
                assertThat(again).isNotEmpty().allSatisfy(r -> {
                    assertThat(perRound).containsKey(r.roundId());
                    assertThat(r.pctDiff()).isEqualTo(perRound.get(r.roundId()));
                    assertThat(r.ageSeconds()).isEqualTo(
                            Math.floorDiv(Duration.between(r.updatedAt(), r.eventTime()).toMillis(), 1000L));
                });
            });
        }
    }

    /**
     * The combinations of one served price per listed API source that give the row's average and pct_diff exactly,
     * computed here by the rule the issue states: mean of the prices, then (oracle - mean) / mean * 100 rounded
     * HALF_EVEN to 8 decimals. A source's candidates are the distinct prices it served for the pair with a source
     * time at most {@link #MAX_API_AGE} before the round.
     */
    private static List<List<BigDecimal>> explanations(Row row, OracleRound round) {
        List<List<BigDecimal>> combos = new ArrayList<>();
        combos.add(List.of());
        for (String source : row.apiSources()) {
            Set<BigDecimal> candidates = new LinkedHashSet<>();
            for (ServedPrice p : served(ReferenceSourceId.valueOf(source))) {
                if (!p.sourceTime().isBefore(round.updatedAt().minus(MAX_API_AGE))) {
                    candidates.add(p.price());
                }
            }
            List<List<BigDecimal>> next = new ArrayList<>();
            for (List<BigDecimal> combo : combos) {
                for (BigDecimal price : candidates) {
                    List<BigDecimal> extended = new ArrayList<>(combo);
                    extended.add(price);
                    next.add(extended);
                }
            }
            combos = next;
        }
        List<List<BigDecimal>> matching = new ArrayList<>();
        for (List<BigDecimal> combo : combos) {
            BigDecimal sum = combo.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal mean = sum.divide(BigDecimal.valueOf(combo.size()), MathContext.DECIMAL128);
            BigDecimal pct = round.price().subtract(mean).multiply(BigDecimal.valueOf(100))
                    .divide(mean, 8, RoundingMode.HALF_EVEN);
            if (pct.compareTo(row.pctDiff()) == 0 && mean.compareTo(row.apiAverage()) == 0) {
                matching.add(combo);
            }
        }
        return matching;
    }

    private static List<ServedPrice> served(ReferenceSourceId source) {
        return emulator.served(source).stream().filter(p -> p.pair().equals(PAIR)).toList();
    }

    /** The rows published for rounds (not the cadence's re-emissions). */
    private static List<Row> roundRows(Connection c) throws Exception {
        return rows(c, "event_time = oracle_updated_at");
    }

    private static List<Row> rows(Connection c, String where) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT round_id, event_time, oracle_updated_at, oracle_price, api_average,"
                     + " api_sources, pct_diff, oracle_age_s FROM accuracy WHERE symbol = '" + PAIR + "' AND " + where
                     + " ORDER BY event_time")) {
            while (rs.next()) {
                out.add(new Row(rs.getBigDecimal(1).toPlainString(), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getBigDecimal(4), rs.getBigDecimal(5),
                        Arrays.asList((String[]) rs.getArray(6).getArray()), rs.getBigDecimal(7), rs.getLong(8)));
            }
        }
        return out;
    }
}
