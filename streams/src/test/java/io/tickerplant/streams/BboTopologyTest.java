package io.tickerplant.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.VenueDeviation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BboTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final String BTC = "BTC-USDT";

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, Quote> quotes;
    TestInputTopic<String, FeedStatus> statuses;
    TestOutputTopic<String, Bbo> bbo;
    TestOutputTopic<String, IndexPrice> index;

    @BeforeEach
    void start() {
        Properties p = BboApp.properties("unused:9092", stateDir, TOPICS);
        driver = new TopologyTestDriver(BboTopology.buildTopology(TOPICS, MAX_AGE), p);
        quotes = driver.createInputTopic(TOPICS.quotes(), Serdes.String().serializer(), AvroSerdes.serializer());
        statuses = driver.createInputTopic(TOPICS.feedStatus(), Serdes.String().serializer(), AvroSerdes.serializer());
        bbo = driver.createOutputTopic(TOPICS.bbo(), Serdes.String().deserializer(), AvroSerdes.deserializer(Bbo.class));
        index = driver.createOutputTopic(TOPICS.index(), Serdes.String().deserializer(),
                AvroSerdes.deserializer(IndexPrice.class));
    }

    @AfterEach
    void close() {
        driver.close();
    }

    /** Pipes a quote with a record timestamp far from its event time, so that only the quote's own time can count. */
    private void quote(String venue, String symbol, long atMillis, String bid, String bidSize, String ask,
            String askSize) {
        Instant t = T0.plusMillis(atMillis);
        Quote q = Quote.newBuilder().setVenue(venue).setSymbol(symbol).setVenueSymbol(symbol.replace("-", ""))
                .setEventTime(t).setReceiveTime(t.plusMillis(1))
                .setBidPrice(Decimals.parse(bid)).setBidSize(Decimals.parse(bidSize))
                .setAskPrice(Decimals.parse(ask)).setAskSize(Decimals.parse(askSize)).build();
        quotes.pipeInput(venue + ":" + symbol, q, Instant.parse("2000-01-01T00:00:00Z"));
    }

    private void quote(String venue, long atMillis, String bid, String ask) {
        quote(venue, BTC, atMillis, bid, "1.5", ask, "2.5");
    }

    /** A status of the venue's whole connection when {@code symbol} is null, as the gateway keys it. */
    private void status(String venue, String symbol, String channel, long atMillis, FeedState state) {
        Instant t = T0.plusMillis(atMillis);
        FeedStatus s = FeedStatus.newBuilder().setVenue(venue).setSymbol(symbol).setVenueSymbol(null)
                .setEventTime(t).setReceiveTime(t).setStatus(state).setDetail("test").setChannel(channel).build();
        statuses.pipeInput(symbol == null ? venue : venue + ":" + symbol, s, t);
    }

    private Bbo lastBbo() {
        List<Bbo> all = bbo.readValuesToList();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private IndexPrice lastIndex() {
        List<IndexPrice> all = index.readValuesToList();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static Decimal d(String s) {
        return Decimals.parse(s);
    }

    private static String text(Decimal d) {
        return d == null ? null : Decimals.toPlainString(d);
    }

    @Test
    void theBestBidAndTheBestAskMayComeFromDifferentVenues() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 1, "100.00", "100.20");

        List<Bbo> published = bbo.readValuesToList();
        Bbo b = published.get(published.size() - 1);
        assertThat(published).hasSize(2);
        assertThat(bbo.isEmpty()).isTrue();
        assertThat(b.getSymbol()).isEqualTo(BTC);
        assertThat(text(b.getBestBid())).isEqualTo("100.10");
        assertThat(b.getBestBidVenue()).isEqualTo("BINANCE");
        assertThat(text(b.getBestBidSize())).isEqualTo("1.5");
        assertThat(text(b.getBestAsk())).isEqualTo("100.20");
        assertThat(b.getBestAskVenue()).isEqualTo("KRAKEN");
        assertThat(text(b.getSpread())).isEqualTo("0.10");
        assertThat(b.getSpreadBps()).isCloseTo(0.10 / 100.15 * 10_000, within(1e-9));
        assertThat(b.getCrossed()).isFalse();
        assertThat(b.getVenues()).containsExactly("BINANCE", "KRAKEN");
        assertThat(b.getExcluded()).isEmpty();
        assertThat(b.getEventTime()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void theOutputIsKeyedBySymbol() {
        quote("BINANCE", 0, "100.10", "100.30");

        assertThat(bbo.readKeyValue().key).isEqualTo(BTC);
        assertThat(index.readKeyValue().key).isEqualTo(BTC);
    }

    @Test
    void aBidAboveAnotherVenuesAskIsFlaggedAsCrossed() {
        quote("BINANCE", 0, "101.0", "102.0");
        quote("KRAKEN", 1, "99.0", "100.5");

        Bbo b = lastBbo();
        assertThat(b.getBestBidVenue()).isEqualTo("BINANCE");
        assertThat(b.getBestAskVenue()).isEqualTo("KRAKEN");
        assertThat(text(b.getSpread())).isEqualTo("-0.5");
        assertThat(b.getCrossed()).isTrue();
        assertThat(b.getSpreadBps()).isNegative();
    }

    @Test
    void aLockedMarketCountsAsCrossed() {
        quote("BINANCE", 0, "100.0", "101.0");
        quote("KRAKEN", 1, "99.0", "100.00");

        Bbo b = lastBbo();
        assertThat(Decimals.isZero(b.getSpread())).isTrue();
        assertThat(b.getCrossed()).isTrue();
    }

    @Test
    void amongEqualBidsTheLargerSizeWinsWhateverTheArrivalOrder() {
        quote("KRAKEN", BTC, 0, "100.0", "3", "101.0", "1");
        quote("BINANCE", BTC, 1, "100.00", "2", "101.0", "1");

        Bbo b = lastBbo();
        assertThat(b.getBestBidVenue()).isEqualTo("KRAKEN");
        assertThat(b.getBestAskVenue()).as("equal price and size: alphabetical").isEqualTo("BINANCE");
    }

    @Test
    void aDisconnectedVenueIsExcludedUntilItConnectsAgain() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 1, "100.00", "100.20");
        bbo.readValuesToList();

        status("KRAKEN", null, null, 2, FeedState.DISCONNECTED);
        Bbo without = lastBbo();
        assertThat(without.getVenues()).containsExactly("BINANCE");
        assertThat(without.getExcluded()).containsExactly("KRAKEN: DISCONNECTED (connection)");
        assertThat(without.getBestAskVenue()).isEqualTo("BINANCE");
        assertThat(text(without.getBestAsk())).isEqualTo("100.30");

        status("KRAKEN", null, null, 3, FeedState.CONNECTED);
        Bbo back = lastBbo();
        assertThat(back.getVenues()).containsExactly("BINANCE", "KRAKEN");
        assertThat(back.getExcluded()).isEmpty();
        assertThat(back.getBestAskVenue()).isEqualTo("KRAKEN");
    }

    @Test
    void aConnectionStatusConcernsEverySymbolOfTheVenueAndNoOtherVenue() {
        quote("BINANCE", "BTC-USDT", 0, "100.0", "1", "101.0", "1");
        quote("BINANCE", "ETH-USDT", 0, "10.0", "1", "11.0", "1");
        quote("KRAKEN", "ETH-USDT", 0, "10.5", "1", "11.5", "1");
        bbo.readValuesToList();

        status("BINANCE", null, null, 1, FeedState.DISCONNECTED);

        List<Bbo> published = bbo.readValuesToList();
        assertThat(published).extracting(Bbo::getSymbol).containsExactlyInAnyOrder("BTC-USDT", "ETH-USDT");
        Bbo eth = published.stream().filter(b -> b.getSymbol().equals("ETH-USDT")).findFirst().orElseThrow();
        assertThat(eth.getVenues()).containsExactly("KRAKEN");
        Bbo btc = published.stream().filter(b -> b.getSymbol().equals("BTC-USDT")).findFirst().orElseThrow();
        assertThat(btc.getVenues()).isEmpty();
        assertThat(btc.getBestBid()).isNull();
        assertThat(btc.getBestAsk()).isNull();
        assertThat(btc.getSpread()).isNull();
        assertThat(btc.getCrossed()).isFalse();
    }

    @Test
    void aBookGapExcludesTheVenueUntilItsBookIsResynchronized() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 1, "100.00", "100.20");
        bbo.readValuesToList();

        status("KRAKEN", BTC, "book", 2, FeedState.GAP);
        assertThat(lastBbo().getExcluded()).containsExactly("KRAKEN: GAP (book)");

        status("KRAKEN", BTC, "book", 3, FeedState.RESYNC);
        assertThat(lastBbo().getVenues()).containsExactly("BINANCE", "KRAKEN");
    }

    @Test
    void aTradeGapDoesNotExcludeTheVenuesQuotes() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 1, "100.00", "100.20");
        bbo.readValuesToList();

        status("KRAKEN", BTC, BboTopology.TRADES_CHANNEL, 2, FeedState.GAP);

        assertThat(bbo.isEmpty()).isTrue();
    }

    @Test
    void aStaleQuoteIsExcludedAndAFreshOneBringsTheVenueBack() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 0, "100.00", "100.20");
        bbo.readValuesToList();

        quote("BINANCE", MAX_AGE.toMillis(), "100.10", "100.30");
        assertThat(bbo.isEmpty()).as("exactly the maximum age still counts").isTrue();

        quote("BINANCE", MAX_AGE.toMillis() + 1, "100.11", "100.30");
        Bbo stale = lastBbo();
        assertThat(stale.getVenues()).containsExactly("BINANCE");
        assertThat(stale.getExcluded()).containsExactly("KRAKEN: no quote for more than 5000 ms");
        assertThat(lastIndex().getVenues()).containsExactly("BINANCE");

        quote("KRAKEN", MAX_AGE.toMillis() + 2, "100.00", "100.20");
        Bbo fresh = lastBbo();
        assertThat(fresh.getVenues()).containsExactly("BINANCE", "KRAKEN");
        assertThat(fresh.getExcluded()).isEmpty();
    }

    @Test
    void aVenueThatFallsSilentIsExcludedEvenWhenNothingElseQuotesTheSymbol() {
        quote("KRAKEN", BTC, 0, "100.00", "1", "100.20", "1");
        bbo.readValuesToList();

        // Another symbol moves stream time on; the stream-time tick re-checks BTC-USDT.
        quote("BINANCE", "ETH-USDT", MAX_AGE.toMillis() + BboTopology.TICK.toMillis() + 1, "10", "1", "11", "1");

        List<Bbo> btc = bbo.readValuesToList().stream().filter(b -> b.getSymbol().equals(BTC)).toList();
        assertThat(btc).hasSize(1);
        assertThat(btc.get(0).getVenues()).isEmpty();
        assertThat(btc.get(0).getExcluded()).containsExactly("KRAKEN: no quote for more than 5000 ms");
        IndexPrice idx = index.readValuesToList().stream().filter(i -> i.getSymbol().equals(BTC)).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(idx.getPrice()).isNull();
    }

    @Test
    void aQuoteThatChangesNothingPublishesNothing() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", 1, "100.00", "100.40");
        bbo.readValuesToList();
        index.readValuesToList();

        quote("BINANCE", 2, "100.10", "100.30");

        assertThat(bbo.isEmpty()).isTrue();
        assertThat(index.isEmpty()).isTrue();
    }

    @Test
    void theIndexOfOneVenueIsItsMid() {
        quote("BINANCE", 0, "100.10", "100.30");

        IndexPrice i = lastIndex();
        assertThat(text(i.getPrice())).isEqualTo("100.20");
        assertThat(i.getMethod()).isEqualTo(BboMath.MEDIAN_MID);
        assertThat(i.getVenues()).containsExactly("BINANCE");
        assertThat(i.getDeviations()).containsExactly(new VenueDeviation("BINANCE", d("100.20"), 0.0));
    }

    @Test
    void theIndexOfTwoVenuesIsTheExactMeanOfTheirMids() {
        quote("BINANCE", 0, "100.01", "100.02");
        quote("KRAKEN", 1, "100.00", "100.02");

        IndexPrice i = lastIndex();
        // Mids 100.015 and 100.01: the mean needs two more decimals than the quotes.
        assertThat(text(i.getPrice())).isEqualTo("100.0125");
        assertThat(i.getDeviations()).extracting(VenueDeviation::getVenue).containsExactly("BINANCE", "KRAKEN");
        assertThat(text(i.getDeviations().get(0).getMid())).isEqualTo("100.015");
        assertThat(i.getDeviations().get(0).getDeviationBps()).isCloseTo(0.0025 / 100.0125 * 10_000, within(1e-9));
        assertThat(i.getDeviations().get(1).getDeviationBps()).isCloseTo(-0.0025 / 100.0125 * 10_000, within(1e-9));
    }

    @Test
    void theIndexOfThreeVenuesIsTheMiddleMidAndIgnoresAnOutlier() {
        quote("BINANCE", 0, "99.9", "100.1");
        quote("COINBASE", 1, "100.9", "101.1");
        quote("KRAKEN", 2, "109.9", "110.1");

        IndexPrice i = lastIndex();
        assertThat(text(i.getPrice())).isEqualTo("101.0");
        assertThat(i.getVenues()).containsExactly("BINANCE", "COINBASE", "KRAKEN");
        assertThat(i.getDeviations().get(0).getDeviationBps()).isCloseTo(-1.0 / 101 * 10_000, within(1e-9));
        assertThat(i.getDeviations().get(1).getDeviationBps()).isZero();
        assertThat(i.getDeviations().get(2).getDeviationBps()).isCloseTo(9.0 / 101 * 10_000, within(1e-9));
    }

    @Test
    void aVenueQuotingOneSideCountsForTheBboButNotForTheIndex() {
        quote("BINANCE", 0, "100.10", "100.30");
        quote("KRAKEN", BTC, 1, "100.20", "1", "0", "0");

        Bbo b = lastBbo();
        assertThat(b.getBestBidVenue()).isEqualTo("KRAKEN");
        assertThat(b.getBestAskVenue()).isEqualTo("BINANCE");
        IndexPrice i = lastIndex();
        assertThat(i.getVenues()).containsExactly("BINANCE");
        assertThat(i.getExcluded()).containsExactly("KRAKEN: quotes one side only");
    }

    @Test
    void theIndexLeavesOutAnExcludedVenue() {
        quote("BINANCE", 0, "99.9", "100.1");
        quote("KRAKEN", 1, "109.9", "110.1");
        status("KRAKEN", null, null, 2, FeedState.DISCONNECTED);

        IndexPrice i = lastIndex();
        assertThat(text(i.getPrice())).isEqualTo("100.0");
        assertThat(i.getExcluded()).containsExactly("KRAKEN: DISCONNECTED (connection)");
    }

    @Test
    void publishedTimesNeverGoBackWhenAQuoteArrivesLate() {
        quote("BINANCE", 1_000, "100.10", "100.30");
        quote("KRAKEN", 500, "100.00", "100.20");

        assertThat(lastBbo().getEventTime()).isEqualTo(T0.plusMillis(1_000));
    }

    @Test
    void theLatestBboAndIndexCanBeQueriedFromTheirStores() {
        quote("BINANCE", 0, "100.10", "100.30");

        KeyValueStore<String, Bbo> bbos = driver.getKeyValueStore(BboTopology.LATEST_BBO_STORE);
        KeyValueStore<String, IndexPrice> indexes = driver.getKeyValueStore(BboTopology.LATEST_INDEX_STORE);
        KeyValueStore<String, Quote> latest = driver.getKeyValueStore(BboTopology.QUOTES_STORE);
        assertThat(bbos.get(BTC).getBestBidVenue()).isEqualTo("BINANCE");
        assertThat(text(indexes.get(BTC).getPrice())).isEqualTo("100.20");
        assertThat(latest.get(BboTopology.storeKey(BTC, "BINANCE")).getVenue()).isEqualTo("BINANCE");
    }
}
