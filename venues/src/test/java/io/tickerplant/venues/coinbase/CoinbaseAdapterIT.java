package io.tickerplant.venues.coinbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.coinbase.CoinbaseEmulator;
import io.tickerplant.emulator.coinbase.CoinbaseTrade;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.book.OrderBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the Coinbase emulator: trades equal the emulator's ground truth id for id and digit for digit,
 * and after every fault the book a consumer rebuilds from the published snapshots and deltas equals the emulator's.
 */
class CoinbaseAdapterIT {

    private static final RestClient.Policy FAST_REST =
            new RestClient.Policy(3, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(20));
    private static final List<String> PRODUCTS = List.of("BTC-USD", "ETH-USD");

    /** A consumer of everything the adapter emits: rebuilds each book and checks the record sequence. */
    static final class Consumer implements VenueEventListener {
        final List<Trade> trades = new ArrayList<>();
        final List<FeedStatus> statuses = new ArrayList<>();
        final List<RejectedFrame> rejected = new ArrayList<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final Map<String, Quote> quotes = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        final List<String> bookEvents = new ArrayList<>();

        @Override
        public synchronized void onTrade(Trade trade) {
            trades.add(trade);
        }

        @Override
        public synchronized void onQuote(Quote q) {
            quotes.put(q.getVenueSymbol(), q);
        }

        @Override
        public synchronized void onBook(BookUpdate u) {
            String s = u.getVenueSymbol();
            if (u.getSnapshot()) {
                if (u.getSequence() == 0) {
                    bookEvents.add(s + " SNAPSHOT");
                } else if (u.getSequence() != sequences.get(s) + 1) {
                    violations.add("periodic snapshot " + u.getSequence() + " after " + sequences.get(s));
                }
                OrderBook b = new OrderBook();
                b.replace(u.getBids(), u.getAsks());
                books.put(s, b);
            } else {
                OrderBook b = books.get(s);
                if (b == null) {
                    violations.add("delta before any snapshot of " + s);
                    return;
                }
                if (u.getSequence() != sequences.get(s) + 1) {
                    violations.add("delta sequence " + u.getSequence() + " after " + sequences.get(s));
                }
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
            sequences.put(s, u.getSequence());
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            statuses.add(status);
            if ("book".equals(status.getChannel())) {
                bookEvents.add(status.getVenueSymbol() + " " + status.getStatus());
            }
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        synchronized List<String> ids(String productId) {
            return trades.stream().filter(t -> t.getVenueSymbol().equals(productId)).map(Trade::getTradeId).toList();
        }

        synchronized List<FeedStatus> statuses(FeedState state) {
            return statuses.stream().filter(s -> s.getStatus() == state).toList();
        }

        synchronized List<String> bookEvents(String productId) {
            return bookEvents.stream().filter(e -> e.startsWith(productId + " "))
                    .map(e -> e.substring(productId.length() + 1)).toList();
        }

        synchronized String book(String productId) {
            OrderBook b = books.get(productId);
            return b == null ? "none" : b.toString();
        }
    }

    private final Consumer out = new Consumer();
    private CoinbaseEmulator emulator;
    private CoinbaseAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start(Set<Channel> channels, double rate, boolean generate) {
        CoinbaseEmulator.Builder b = CoinbaseEmulator.builder().seed(7).generate(generate);
        PRODUCTS.forEach(p -> b.product(p, rate));
        emulator = b.start();
        AdapterSettings settings = new AdapterSettings(PRODUCTS.stream().map(Instrument::parse).toList(),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofSeconds(3), Duration.ofHours(1), Map.of(), channels, 50);
        adapter = new CoinbaseAdapter(settings, out, FAST_REST);
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 1);
    }

    private static OrderBook truth(BookSnapshot s) {
        OrderBook b = new OrderBook();
        b.replace(levels(s.bids()), levels(s.asks()));
        return b;
    }

    private static List<BookLevel> levels(List<BookSnapshot.Level> levels) {
        return levels.stream().map(l -> new BookLevel(Decimals.parse(l.price()), Decimals.parse(l.qty()))).toList();
    }

    /** Pauses the market and waits until the adapter has every trade the market made. */
    private void settleTrades() {
        emulator.pause();
        for (String p : PRODUCTS) {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<String> got = out.ids(p);
                List<CoinbaseTrade> truth = emulator.trades(p);
                return !got.isEmpty() && got.get(got.size() - 1).equals(truth.get(truth.size() - 1).tradeId());
            });
        }
    }

    private void assertExactlyTheGroundTruth(String productId) {
        List<String> got = out.ids(productId);
        List<String> truth = emulator.trades(productId).stream().map(CoinbaseTrade::tradeId).toList();
        assertThat(got).isNotEmpty();
        assertThat(got).isEqualTo(truth.subList(truth.indexOf(got.get(0)), truth.size()));
    }

    private void assertBooksEqualTheEmulators() {
        for (String p : PRODUCTS) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(out.book(p)).as("book of %s", p).isEqualTo(truth(emulator.book(p)).toString()));
        }
        synchronized (out) {
            assertThat(out.violations).isEmpty();
        }
    }

    private void trade(int perProduct) {
        for (int i = 0; i < perProduct; i += 10) {
            for (String p : PRODUCTS) {
                emulator.trade(p, 10);
            }
        }
    }

    @Test
    void deliversExactlyTheGroundTruthNormalized() {
        long before = Micros.now();
        start(Set.of(Channel.TRADES), 150, true);
        await().atMost(Duration.ofSeconds(15)).until(() -> out.ids("BTC-USD").size() > 300
                && out.ids("ETH-USD").size() > 300);
        settleTrades();
        PRODUCTS.forEach(this::assertExactlyTheGroundTruth);
        Map<String, CoinbaseTrade> truth = emulator.trades("BTC-USD").stream()
                .collect(Collectors.toMap(CoinbaseTrade::tradeId, t -> t));
        synchronized (out) {
            for (Trade t : out.trades) {
                if (!t.getVenueSymbol().equals("BTC-USD")) {
                    continue;
                }
                CoinbaseTrade e = truth.get(t.getTradeId());
                assertThat(t.getVenue()).isEqualTo("COINBASE");
                assertThat(t.getSymbol()).isEqualTo("BTC-USD");
                assertThat(Decimals.toPlainString(t.getPrice())).isEqualTo(e.price());
                assertThat(Decimals.toPlainString(t.getSize())).isEqualTo(e.size());
                assertThat(t.getSide()).isEqualTo(e.takerBuys() ? Side.BUY : Side.SELL);
                assertThat(t.getEventTime()).isEqualTo(Instant.ofEpochMilli(e.timeMillis()));
                assertThat(Micros.of(t.getReceiveTime())).isBetween(before, Micros.now());
            }
            assertThat(out.statuses(FeedState.CONNECTED)).hasSize(1);
            assertThat(out.statuses(FeedState.GAP)).isEmpty();
            assertThat(out.rejected).isEmpty();
        }
    }

    @Test
    void theRebuiltBookAndTheQuotesEqualTheEmulatorsWithPeriodicSnapshots() {
        start(Set.of(Channel.BOOK, Channel.QUOTES), 0, false);
        trade(300);
        assertBooksEqualTheEmulators();
        for (String p : PRODUCTS) {
            BookSnapshot truth = emulator.book(p, 1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Quote q;
                synchronized (out) {
                    q = out.quotes.get(p);
                }
                assertThat(Decimals.toPlainString(q.getBidPrice())).isEqualTo(truth.bids().get(0).price());
                assertThat(Decimals.toPlainString(q.getAskSize())).isEqualTo(truth.asks().get(0).qty());
            });
            assertThat(out.bookEvents(p)).containsExactly("SNAPSHOT");
        }
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void aSkippedSequenceNumberIsAGapThenAResyncFromANewSnapshotAndTheBookIsRightAgain() {
        start(Set.of(Channel.BOOK, Channel.TRADES), 0, false);
        trade(50);
        assertBooksEqualTheEmulators();
        emulator.skipSequenceNumber();
        emulator.trade("BTC-USD", 1);   // its l2_data update is lost
        trade(50);
        assertBooksEqualTheEmulators();
        assertThat(emulator.messagesDropped()).isEqualTo(1);
        for (String p : PRODUCTS) {
            assertThat(out.bookEvents(p)).containsExactly("SNAPSHOT", "GAP", "RESYNC", "SNAPSHOT");
        }
        FeedStatus connectionGap = out.statuses(FeedState.GAP).get(0);
        assertThat(connectionGap.getChannel()).isNull();
        assertThat(connectionGap.getFromId()).isEqualTo(connectionGap.getToId());
        FeedStatus bookGap = out.statuses(FeedState.GAP).get(1);
        assertThat(bookGap.getChannel()).isEqualTo("book");
        assertThat(bookGap.getFromId()).isEqualTo(connectionGap.getFromId());
        assertThat(adapter.bookResyncs()).isEqualTo(2);
        settleTrades();
        PRODUCTS.forEach(this::assertExactlyTheGroundTruth);
    }

    @Test
    void aLostTradeMessageIsRecoveredFromTheResubscribedSnapshotWithoutDuplicates() {
        start(Set.of(Channel.TRADES), 0, false);
        trade(20);
        await().until(() -> out.ids("ETH-USD").size() == emulator.trades("ETH-USD").size());
        emulator.dropNextMessage("market_trades");
        emulator.trade("ETH-USD", 3);
        trade(20);
        settleTrades();
        PRODUCTS.forEach(this::assertExactlyTheGroundTruth);
        assertThat(out.statuses(FeedState.GAP)).singleElement()
                .satisfies(g -> assertThat(g.getChannel()).isNull());
        assertThat(adapter.duplicatesDropped()).isPositive();
    }

    @Test
    void droppedConnectionsAreReconnectedWithTradesCompleteAndBooksRebuilt() {
        start(Set.of(Channel.TRADES, Channel.BOOK), 60, true);
        await().until(() -> out.ids("BTC-USD").size() > 50);
        for (int i = 0; i < 3; i++) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.dropConnections();
            int connected = i + 2;
            await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.CONNECTED).size() == connected);
        }
        settleTrades();
        PRODUCTS.forEach(this::assertExactlyTheGroundTruth);
        assertBooksEqualTheEmulators();
        for (String p : PRODUCTS) {
            assertThat(out.bookEvents(p)).endsWith("RESYNC", "SNAPSHOT");
        }
        assertThat(out.statuses(FeedState.DISCONNECTED)).hasSize(3);
        assertThat(emulator.connectionsAccepted()).isEqualTo(4);
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void tradesNeverSentAreFetchedOverRestThroughARateLimit() {
        start(Set.of(Channel.TRADES), 0, false);
        trade(10);
        await().until(() -> out.ids("BTC-USD").size() == emulator.trades("BTC-USD").size());
        emulator.rateLimitRest(1, Duration.ofSeconds(1));
        emulator.skipWebsocketDelivery(5);
        emulator.trade("BTC-USD", 5);
        emulator.trade("BTC-USD", 2);
        settleTrades();
        PRODUCTS.forEach(this::assertExactlyTheGroundTruth);
        assertThat(adapter.tradesRecovered()).isEqualTo(5);
        assertThat(emulator.restRequests()).isEqualTo(2);
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void malformedFramesAreRejectedWithTheFieldNamedAndTheFeedContinues() {
        start(Set.of(Channel.TRADES), 0, false);
        trade(10);
        String bad = "{\"channel\":\"market_trades\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":1,"
                + "\"events\":[{\"type\":\"update\",\"trades\":[{\"product_id\":\"BTC-USD\",\"trade_id\":\"1\","
                + "\"price\":\"abc\",\"size\":\"1\",\"time\":\"2026-01-01T00:00:00Z\",\"side\":\"BUY\"}]}]}";
        emulator.sendMalformedFrame(bad);
        emulator.sendMalformedFrame("{\"channel\":\"market_tra");
        emulator.sendMalformedFrame("{\"type\":\"error\",\"message\":\"Failed to subscribe\"}");
        trade(10);
        settleTrades();
        PRODUCTS.forEach(this::assertExactlyTheGroundTruth);
        synchronized (out) {
            assertThat(out.rejected).extracting(RejectedFrame::reason).containsExactly(
                    "field 'events[0].trades[0].price' is not a decimal: 'abc'",
                    out.rejected.get(1).reason(), "venue error: Failed to subscribe");
            assertThat(out.rejected.get(1).reason()).startsWith("not valid JSON");
            assertThat(out.rejected.get(0).raw()).isEqualTo(bad);
        }
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }
}
