package io.tickerplant.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LiveState} over the stores of the candle and BBO topologies, as TopologyTestDriver holds them: each answer
 * equals the last record the topology published for that key.
 */
class LiveStateTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(1), Duration.ofMinutes(1));
    private static final String BTC = "BTC-USDT";

    @TempDir
    Path stateDir;

    TopologyTestDriver candleDriver;
    TopologyTestDriver bboDriver;
    TestInputTopic<String, Trade> trades;
    TestInputTopic<String, Quote> quotes;
    TestOutputTopic<String, Candle> candles;
    TestOutputTopic<String, Bbo> bbos;
    TestOutputTopic<String, IndexPrice> indexes;
    LiveState live;
    int nextId;

    @BeforeEach
    void start() throws Exception {
        candleDriver = new TopologyTestDriver(CandleTopology.buildTopology(TOPICS, INTERVALS, Duration.ofSeconds(5)),
                CandleApp.properties("unused:9092", Files.createDirectory(stateDir.resolve("candles")), TOPICS));
        bboDriver = new TopologyTestDriver(BboTopology.buildTopology(TOPICS),
                BboApp.properties("unused:9092", Files.createDirectory(stateDir.resolve("bbo")), TOPICS));
        trades = candleDriver.createInputTopic(TOPICS.trades(), Serdes.String().serializer(), AvroSerdes.serializer());
        candles = candleDriver.createOutputTopic(TOPICS.candles(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(Candle.class));
        quotes = bboDriver.createInputTopic(TOPICS.quotes(), Serdes.String().serializer(), AvroSerdes.serializer());
        bbos = bboDriver.createOutputTopic(TOPICS.bbo(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(Bbo.class));
        indexes = bboDriver.createOutputTopic(TOPICS.index(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(IndexPrice.class));
        // The wall clock of the test is the market's: LOOK_BACK counts from it.
        live = LiveState.of(stores(candleDriver), INTERVALS, stores(bboDriver), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        candleDriver.close();
        bboDriver.close();
    }

    /** The driver's stores: its generic getters fit {@link StateStores} as they are. */
    private static StateStores stores(TopologyTestDriver driver) {
        return new StateStores() {
            @Override
            public <V> ReadOnlyWindowStore<String, V> windowStore(String name) {
                return driver.getWindowStore(name);
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name) {
                return driver.getKeyValueStore(name);
            }
        };
    }

    private void trade(String venue, long atMillis, String price, String size, Side side) {
        Instant t = T0.plusMillis(atMillis);
        trades.pipeInput(venue + ":" + BTC, Trade.newBuilder().setVenue(venue).setSymbol(BTC).setVenueSymbol("BTCUSDT")
                .setEventTime(t).setReceiveTime(t.plusMillis(2)).setTradeId(Integer.toString(++nextId))
                .setPrice(Decimals.parse(price)).setSize(Decimals.parse(size)).setSide(side).build(), t);
    }

    private void quote(String venue, long atMillis, String bid, String ask) {
        Instant t = T0.plusMillis(atMillis);
        quotes.pipeInput(venue + ":" + BTC, Quote.newBuilder().setVenue(venue).setSymbol(BTC).setVenueSymbol("BTCUSDT")
                .setEventTime(t).setReceiveTime(t.plusMillis(1)).setBidPrice(Decimals.parse(bid))
                .setBidSize(Decimals.parse("1.5")).setAskPrice(Decimals.parse(ask)).setAskSize(Decimals.parse("2"))
                .build(), t);
    }

    /** The last update the topology published for a key: what a reader of the topic holds as the bar. */
    private static <V> V lastPublished(List<KeyValue<String, V>> updates, String key) {
        V last = null;
        for (KeyValue<String, V> kv : updates) {
            if (kv.key.equals(key)) {
                last = kv.value;
            }
        }
        assertThat(last).as("an update for %s", key).isNotNull();
        return last;
    }

    /** The bar without the fields that differ by design: the update time (when made) and finality. */
    private static Candle comparable(Candle c) {
        return Candle.newBuilder(c).setUpdateTime(Instant.EPOCH).setFinalBar(false).build();
    }

    @Test
    void theLatestCandleIsTheNewestWindowAsTheTopicHasIt() {
        trade("BINANCE", 1_000, "100.00", "1.0", Side.BUY);
        trade("KRAKEN", 2_000, "101.00", "2.0", Side.SELL);
        trade("BINANCE", 61_000, "102.50", "0.5", Side.BUY);
        trade("BINANCE", 62_500, "102.00", "1.5", Side.SELL);
        trade("KRAKEN", 63_000, "103.00", "1.0", Side.BUY);
        List<KeyValue<String, Candle>> published = candles.readKeyValuesToList();

        Candle binance = live.latestCandle("BINANCE", BTC, "1m").orElseThrow();
        assertThat(binance.getBucketStart()).isEqualTo(T0.plusSeconds(60));
        assertThat(binance.getBucketEnd()).isEqualTo(T0.plusSeconds(120));
        assertThat(binance.getTradeCount()).isEqualTo(2);
        assertThat(Decimals.toPlainString(binance.getClose())).isEqualTo("102.00");
        assertThat(binance.getFinalBar()).isFalse();
        assertThat(comparable(binance))
                .isEqualTo(comparable(lastPublished(published, CandleTopology.key("BINANCE", BTC, "1m"))));

        Candle all = live.latestCandle(CandleTopology.ALL_VENUES, BTC, "1m").orElseThrow();
        assertThat(all.getTradeCount()).isEqualTo(3);
        assertThat(all.getVenue()).isEqualTo("ALL");
        assertThat(comparable(all)).isEqualTo(comparable(lastPublished(published, CandleTopology.key("ALL", BTC, "1m"))));

        Candle second = live.latestCandle("KRAKEN", BTC, "1s").orElseThrow();
        assertThat(second.getBucketStart()).isEqualTo(T0.plusSeconds(63));
        assertThat(comparable(second))
                .isEqualTo(comparable(lastPublished(published, CandleTopology.key("KRAKEN", BTC, "1s"))));
    }

    @Test
    void nothingForAKeyWithoutTradesAndAnUnknownIntervalIsRefused() {
        trade("BINANCE", 1_000, "100.00", "1.0", Side.BUY);

        assertThat(live.latestCandle("BINANCE", "ETH-USDT", "1m")).isEmpty();
        assertThat(live.latestCandle("COINBASE", BTC, "1m")).isEmpty();
        assertThatThrownBy(() -> live.latestCandle("BINANCE", BTC, "5m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1s, 1m");
        assertThat(live.candleIntervals()).containsExactly("1s", "1m");
    }

    @Test
    void theLatestBboAndIndexAreWhatWasLastPublished() {
        assertThat(live.latestBbo(BTC)).isEmpty();
        assertThat(live.latestIndex(BTC)).isEmpty();

        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 100, "100.20", "100.40");
        quote("BINANCE", 200, "100.00", "100.25");

        Bbo bbo = live.latestBbo(BTC).orElseThrow();
        assertThat(bbo).isEqualTo(lastPublished(bbos.readKeyValuesToList(), BTC));
        assertThat(bbo.getBestBidVenue()).isEqualTo("KRAKEN");
        assertThat(bbo.getBestAskVenue()).isEqualTo("BINANCE");
        IndexPrice index = live.latestIndex(BTC).orElseThrow();
        assertThat(index).isEqualTo(lastPublished(indexes.readKeyValuesToList(), BTC));
        assertThat(index.getVenues()).containsExactly("BINANCE", "KRAKEN");
        assertThat(live.latestBbo("ETH-USDT")).isEmpty();
    }

    @Test
    void storesThatCannotAnswerAreReportedAsUnavailable() {
        StateStores migrating = new StateStores() {
            @Override
            public <V> ReadOnlyWindowStore<String, V> windowStore(String name) {
                throw new InvalidStateStoreException("the state store, " + name + ", may have migrated");
            }

            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name) {
                throw new IllegalStateException("KafkaStreams is not running. State is PENDING_SHUTDOWN.");
            }
        };
        LiveState down = LiveState.of(migrating, INTERVALS, migrating);

        assertThatThrownBy(() -> down.latestCandle("ALL", BTC, "1m"))
                .isInstanceOf(LiveStateUnavailableException.class).hasMessageContaining("candles-all-1m")
                .hasCauseInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> down.latestIndex(BTC))
                .isInstanceOf(LiveStateUnavailableException.class).hasMessageContaining(BboTopology.LATEST_INDEX_STORE);
    }
}
