package io.tickerplant.venues.bitstamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.bitstamp.BitstampEmulator;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the Bitstamp emulator: trades equal the emulator's ground truth id for id, and the book a
 * consumer rebuilds from the published snapshot and deltas equals the emulator's book, through every fault.
 */
class BitstampAdapterIT {

    private static final RestClient.Policy FAST_REST =
            new RestClient.Policy(4, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(20));
    private static final List<String> PAIRS = List.of("btcusd", "ethusd");

    /** Everything the adapter emitted; rebuilds each book and checks the record sequence as it goes. */
    static final class Consumer implements VenueEventListener {
        final List<Trade> trades = new ArrayList<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final Map<String, Long> bookMicros = new HashMap<>();
        final Map<String, Quote> quotes = new HashMap<>();
        final List<Object> events = new ArrayList<>();
        final List<RejectedFrame> rejected = new ArrayList<>();
        final List<String> violations = new ArrayList<>();

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
            events.add(u);
            if (u.getSnapshot()) {
                OrderBook b = new OrderBook();
                b.replace(u.getBids(), u.getAsks());
                books.put(s, b);
                if (u.getSequence() != 0 && u.getSequence() != sequences.get(s) + 1) {
                    violations.add("periodic snapshot " + u.getSequence() + " after " + sequences.get(s));
                }
            } else {
                OrderBook b = books.get(s);
                if (b == null) {
                    violations.add("delta before any snapshot: " + u);
                    return;
                }
                if (u.getSequence() != sequences.get(s) + 1) {
                    violations.add("delta sequence " + u.getSequence() + " after " + sequences.get(s));
                }
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
            sequences.put(s, u.getSequence());
            bookMicros.put(s, u.getLastUpdateId());
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            events.add(status);
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        synchronized List<Trade> trades(String pair) {
            return trades.stream().filter(t -> t.getVenueSymbol().equals(pair)).toList();
        }

        synchronized long bookMicros(String pair) {
            return bookMicros.getOrDefault(pair, -1L);
        }

        synchronized OrderBook book(String pair) {
            OrderBook b = books.get(pair);
            return b == null ? null : b.copy();
        }

        /** Book statuses of a pair and its sequence-0 snapshots, in order. */
        synchronized List<String> bookStatuses(String pair) {
            List<String> out = new ArrayList<>();
            for (Object e : events) {
                if (e instanceof FeedStatus f && pair.equals(f.getVenueSymbol()) && "book".equals(f.getChannel())) {
                    out.add(f.getStatus().name());
                } else if (e instanceof BookUpdate u && u.getSnapshot() && u.getVenueSymbol().equals(pair)
                        && u.getSequence() == 0) {
                    out.add("SNAPSHOT");
                }
            }
            return out;
        }

        synchronized List<FeedStatus> statuses(FeedState state) {
            return events.stream().filter(e -> e instanceof FeedStatus f && f.getStatus() == state)
                    .map(e -> (FeedStatus) e).toList();
        }
    }

    private final Consumer out = new Consumer();
    private BitstampEmulator emulator;
    private BitstampAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start(Duration silenceTimeout) {
        emulator = BitstampEmulator.start(List.of("BTC-USD", "ETH-USD"), 0, 7, 0);
        AdapterSettings settings = new AdapterSettings(List.of(Instrument.parse("BTC-USD"), Instrument.parse("ETH-USD")),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                silenceTimeout, Duration.ofHours(1), Map.of(), Channel.all(), 50);
        adapter = new BitstampAdapter(settings, out, FAST_REST);
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 1);
        awaitBooksSynced();
    }

    private void awaitBooksSynced() {
        await().atMost(Duration.ofSeconds(10)).until(() -> PAIRS.stream().allMatch(p -> out.book(p) != null));
    }

    private void trade(int perPair) {
        for (int i = 0; i < perPair; i += 10) {
            for (String p : PAIRS) {
                emulator.trade(p, 10);
            }
        }
    }

    private static OrderBook truth(BookSnapshot s) {
        OrderBook b = new OrderBook();
        b.replace(levels(s.bids()), levels(s.asks()));
        return b;
    }

    private static List<BookLevel> levels(List<BookSnapshot.Level> levels) {
        return levels.stream().map(l -> new BookLevel(Decimals.parse(l.price()), Decimals.parse(l.qty()))).toList();
    }

    /** Waits until each rebuilt book is at the emulator's microtimestamp, then compares every level. */
    private void assertBooksEqualTheEmulators() {
        for (String p : PAIRS) {
            BookSnapshot truth = emulator.book(p);
            await().atMost(Duration.ofSeconds(15)).until(() -> out.bookMicros(p) == truth.lastUpdateId());
            assertThat(out.book(p).toString()).as("book of %s at %d", p, truth.lastUpdateId())
                    .isEqualTo(truth(truth).toString());
        }
        assertThat(out.violations).isEmpty();
    }

    /** Waits for every trade the emulator made, then compares id for id, digit for digit, and the side. */
    private void assertTradesEqualTheEmulators() {
        for (String p : PAIRS) {
            List<EmittedTrade> truth = emulator.trades(p);
            await().atMost(Duration.ofSeconds(15)).until(() -> out.trades(p).size() >= truth.size());
            List<Trade> got = out.trades(p);
            assertThat(got.stream().map(Trade::getTradeId).toList()).as("trade ids of %s", p)
                    .isEqualTo(truth.stream().map(t -> Long.toString(t.id())).toList());
            for (int i = 0; i < truth.size(); i++) {
                EmittedTrade t = truth.get(i);
                Trade g = got.get(i);
                assertThat(Decimals.toPlainString(g.getPrice())).isEqualTo(t.price());
                assertThat(Decimals.toPlainString(g.getSize())).isEqualTo(t.qty());
                assertThat(g.getSide()).isEqualTo(t.buyerIsMaker() ? Side.SELL : Side.BUY);
                assertThat(g.getSymbol()).isEqualTo(p.equals("btcusd") ? "BTC-USD" : "ETH-USD");
            }
        }
    }

    @Test
    void tradesBooksAndDerivedQuotesEqualTheEmulatorsGroundTruth() {
        start(Duration.ofSeconds(10));
        trade(300);
        assertTradesEqualTheEmulators();
        assertBooksEqualTheEmulators();
        for (String p : PAIRS) {
            BookSnapshot truth = emulator.book(p);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Quote q;
                synchronized (out) {
                    q = out.quotes.get(p);
                }
                assertThat(Decimals.toPlainString(q.getBidPrice())).isEqualTo(truth.bids().get(0).price());
                assertThat(Decimals.toPlainString(q.getBidSize())).isEqualTo(truth.bids().get(0).qty());
                assertThat(Decimals.toPlainString(q.getAskPrice())).isEqualTo(truth.asks().get(0).price());
                assertThat(Decimals.toPlainString(q.getAskSize())).isEqualTo(truth.asks().get(0).qty());
            });
            assertThat(out.bookStatuses(p)).containsExactly("SNAPSHOT");
        }
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
        assertThat(adapter.duplicatesDropped()).isZero();
    }

    @Test
    void aDroppedConnectionIsAGapWindowAndAResyncAndTheMissedTradesAreRecoveredOverRest() {
        start(Duration.ofSeconds(10));
        trade(50);
        assertBooksEqualTheEmulators();
        emulator.dropConnections();
        trade(30);   // made while the adapter is away: recovered from /api/v2/transactions
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 1 && adapter.isConnected());
        trade(50);
        assertTradesEqualTheEmulators();
        assertBooksEqualTheEmulators();
        assertThat(adapter.tradesRecovered()).isGreaterThanOrEqualTo(60);
        assertThat(out.statuses(FeedState.DISCONNECTED)).hasSize(1);
        assertThat(out.statuses(FeedState.CONNECTED)).hasSize(2);
        for (String p : PAIRS) {
            List<String> seq = out.bookStatuses(p);
            assertThat(seq).containsExactly("SNAPSHOT", "GAP", "RESYNC", "SNAPSHOT");
        }
        FeedStatus gap = out.statuses(FeedState.GAP).get(0);
        assertThat(gap.getChannel()).isEqualTo("book");
        assertThat(Long.parseLong(gap.getToId())).isGreaterThan(Long.parseLong(gap.getFromId()));
    }

    @Test
    void aReconnectRequestIsObeyedAndTheFeedResumesWithoutLosingTrades() {
        start(Duration.ofSeconds(10));
        trade(30);
        emulator.requestReconnect();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionsAccepted() == 2
                && emulator.connectionCount() == 1 && adapter.isConnected());
        trade(30);
        assertTradesEqualTheEmulators();
        assertBooksEqualTheEmulators();
        assertThat(adapter.reconnectRequests()).isEqualTo(1);
        assertThat(out.bookStatuses("btcusd")).endsWith("GAP", "RESYNC", "SNAPSHOT");
    }

    @Test
    void aLostDiffIsCaughtWhenItCrossesTheBookThenTheBookIsResynchronized() {
        // Bitstamp diffs have no sequence numbers: a lost diff shows only when it leaves the book crossed (or out of
        // order, or at the next reconnect). The emulator's price walk makes a stale level cross sooner or later.
        start(Duration.ofSeconds(10));
        trade(20);
        assertBooksEqualTheEmulators();
        int rounds = 0;
        while (out.statuses(FeedState.GAP).isEmpty() && rounds++ < 300) {
            if (rounds % 20 == 1) {
                emulator.skipDiff();
            }
            emulator.trade("btcusd", 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> out.bookMicros("btcusd") >= 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !out.statuses(FeedState.GAP).isEmpty());
        FeedStatus gap = out.statuses(FeedState.GAP).get(0);
        assertThat(gap.getDetail()).contains("crossed");
        assertThat(gap.getSymbol()).isEqualTo("BTC-USD");
        trade(20);
        assertBooksEqualTheEmulators();
        List<String> seq = out.bookStatuses("btcusd");
        assertThat(seq.subList(seq.indexOf("GAP"), seq.size())).startsWith("GAP", "RESYNC", "SNAPSHOT");
        assertThat(emulator.diffsSkipped()).isPositive();
        assertThat(out.bookStatuses("ethusd")).containsExactly("SNAPSHOT");
    }

    @Test
    void aMalformedFrameIsRejectedWithTheFieldAndTheFeedGoesOn() {
        start(Duration.ofSeconds(10));
        emulator.sendMalformedFrame("{\"data\":{\"id\":1,\"amount_str\":\"abc\",\"price_str\":\"1.0\",\"type\":0,"
                + "\"microtimestamp\":\"1\"},\"channel\":\"live_trades_btcusd\",\"event\":\"trade\"}");
        emulator.sendMalformedFrame("{\"event\":\"trade\",");
        trade(20);
        assertTradesEqualTheEmulators();
        await().atMost(Duration.ofSeconds(5)).until(() -> adapter.framesRejected() == 2);
        synchronized (out) {
            assertThat(out.rejected.get(0).reason()).contains("amount_str").contains("abc");
            assertThat(out.rejected.get(1).reason()).contains("not valid JSON");
        }
        assertThat(out.statuses(FeedState.DISCONNECTED)).isEmpty();
    }

    @Test
    void aRateLimitedSnapshotIsRetriedAfterRetryAfterAndTheBookSyncs() {
        emulator = BitstampEmulator.start(List.of("BTC-USD"), 0, 7, 0);
        emulator.rateLimitRest(1, Duration.ofSeconds(1));
        AdapterSettings settings = new AdapterSettings(List.of(Instrument.parse("BTC-USD")),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofSeconds(10), Duration.ofHours(1), Map.of(), java.util.Set.of(Channel.BOOK), 50);
        adapter = new BitstampAdapter(settings, out, FAST_REST);
        long started = System.nanoTime();
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.book("btcusd") != null);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(emulator.restRequests()).isEqualTo(2);
        emulator.trade("btcusd", 20);
        BookSnapshot truth = emulator.book("btcusd");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.bookMicros("btcusd") == truth.lastUpdateId());
        assertThat(out.book("btcusd").toString()).isEqualTo(truth(truth).toString());
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void heartbeatsKeepAQuietConnectionOpen() throws InterruptedException {
        start(Duration.ofMillis(600));
        Thread.sleep(2000);
        assertThat(emulator.heartbeatsAnswered()).isGreaterThanOrEqualTo(3);
        assertThat(adapter.heartbeatsAnswered()).isGreaterThanOrEqualTo(3);
        assertThat(emulator.connectionsAccepted()).isEqualTo(1);
        assertThat(out.statuses(FeedState.DISCONNECTED)).isEmpty();
    }
}
