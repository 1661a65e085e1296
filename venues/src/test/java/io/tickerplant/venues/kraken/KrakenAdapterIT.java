package io.tickerplant.venues.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.kraken.KrakenEmulator;
import io.tickerplant.emulator.kraken.KrakenEmulator.KrakenTrade;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.book.OrderBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the Kraken v2 emulator: trades id for id and digit for digit against the emulator's ground
 * truth, and, after each fault, the GAP/RESYNC (or DISCONNECTED/CONNECTED) events and a book, rebuilt from the
 * published snapshots and deltas, equal to the emulator's.
 */
class KrakenAdapterIT {

    private static final List<String> SYMBOLS = List.of("BTC/USD", "ETH/USD");

    /** A consumer of the adapter's output: rebuilds each book from snapshots and deltas, as downstream would. */
    static final class Consumer implements VenueEventListener {
        final List<Trade> trades = new ArrayList<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final Map<String, Quote> quotes = new HashMap<>();
        final List<FeedStatus> statuses = new ArrayList<>();
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
            if (u.getSnapshot()) {
                OrderBook b = new OrderBook();
                b.replace(u.getBids(), u.getAsks());
                books.put(s, b);
            } else {
                OrderBook b = books.get(s);
                if (b == null) {
                    violations.add("delta before any snapshot: " + u);
                    return;
                }
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
            Long before = sequences.get(s);
            if (u.getSequence() != 0 && (before == null || u.getSequence() != before + 1)) {
                violations.add("sequence " + u.getSequence() + " after " + before);
            }
            sequences.put(s, u.getSequence());
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            statuses.add(status);
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        synchronized OrderBook book(String symbol) {
            OrderBook b = books.get(symbol);
            return b == null ? null : b.copy();
        }

        synchronized List<FeedStatus> statuses(FeedState state) {
            return statuses.stream().filter(f -> f.getStatus() == state).toList();
        }

        synchronized List<Trade> trades(String symbol) {
            return trades.stream().filter(t -> t.getVenueSymbol().equals(symbol)).toList();
        }
    }

    private final Consumer out = new Consumer();
    private KrakenEmulator emulator;
    private KrakenAdapter adapter;

    @BeforeEach
    void start() {
        emulator = KrakenEmulator.start(KrakenEmulator.Options.of(SYMBOLS, 0).withSeed(7).withGenerate(false));
        SYMBOLS.forEach(s -> emulator.trade(s, 60));
        adapter = new KrakenAdapter(settings(Duration.ofSeconds(10)), out);
        adapter.start();
        awaitBooksSynced();
    }

    private AdapterSettings settings(Duration silence) {
        return new AdapterSettings(List.of(Instrument.parse("BTC-USD"), Instrument.parse("ETH-USD")),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300), silence,
                Duration.ofHours(1), Map.of(), Set.of(Channel.TRADES, Channel.QUOTES, Channel.BOOK), 40);
    }

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void awaitBooksSynced() {
        await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream().allMatch(s -> out.book(s) != null));
    }

    private void trade(int perSymbol) {
        for (int i = 0; i < perSymbol; i++) {
            for (String s : SYMBOLS) {
                emulator.trade(s, 1);
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

    private void assertBooksEqualTheEmulators() {
        for (String s : SYMBOLS) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                OrderBook rebuilt = out.book(s);
                assertThat(rebuilt).isNotNull();
                assertThat(rebuilt.toString()).as("book of %s", s)
                        .isEqualTo(truth(emulator.book(s, KrakenAdapter.BOOK_DEPTH)).toString());
            });
        }
        assertThat(out.violations).isEmpty();
    }

    /** Every trade of the emulator from the first one the adapter delivered, id for id and digit for digit. */
    private void assertTradesEqualTheEmulators() {
        for (String s : SYMBOLS) {
            List<KrakenTrade> truth = emulator.trades(s);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<Trade> got = out.trades(s);
                return !got.isEmpty() && got.get(got.size() - 1).getTradeId()
                        .equals(Long.toString(truth.get(truth.size() - 1).tradeId()));
            });
            List<Trade> got = out.trades(s);
            long first = Long.parseLong(got.get(0).getTradeId());
            List<String> expected = truth.stream().filter(t -> t.tradeId() >= first)
                    .map(t -> t.tradeId() + " " + t.price() + " x " + t.qty() + " " + t.side()).toList();
            List<String> actual = got.stream().map(t -> t.getTradeId() + " " + Decimals.toPlainString(t.getPrice())
                    + " x " + Decimals.toPlainString(t.getSize()) + " " + t.getSide().name().toLowerCase()).toList();
            assertThat(actual).as("trades of %s", s).containsExactlyElementsOf(expected);
            assertThat(new HashSet<>(actual)).hasSize(actual.size());
        }
    }

    @Test
    void tradesAndBooksEqualTheEmulatorsGroundTruth() {
        trade(150);
        assertTradesEqualTheEmulators();
        assertBooksEqualTheEmulators();
        // The subscription's snapshot brings the last 50 trades made before connecting.
        assertThat(out.trades("BTC/USD").get(0).getTradeId()).isEqualTo(Long.toString(
                emulator.trades("BTC/USD").get(10).tradeId()));
        assertThat(out.quotes).containsKeys("BTC/USD", "ETH/USD");
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
        assertThat(out.rejected).isEmpty();
        assertThat(out.trades.get(0).getSymbol()).isIn("BTC-USD", "ETH-USD");
    }

    @Test
    void aDroppedConnectionReconnectsRecoversMissedTradesFromTheSnapshotAndResyncsTheBook() {
        trade(20);
        emulator.dropConnections();
        await().atMost(Duration.ofSeconds(5)).until(() -> out.statuses(FeedState.DISCONNECTED).size() == 1);
        trade(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.CONNECTED).size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.RESYNC).size() == 2);
        trade(30);
        assertTradesEqualTheEmulators();
        assertBooksEqualTheEmulators();
        assertThat(adapter.duplicatesDropped()).isPositive();
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void aCorruptedChecksumIsAGapFollowedByAResubscriptionAndResync() {
        trade(5);
        long subscriptions = emulator.bookSubscriptions();
        emulator.corruptNextChecksum();
        trade(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.RESYNC).size() == 1);
        FeedStatus gap = out.statuses(FeedState.GAP).get(0);
        assertThat(gap.getChannel()).isEqualTo("book");
        assertThat(gap.getDetail()).contains("checksum mismatch").contains("Kraken sent");
        assertThat(emulator.bookSubscriptions()).isEqualTo(subscriptions + 1);
        trade(20);
        assertBooksEqualTheEmulators();
        assertTradesEqualTheEmulators();
    }

    @Test
    void aLostBookUpdateFailsTheNextChecksumAndTheBookIsRebuilt() {
        trade(5);
        emulator.skipBookUpdate();
        trade(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.RESYNC).size() == 1);
        assertThat(emulator.bookUpdatesSkipped()).isEqualTo(1);
        assertThat(out.statuses(FeedState.GAP)).hasSize(1);
        trade(20);
        assertBooksEqualTheEmulators();
    }

    @Test
    void aMalformedFrameIsRejectedWithItsReasonAndTheFeedGoesOn() {
        emulator.sendMalformedFrame("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
                + "\"side\":\"buy\",\"price\":\"abc\",\"qty\":1,\"trade_id\":1,\"timestamp\":\"2024-01-01T00:00:00Z\"}]}");
        emulator.sendMalformedFrame("{\"channel\":");
        await().atMost(Duration.ofSeconds(5)).until(() -> out.rejected.size() == 2);
        assertThat(out.rejected.get(0).reason()).contains("data[0].price").contains("abc");
        assertThat(out.rejected.get(1).reason()).startsWith("not valid JSON");
        trade(20);
        assertTradesEqualTheEmulators();
        assertBooksEqualTheEmulators();
    }

    @Test
    void aQuietConnectionIsPinged() {
        adapter.close();
        emulator.close();
        emulator = KrakenEmulator.start(new KrakenEmulator.Options(
                KrakenEmulator.Options.of(SYMBOLS, 0).pairs(), 7, 1, false, Duration.ofHours(1), "127.0.0.1", 0));
        adapter = new KrakenAdapter(settings(Duration.ofSeconds(3)), out);
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.pings() >= 2);
        assertThat(adapter.pingsSent()).isGreaterThanOrEqualTo(2);
        // Pongs keep the silence watchdog from reconnecting.
        assertThat(emulator.connectionsAccepted()).isEqualTo(1);
    }
}
