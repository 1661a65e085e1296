package io.tickerplant.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.AlertKind;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.ReferencePrice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccuracyTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration CADENCE = Duration.ofSeconds(10);
    private static final BigDecimal THRESHOLD = new BigDecimal("1.0");

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, ReferencePrice> prices;
    TestInputTopic<String, IndexPrice> index;
    TestOutputTopic<String, Accuracy> accuracy;
    TestOutputTopic<String, Alert> alerts;
    long nextRound = 100;

    /** Heartbeat 1 h unless given; wall clock starts at T0. */
    private void start(AccuracyTopology.Settings settings) {
        driver = new TopologyTestDriver(AccuracyTopology.buildTopology(TOPICS, settings),
                AccuracyApp.properties("unused:9092", stateDir, TOPICS), T0);
        prices = driver.createInputTopic(TOPICS.refPrices(), Serdes.String().serializer(), AvroSerdes.serializer());
        index = driver.createInputTopic(TOPICS.index(), Serdes.String().serializer(), AvroSerdes.serializer());
        accuracy = driver.createOutputTopic(TOPICS.accuracy(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(Accuracy.class));
        alerts = driver.createOutputTopic(TOPICS.alerts(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(Alert.class));
    }

    private void start() {
        start(AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ofHours(1)));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** The record timestamp is the source time, as the connector sets it. */
    private void api(String source, String price, Instant time) {
        ReferencePrice p = ReferencePrice.newBuilder().setSource(source).setSymbol("ETH-USD").setSourceId("ethereum")
                .setEventTime(time).setReceiveTime(time.plusSeconds(2)).setPrice(Decimals.parse(price)).build();
        prices.pipeInput("ETH-USD", p, time);
    }

    private String round(String price, Instant updatedAt) {
        String id = Long.toString(++nextRound);
        ReferencePrice p = ReferencePrice.newBuilder().setSource("CHAINLINK").setSymbol("ETH-USD")
                .setSourceId("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419").setEventTime(updatedAt)
                .setReceiveTime(updatedAt.plusSeconds(1)).setPrice(Decimals.parse(price)).setRoundId(id)
                .setStartedAt(updatedAt).setAnsweredInRound(id).build();
        prices.pipeInput("ETH-USD", p, updatedAt);
        return id;
    }

    /** An index price as BboTopology publishes it on tp.index, keyed by the venues' symbol. */
    private void index(String symbol, String price, Instant time) {
        IndexPrice p = IndexPrice.newBuilder().setSymbol(symbol).setEventTime(time)
                .setPrice(price == null ? null : Decimals.parse(price)).setMethod("median-mid")
                .setVenues(List.of("BINANCE")).setDeviations(List.of()).setExcluded(List.of()).build();
        index.pipeInput(symbol, p, time);
    }

    private static String plain(Decimal d) {
        return d == null ? null : Decimals.toPlainString(d);
    }

    private Accuracy only() {
        List<Accuracy> out = accuracy.readValuesToList();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aRoundIsComparedWithTheAverageOfBothApis() {
        start();
        api("COINGECKO", "3010", T0.minusSeconds(20));
        api("COINPAPRIKA", "2990.5", T0.minusSeconds(40));
        String id = round("3012.25", T0);

        Accuracy a = only();

        assertThat(a.getSymbol()).isEqualTo("ETH-USD");
        assertThat(a.getRoundId()).isEqualTo(id);
        assertThat(a.getOracleSource()).isEqualTo("CHAINLINK");
        assertThat(plain(a.getOraclePrice())).isEqualTo("3012.25");
        assertThat(a.getApiSources()).containsExactly("COINGECKO", "COINPAPRIKA");
        // (3010 + 2990.5) / 2 = 3000.25; (3012.25 - 3000.25) / 3000.25 * 100 = 0.3999666694..., 8 decimals
        assertThat(plain(a.getApiAverage())).isEqualTo("3000.25");
        assertThat(plain(a.getPctDiff())).isEqualTo("0.39996667");
        assertThat(a.getEventTime()).isEqualTo(T0);
        assertThat(a.getOracleUpdatedAt()).isEqualTo(T0);
        assertThat(a.getOracleAgeSeconds()).isZero();
        assertThat(a.getStale()).isFalse();
        assertThat(a.getIndexPrice()).isNull();
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void theAverageOfApisWithDifferentScalesIsExact() {
        start();
        api("COINGECKO", "3001.1234567890", T0.minusSeconds(5));
        api("COINPAPRIKA", "2999.987654321012", T0.minusSeconds(5));
        round("3003.47000000", T0);

        Accuracy a = only();

        // (3001.1234567890 + 2999.987654321012) / 2 = 3000.555555555006 exactly
        assertThat(plain(a.getApiAverage())).isEqualTo("3000.555555555006");
        // (3003.47 - 3000.555555555006) * 100 / 3000.555555555006 = 0.0971301621...
        assertThat(plain(a.getPctDiff())).isEqualTo("0.09713016");
    }

    @Test
    void withOneApiOnlyThatApiIsTheAverage() {
        start();
        api("COINGECKO", "3000", T0.minusSeconds(30));
        round("2997", T0);

        Accuracy a = only();

        assertThat(a.getApiSources()).containsExactly("COINGECKO");
        assertThat(plain(a.getApiAverage())).isEqualTo("3000");
        assertThat(plain(a.getPctDiff())).isEqualTo("-0.10000000");
    }

    @Test
    void anApiPriceOlderThanTheMaximumAgeBeforeTheRoundIsLeftOut() {
        start();
        api("COINPAPRIKA", "2000", T0.minus(Duration.ofMinutes(10)).minusMillis(1));
        api("COINGECKO", "3000", T0.minus(Duration.ofMinutes(10)));
        round("3030", T0);

        Accuracy a = only();

        assertThat(a.getApiSources()).containsExactly("COINGECKO");
        assertThat(plain(a.getPctDiff())).isEqualTo("1.00000000");
    }

    @Test
    void onlyTheLatestPriceOfEachApiCounts() {
        start();
        api("COINGECKO", "2900", T0.minusSeconds(90));
        api("COINGECKO", "3000", T0.minusSeconds(30));
        api("COINGECKO", "2950", T0.minusSeconds(60)); // an older quote polled again later changes nothing
        round("3000", T0);

        assertThat(plain(only().getPctDiff())).isEqualTo("0.00000000");
        KeyValueStore<String, ReferencePrice> store = driver.getKeyValueStore(AccuracyTopology.API_STORE);
        assertThat(plain(store.get("ETH-USD|COINGECKO").getPrice())).isEqualTo("3000");
    }

    @Test
    void aRoundWithoutAnyFreshApiPriceHasNoDifferenceAndRaisesNoDeviation() {
        start();
        api("COINGECKO", "1", T0.minus(Duration.ofHours(1)));
        round("3000", T0);

        Accuracy a = only();

        assertThat(a.getApiSources()).isEmpty();
        assertThat(a.getApiAverage()).isNull();
        assertThat(a.getPctDiff()).isNull();
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void theRatioIsRoundedHalfEvenToEightDecimals() {
        start();
        api("COINGECKO", "100", T0.minusSeconds(1));
        round("100.000000025", T0);
        round("100.000000035", T0.plusSeconds(1));

        // 0.000000025 % and 0.000000035 %, exactly halfway: to the even neighbour
        assertThat(accuracy.readValuesToList()).extracting(a -> plain(a.getPctDiff()))
                .containsExactly("0.00000002", "0.00000004");
    }

    @Test
    void crossingTheThresholdRaisesOneAlertAndFallingBackClearsIt() {
        start();
        api("COINGECKO", "1000", T0.minusSeconds(1));
        round("1005", T0); // +0.5 %
        round("1000", T0.plusSeconds(10)); // 0 %
        round("1010", T0.plusSeconds(20)); // +1.0 %: not above the threshold
        assertThat(alerts.isEmpty()).isTrue();

        round("989.99", T0.plusSeconds(30)); // -1.001 %: raised
        round("980", T0.plusSeconds(40)); // -2 %: still raised, no new alert
        round("1001", T0.plusSeconds(50)); // +0.1 %: cleared

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getKind, Alert::getActive, Alert::getEventTime)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertKind.DEVIATION, true, T0.plusSeconds(30)),
                        org.assertj.core.groups.Tuple.tuple(AlertKind.DEVIATION, false, T0.plusSeconds(50)));
        assertThat(plain(out.get(0).getValue())).isEqualTo("-1.00100000");
        assertThat(plain(out.get(0).getThreshold())).isEqualTo("1.0");
        assertThat(out.get(0).getDetail()).contains("ETH-USD", "CHAINLINK", "deviates", "-1.00100000%",
                "1000", "COINGECKO").doesNotContain("\n");
        assertThat(plain(out.get(1).getValue())).isEqualTo("0.10000000");
    }

    @Test
    void theCadenceRepublishesTheLatestAccuracyWithTheCurrentAge() {
        start();
        api("COINGECKO", "3000", T0.minusSeconds(1));
        round("3030", T0.minusSeconds(25));
        accuracy.readValuesToList();

        driver.advanceWallClockTime(CADENCE);

        Accuracy again = only();
        assertThat(again.getEventTime()).isEqualTo(T0.plus(CADENCE));
        assertThat(again.getOracleUpdatedAt()).isEqualTo(T0.minusSeconds(25));
        assertThat(again.getOracleAgeSeconds()).isEqualTo(35);
        assertThat(again.getStale()).isFalse();
        assertThat(plain(again.getPctDiff())).isEqualTo("1.00000000");
        assertThat(again.getRoundId()).isEqualTo(Long.toString(nextRound));
    }

    @Test
    void anOracleSilentPastHeartbeatAndGraceIsReportedStaleOnceByTheCadenceAndFreshAgainByItsNextRound() {
        // Heartbeat 60 s + default grace 60 s: stale when older than 120 s.
        start(AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ofSeconds(60)));
        api("COINGECKO", "3000", T0.minusSeconds(1));
        round("3000", T0);
        accuracy.readValuesToList();

        for (int i = 0; i < 12; i++) {
            driver.advanceWallClockTime(CADENCE); // up to T0 + 120 s: not stale yet
        }
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(accuracy.readValuesToList()).hasSize(12).noneMatch(Accuracy::getStale);

        driver.advanceWallClockTime(CADENCE); // T0 + 130 s
        driver.advanceWallClockTime(CADENCE); // T0 + 140 s: still stale, no second alert

        List<Accuracy> stale = accuracy.readValuesToList();
        assertThat(stale).extracting(Accuracy::getOracleAgeSeconds).containsExactly(130L, 140L);
        assertThat(stale).allMatch(Accuracy::getStale);
        Alert raised = alerts.readValue();
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(raised.getKind()).isEqualTo(AlertKind.STALE);
        assertThat(raised.getActive()).isTrue();
        assertThat(raised.getEventTime()).isEqualTo(T0.plusSeconds(130));
        assertThat(plain(raised.getValue())).isEqualTo("130");
        assertThat(plain(raised.getThreshold())).isEqualTo("120");
        assertThat(raised.getDetail()).contains("ETH-USD", "stale", "130 s");

        round("3001", T0.plusSeconds(145));

        assertThat(only().getStale()).isFalse();
        Alert cleared = alerts.readValue();
        assertThat(cleared.getKind()).isEqualTo(AlertKind.STALE);
        assertThat(cleared.getActive()).isFalse();
        assertThat(cleared.getEventTime()).isEqualTo(T0.plusSeconds(145));
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void theHeartbeatCanBeSetPerPair() {
        AccuracyTopology.Settings s = AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ofHours(1))
                .withHeartbeats(Map.of("ETH-USD", Duration.ofSeconds(30))).withStaleGrace(Duration.ZERO);
        start(s);
        round("3000", T0.minusSeconds(35));

        driver.advanceWallClockTime(CADENCE);

        assertThat(accuracy.readValuesToList()).last().extracting(Accuracy::getStale).isEqualTo(true);
        assertThat(alerts.readValue().getKind()).isEqualTo(AlertKind.STALE);
        assertThat(s.staleAfter("BTC-USD")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anOutOfOrderRoundIsPublishedButDoesNotReplaceTheLatest() {
        start();
        api("COINGECKO", "1000", T0.minusSeconds(1));
        String newest = round("1000", T0.plusSeconds(60));
        round("1100", T0); // +10 %, but older than the newest round
        assertThat(accuracy.readValuesToList()).hasSize(2);

        assertThat(alerts.isEmpty()).isTrue();
        KeyValueStore<String, Accuracy> store = driver.getKeyValueStore(AccuracyTopology.LATEST_STORE);
        assertThat(store.get("ETH-USD").getRoundId()).isEqualTo(newest);
    }

    @Test
    void recordsOfOtherSourcesAndRoundsWithoutIdAreIgnored() {
        start();
        api("SOMEAPI", "1", T0.minusSeconds(1));
        ReferencePrice noId = ReferencePrice.newBuilder().setSource("CHAINLINK").setSymbol("ETH-USD").setSourceId("x")
                .setEventTime(T0).setReceiveTime(T0).setPrice(Decimals.parse("3000")).build();
        prices.pipeInput("ETH-USD", noId, T0);

        assertThat(accuracy.isEmpty()).isTrue();
        KeyValueStore<String, ReferencePrice> store = driver.getKeyValueStore(AccuracyTopology.API_STORE);
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void aRoundIsComparedWithTheIndexOfTheVenuesSymbolItsPairMapsTo() {
        start();
        api("COINGECKO", "3000", T0.minusSeconds(5));
        index("ETH-USDT", "2990.125", T0.minusSeconds(3));
        index("BTC-USDT", "65000", T0.minusSeconds(1)); // another symbol: not used for ETH-USD
        round("3002.5", T0);

        Accuracy a = only();

        assertThat(a.getIndexSymbol()).isEqualTo("ETH-USDT");
        assertThat(plain(a.getIndexPrice())).isEqualTo("2990.125");
        assertThat(a.getIndexTime()).isEqualTo(T0.minusSeconds(3));
        // (3002.5 - 2990.125) / 2990.125 * 100 = 0.41386230...
        assertThat(plain(a.getPctDiffIndex())).isEqualTo("0.41386230");
        assertThat(plain(a.getPctDiff())).isEqualTo("0.08333333");

        driver.advanceWallClockTime(CADENCE); // a re-emission repeats the round's comparison
        Accuracy again = only();
        assertThat(plain(again.getPctDiffIndex())).isEqualTo("0.41386230");
        assertThat(again.getIndexTime()).isEqualTo(T0.minusSeconds(3));
    }

    @Test
    void theNewestIndexByEventTimeIsUsedAndAnOlderOneArrivingLateIsIgnored() {
        start();
        index("ETH-USDT", "3000", T0.minusSeconds(2));
        index("ETH-USDT", "2900", T0.minusSeconds(9)); // late
        round("3030", T0);

        Accuracy a = only();
        assertThat(plain(a.getIndexPrice())).isEqualTo("3000");
        assertThat(plain(a.getPctDiffIndex())).isEqualTo("1.00000000");
    }

    @Test
    void withoutAnIndexTheIndexFieldsAreNullButTheApiComparisonStands() {
        start();
        api("COINGECKO", "3000", T0.minusSeconds(5));
        index("ETH-USDT", null, T0.minusSeconds(1)); // no healthy venue quoted both sides
        round("3000", T0);

        Accuracy a = only();
        assertThat(a.getIndexSymbol()).isEqualTo("ETH-USDT");
        assertThat(a.getIndexPrice()).isNull();
        assertThat(a.getIndexTime()).isNull();
        assertThat(a.getPctDiffIndex()).isNull();
        assertThat(plain(a.getPctDiff())).isEqualTo("0.00000000");
    }

    @Test
    void anIndexOlderThanTheMaximumAgeBeforeTheRoundIsNotUsed() {
        start(AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ofHours(1))
                .withMaxIndexAge(Duration.ofSeconds(30)));
        index("ETH-USDT", "3000", T0.minusSeconds(31));
        round("3000", T0);
        assertThat(only().getIndexPrice()).isNull();

        index("ETH-USDT", "3000", T0.plusSeconds(10)); // exactly 30 s before the next round: still used
        round("3003", T0.plusSeconds(40));
        Accuracy a = only();
        assertThat(plain(a.getIndexPrice())).isEqualTo("3000");
        assertThat(plain(a.getPctDiffIndex())).isEqualTo("0.10000000");
    }

    @Test
    void thePairToIndexSymbolMappingIsConfigurable() {
        start(AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ofHours(1))
                .withIndexSymbols(Map.of("ETH-USD", "ETH-USD")));
        index("ETH-USDT", "2000", T0.minusSeconds(1));
        index("ETH-USD", "3000", T0.minusSeconds(1));
        round("2970", T0);

        Accuracy a = only();
        assertThat(a.getIndexSymbol()).isEqualTo("ETH-USD");
        assertThat(plain(a.getPctDiffIndex())).isEqualTo("-1.00000000");
    }

    @Test
    void aPairMappedToNoSymbolHasNoIndexComparison() {
        start(AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ofHours(1)).withIndexSymbols(Map.of()));
        index("ETH-USDT", "2000", T0.minusSeconds(1));
        round("2970", T0);
        Accuracy unmapped = only();
        assertThat(unmapped.getIndexSymbol()).isNull();
        assertThat(unmapped.getIndexPrice()).isNull();
    }

    @Test
    void refusesNonsensicalSettings() {
        assertThatThrownBy(() -> AccuracyTopology.Settings.of(Duration.ZERO, THRESHOLD, Duration.ofHours(1)))
                .hasMessageContaining("cadence");
        assertThatThrownBy(() -> AccuracyTopology.Settings.of(CADENCE, new BigDecimal("-1"), Duration.ofHours(1)))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> AccuracyTopology.Settings.of(CADENCE, THRESHOLD, Duration.ZERO))
                .hasMessageContaining("heartbeat");
    }
}
