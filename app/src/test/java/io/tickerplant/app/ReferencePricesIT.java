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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * demo's reference-price path end to end: the Chainlink, CoinGecko and Coinpaprika emulators -> the three source
 * connectors -> tp.refprices -> sink -> contract_price and api_price, every stored price equal, digit for digit, to
 * what the emulator served, and every oracle round the emulator made while polled stored.
 */
class ReferencePricesIT {

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

    @Test
    void oracleRoundsAndApiPricesAreStoredExactlyAsServed() throws Exception {
        try (Connection c = PipelineFixture.db(platform)) {
            for (int i = 0; i < 3; i++) {
                // A 2% move makes the oracle start a round (its deviation threshold is 0.5%) at its next tick.
                int before = emulator.rounds("ETH-USD").size();
                emulator.shock("ETH-USD", i % 2 == 0 ? 0.02 : -0.02);
                await().atMost(Duration.ofSeconds(10)).until(() -> emulator.rounds("ETH-USD").size() > before);
                OracleRound latest = last(emulator.rounds("ETH-USD"));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(storedRounds(c, "ETH-USD")).containsKey(latest.roundId().toString()));
            }
            for (String pair : List.of("ETH-USD", "BTC-USD", "LINK-USD")) {
                Map<String, BigDecimal> stored = storedRounds(c, pair);
                Map<String, BigDecimal> made = new HashMap<>();
                emulator.rounds(pair).forEach(r -> made.put(r.roundId().toString(), r.price()));
                assertThat(stored).as("rounds of %s", pair).isNotEmpty();
                stored.forEach((round, price) -> assertThat(price).as("%s round %s", pair, round)
                        .isEqualByComparingTo(made.get(round)));
            }
            List<String> eth = new ArrayList<>(storedRounds(c, "ETH-USD").keySet());
            assertThat(eth).as("the three forced ETH rounds").hasSizeGreaterThanOrEqualTo(3);

            for (ReferenceSourceId source : List.of(ReferenceSourceId.COINGECKO, ReferenceSourceId.COINPAPRIKA)) {
                Map<String, BigDecimal> served = new HashMap<>();
                for (ServedPrice p : emulator.served(source)) {
                    served.put(p.pair() + "@" + p.sourceTime(), p.price());
                }
                List<String[]> rows = apiPrices(c, source.name());
                assertThat(rows).as("%s prices stored", source).isNotEmpty();
                for (String[] row : rows) {
                    assertThat(served).as("%s served %s", source, row[0]).containsKey(row[0]);
                    assertThat(new BigDecimal(row[1])).as("%s price of %s", source, row[0])
                            .isEqualByComparingTo(served.get(row[0]));
                }
            }
        }
    }

    private static OracleRound last(List<OracleRound> rounds) {
        return rounds.get(rounds.size() - 1);
    }

    private static Map<String, BigDecimal> storedRounds(Connection c, String pair) throws Exception {
        Map<String, BigDecimal> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT round_id, price FROM contract_price WHERE symbol = '" + pair + "'")) {
            while (rs.next()) {
                out.put(rs.getBigDecimal(1).toPlainString(), rs.getBigDecimal(2));
            }
        }
        return out;
    }

    /** pair@sourceTime and price text, per stored row of one API. */
    private static List<String[]> apiPrices(Connection c, String source) throws Exception {
        List<String[]> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT symbol, source_time, price FROM api_price WHERE source = '"
                     + source + "'")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1) + "@" + rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getBigDecimal(3).toPlainString()});
            }
        }
        return out;
    }
}
