package io.tickerplant.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.LiquidationStats;
import io.tickerplant.model.avro.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiquidationStatsTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, Liquidation> in;
    TestOutputTopic<String, LiquidationStats> out;

    @BeforeEach
    void start() {
        Properties p = LiquidationStatsApp.properties("unused:9092", stateDir, TOPICS);
        driver = new TopologyTestDriver(LiquidationStatsTopology.buildTopology(TOPICS, GRACE), p);
        in = driver.createInputTopic(TOPICS.liquidations(), Serdes.String().serializer(), AvroSerdes.serializer());
        out = driver.createOutputTopic(TOPICS.liquidationStats(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(LiquidationStats.class));
    }

    @AfterEach
    void close() {
        driver.close();
    }

    /** A record timestamp far from the event time: only the liquidation's own time may place it. */
    private void send(String venue, Instant t, Side side, String price, String qty) {
        Liquidation l = Liquidation.newBuilder().setVenue(venue).setSymbol("BTC-USDT-PERP").setVenueSymbol("BTCUSDT")
                .setEventTime(t).setReceiveTime(t).setSide(side).setPrice(Decimals.parse(price))
                .setQuantity(Decimals.parse(qty)).build();
        in.pipeInput(venue + ":BTC-USDT-PERP", l, Instant.parse("2000-01-01T00:00:00Z"));
    }

    private List<LiquidationStats> drain() {
        return out.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    @Test
    void sellLiquidationsCountAsLongsAndBuysAsShortsAcrossVenuesWithExactNotional() {
        send("BINANCE_FUTURES", T0.plusSeconds(1), Side.SELL, "60000.10", "0.5");
        send("OKX", T0.plusSeconds(2), Side.SELL, "60000.20", "0.25");
        send("BYBIT", T0.plusSeconds(3), Side.BUY, "60010", "1.001");
        LiquidationStats last = drain().get(2);
        assertThat(last.getSymbol()).isEqualTo("BTC-USDT-PERP");
        assertThat(last.getBucketStart()).isEqualTo(T0);
        assertThat(last.getBucketEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(last.getLongCount()).isEqualTo(2);
        assertThat(Decimals.toBigDecimal(last.getLongQuantity())).isEqualByComparingTo("0.75");
        assertThat(Decimals.toBigDecimal(last.getLongNotional())).isEqualByComparingTo("45000.1");
        assertThat(last.getShortCount()).isEqualTo(1);
        assertThat(Decimals.toBigDecimal(last.getShortNotional())).isEqualByComparingTo("60070.01");
        assertThat(last.getVenues()).containsExactly("BINANCE_FUTURES", "BYBIT", "OKX");
        assertThat(last.getFinalBar()).isFalse();
    }

    @Test
    void aMinuteIsPublishedFinalOnceStreamTimePassesItsEndPlusGraceAndALateOneInsideGraceCorrectsIt() {
        send("OKX", T0.plusSeconds(59), Side.SELL, "100", "1");
        send("OKX", T0.plusSeconds(65), Side.SELL, "100", "1"); // next minute; stream time 10:01:05
        send("OKX", T0.plusSeconds(30), Side.BUY, "100", "2"); // late, inside grace: corrects 10:00
        assertThat(drain()).noneMatch(LiquidationStats::getFinalBar);
        send("OKX", T0.plusSeconds(71), Side.SELL, "100", "1"); // stream time past 10:01:00 + 10 s
        List<LiquidationStats> published = drain();
        LiquidationStats fin = published.stream().filter(LiquidationStats::getFinalBar).findFirst().orElseThrow();
        assertThat(fin.getBucketStart()).isEqualTo(T0);
        assertThat(fin.getLongCount()).isEqualTo(1);
        assertThat(fin.getShortCount()).isEqualTo(1);
        assertThat(Decimals.toBigDecimal(fin.getShortQuantity())).isEqualByComparingTo("2");
        send("OKX", T0.plusSeconds(20), Side.SELL, "100", "1"); // after grace: dropped
        assertThat(drain()).noneMatch(s -> s.getBucketStart().equals(T0));
    }
}
