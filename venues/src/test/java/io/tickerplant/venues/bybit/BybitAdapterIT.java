package io.tickerplant.venues.bybit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.bybit.BybitEmulator;
import io.tickerplant.emulator.bybit.BybitEmulator.Category;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the Bybit emulator, spot {@code BTC-USDT} and linear {@code BTC-USDT-PERP} (both
 * {@code BTCUSDT} on the wire): trades id for id, books rebuilt from the published records equal to the
 * emulator's, and each fault's FeedStatus events.
 */
class BybitAdapterIT {

    /** Rebuilds books from snapshot + deltas, checks the record sequence, keeps everything else. */
    static final class Consumer implements VenueEventListener {
        final List<Trade> trades = new ArrayList<>();
        final List<Quote> quotes = new ArrayList<>();
        final List<Funding> funding = new ArrayList<>();
        final List<Liquidation> liquidations = new ArrayList<>();
        final List<FeedStatus> statuses = new ArrayList<>();
        final List<RejectedFrame> rejected = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final Map<String, Long> updateIds = new HashMap<>();

        @Override
        public synchronized void onTrade(Trade trade) {
            trades.add(trade);
        }

        @Override
        public synchronized void onQuote(Quote quote) {
            quotes.add(quote);
        }

        @Override
        public synchronized void onFunding(Funding f) {
            funding.add(f);
        }

        @Override
        public synchronized void onLiquidation(Liquidation l) {
            liquidations.add(l);
        }

        @Override
        public synchronized void onBook(BookUpdate u) {
            String s = u.getSymbol();
            if (u.getSnapshot()) {
                if (u.getSequence() != 0 && u.getSequence() != sequences.getOrDefault(s, -9L) + 1) {
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
                if (u.getLastUpdateId() != updateIds.get(s) + 1) {
                    violations.add("delta u=" + u.getLastUpdateId() + " after u=" + updateIds.get(s));
                }
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
            sequences.put(s, u.getSequence());
            updateIds.put(s, u.getLastUpdateId());
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            statuses.add(status);
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        synchronized long updateId(String symbol) {
            return updateIds.getOrDefault(symbol, -1L);
        }

        synchronized OrderBook book(String symbol) {
            OrderBook b = books.get(symbol);
            return b == null ? null : b.copy();
        }

        synchronized List<FeedState> states(String symbol) {
            return statuses.stream().filter(f -> symbol == null ? f.getSymbol() == null : symbol.equals(f.getSymbol()))
                    .map(FeedStatus::getStatus).toList();
        }

        synchronized List<Trade> trades(String symbol) {
            return trades.stream().filter(t -> t.getSymbol().equals(symbol)).toList();
        }
    }

    private static final String SPOT = "BTC-USDT";
    private static final String PERP = "BTC-USDT-PERP";

    private final Consumer out = new Consumer();
    private BybitEmulator emulator;
    private BybitAdapter adapter;

    @BeforeEach
    void start() {
        emulator = BybitEmulator.start(List.of(BybitEmulator.listed(SPOT, 0), BybitEmulator.listed(PERP, 0)), 7,
                false, "127.0.0.1", 0);
        AdapterSettings settings = new AdapterSettings(List.of(Instrument.parse(SPOT), Instrument.parse(PERP)),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofMillis(1500), Duration.ofHours(1), Map.of(), Channel.all(), 25);
        adapter = new BybitAdapter(settings, out);
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 2);
        // The subscriptions are in once both books have their first snapshot.
        await().atMost(Duration.ofSeconds(10)).until(() -> out.book(SPOT) != null && out.book(PERP) != null);
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

    private static OrderBook truth(BookSnapshot s) {
        OrderBook b = new OrderBook();
        b.replace(levels(s.bids()), levels(s.asks()));
        return b;
    }

    private static List<BookLevel> levels(List<BookSnapshot.Level> levels) {
        return levels.stream().map(l -> new BookLevel(Decimals.parse(l.price()), Decimals.parse(l.qty()))).toList();
    }

    private void assertBookEqualsTheEmulators(String canonical, Category category) {
        BookSnapshot truth = emulator.book(category, "BTCUSDT");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.updateId(canonical) == truth.lastUpdateId());
        assertThat(out.book(canonical).toString()).as("book of %s at u=%d", canonical, truth.lastUpdateId())
                .isEqualTo(truth(truth).toString());
        synchronized (out) {
            assertThat(out.violations).isEmpty();
        }
    }

    private void assertTradesEqualTheEmulators(String canonical, Category category) {
        List<EmittedTrade> truth = emulator.trades(category, "BTCUSDT");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.trades(canonical).size() >= truth.size());
        List<Trade> got = out.trades(canonical);
        assertThat(got).hasSize(truth.size());
        assertThat(new HashSet<>(got.stream().map(Trade::getTradeId).toList())).hasSize(got.size());
        for (int i = 0; i < truth.size(); i++) {
            EmittedTrade e = truth.get(i);
            Trade t = got.get(i);
            assertThat(t.getTradeId()).isEqualTo(BybitEmulator.tradeId(category, e.id()));
            assertThat(Decimals.toPlainString(t.getPrice())).isEqualTo(e.price());
            assertThat(Decimals.toPlainString(t.getSize())).isEqualTo(e.qty());
            assertThat(t.getSide()).isEqualTo(e.buyerIsMaker() ? Side.SELL : Side.BUY);
            assertThat(t.getEventTime().toEpochMilli()).isEqualTo(e.timeMillis());
            assertThat(t.getVenueSymbol()).isEqualTo("BTCUSDT");
        }
    }

    @Test
    void tradesAndBooksOfBothCategoriesEqualTheEmulatorsGroundTruth() {
        for (int i = 0; i < 20; i++) {
            emulator.trade(Category.SPOT, "BTCUSDT", 5);
            emulator.trade(Category.LINEAR, "BTCUSDT", 5);
        }
        assertTradesEqualTheEmulators(SPOT, Category.SPOT);
        assertTradesEqualTheEmulators(PERP, Category.LINEAR);
        assertBookEqualsTheEmulators(SPOT, Category.SPOT);
        assertBookEqualsTheEmulators(PERP, Category.LINEAR);
        assertThat(out.states(SPOT)).doesNotContain(FeedState.GAP);
        assertThat(out.states(PERP)).doesNotContain(FeedState.GAP);
        synchronized (out) {
            assertThat(out.rejected).isEmpty();
        }
    }

    @Test
    void quotesAndMergedFundingFollowTheEmulatorsTopOfBookAndTicker() {
        emulator.trade(Category.SPOT, "BTCUSDT", 30);
        emulator.trade(Category.LINEAR, "BTCUSDT", 30);
        BookSnapshot spot = emulator.book(Category.SPOT, "BTCUSDT", 1);
        Map<String, String> ticker = emulator.ticker("BTCUSDT");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            synchronized (out) {
                Quote sq = out.quotes.stream().filter(q -> q.getSymbol().equals(SPOT)).reduce((a, b) -> b).orElseThrow();
                assertThat(Decimals.toPlainString(sq.getBidPrice())).isEqualTo(spot.bids().get(0).price());
                assertThat(Decimals.toPlainString(sq.getAskSize())).isEqualTo(spot.asks().get(0).qty());
                Quote lq = out.quotes.stream().filter(q -> q.getSymbol().equals(PERP)).reduce((a, b) -> b).orElseThrow();
                assertThat(Decimals.toPlainString(lq.getBidPrice())).isEqualTo(ticker.get("bid1Price"));
                assertThat(Decimals.toPlainString(lq.getAskPrice())).isEqualTo(ticker.get("ask1Price"));
                Funding f = out.funding.get(out.funding.size() - 1);
                assertThat(f.getSymbol()).isEqualTo(PERP);
                assertThat(Decimals.toPlainString(f.getMarkPrice())).isEqualTo(ticker.get("markPrice"));
                assertThat(Decimals.toPlainString(f.getIndexPrice())).isEqualTo(ticker.get("indexPrice"));
                assertThat(Decimals.toPlainString(f.getFundingRate())).isEqualTo(ticker.get("fundingRate"));
                assertThat(f.getNextFundingTime().toEpochMilli()).isEqualTo(Long.parseLong(ticker.get("nextFundingTime")));
            }
        });
    }

    @Test
    void liquidationsArriveWithTheClosingOrdersSide() {
        emulator.liquidate("BTCUSDT", "Buy", "0.015", "59000.5");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (out) {
                return !out.liquidations.isEmpty();
            }
        });
        Liquidation l = out.liquidations.get(0);
        assertThat(l.getSymbol()).isEqualTo(PERP);
        assertThat(l.getSide()).as("a long (Buy) position is closed by a sell").isEqualTo(Side.SELL);
        assertThat(Decimals.toPlainString(l.getQuantity())).isEqualTo("0.015");
        assertThat(Decimals.toPlainString(l.getPrice())).isEqualTo("59000.5");
    }

    @Test
    void aSkippedDeltaIsAGapRepairedByResubscribingAndTheBookEqualsTheEmulatorsAfterwards() {
        emulator.trade(Category.LINEAR, "BTCUSDT", 5);
        long before = emulator.book(Category.LINEAR, "BTCUSDT").lastUpdateId();
        emulator.skipBookDelta();
        emulator.trade(Category.LINEAR, "BTCUSDT", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.states(PERP).contains(FeedState.RESYNC));
        FeedStatus gap;
        synchronized (out) {
            gap = out.statuses.stream().filter(s -> s.getStatus() == FeedState.GAP).findFirst().orElseThrow();
        }
        assertThat(gap.getChannel()).isEqualTo("book");
        assertThat(gap.getFromId()).isEqualTo(Long.toString(before + 1));
        assertThat(gap.getToId()).isEqualTo(Long.toString(before + 1));
        assertThat(out.states(PERP)).containsSubsequence(FeedState.GAP, FeedState.RESYNC);
        emulator.trade(Category.LINEAR, "BTCUSDT", 20);
        assertBookEqualsTheEmulators(PERP, Category.LINEAR);
        assertThat(adapter.resubscriptions()).isEqualTo(1);
    }

    @Test
    void aRestartedBookServiceOverwritesTheBookWithoutAGap() {
        emulator.trade(Category.SPOT, "BTCUSDT", 10);
        emulator.restartBookService(Category.SPOT, "BTCUSDT");
        emulator.trade(Category.SPOT, "BTCUSDT", 10);
        assertBookEqualsTheEmulators(SPOT, Category.SPOT);
        assertThat(emulator.book(Category.SPOT, "BTCUSDT").lastUpdateId()).isLessThan(100);
        assertThat(out.states(SPOT)).doesNotContain(FeedState.GAP, FeedState.RESYNC);
    }

    @Test
    void aDroppedConnectionIsReportedAndTheBooksComeBackFromTheNewSubscriptions() {
        emulator.trade(Category.SPOT, "BTCUSDT", 5);
        emulator.trade(Category.LINEAR, "BTCUSDT", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.trades.size() == 10);
        emulator.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.states(null).stream()
                .filter(s -> s == FeedState.DISCONNECTED).count() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 2
                && out.states(null).stream().filter(s -> s == FeedState.CONNECTED).count() == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.states(PERP).contains(FeedState.RESYNC)
                && out.states(SPOT).contains(FeedState.RESYNC));
        emulator.trade(Category.SPOT, "BTCUSDT", 10);
        emulator.trade(Category.LINEAR, "BTCUSDT", 10);
        assertBookEqualsTheEmulators(SPOT, Category.SPOT);
        assertBookEqualsTheEmulators(PERP, Category.LINEAR);
        assertTradesEqualTheEmulators(SPOT, Category.SPOT);
    }

    @Test
    void aMalformedFrameIsRejectedWithTheFieldAndTheFeedGoesOn() {
        emulator.sendMalformedFrame("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1,\"data\":"
                + "[{\"T\":1,\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"0.1\",\"p\":\"abc\",\"i\":\"x\"}]}");
        emulator.sendMalformedFrame("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"delta\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (out) {
                return out.rejected.size() == 4;
            }
        });
        synchronized (out) {
            assertThat(out.rejected).anySatisfy(r -> assertThat(r.reason()).contains("data[0].p").contains("abc"));
            assertThat(out.rejected).anySatisfy(r -> assertThat(r.reason()).startsWith("not valid JSON"));
        }
        emulator.trade(Category.SPOT, "BTCUSDT", 5);
        assertTradesEqualTheEmulators(SPOT, Category.SPOT);
        assertBookEqualsTheEmulators(SPOT, Category.SPOT);
    }

    @Test
    void pingsKeepAQuietConnectionAlive() throws InterruptedException {
        // Silence timeout 1.5 s, pings every 0.5 s: three seconds without market data must not reconnect.
        Thread.sleep(3000);
        assertThat(emulator.pingsReceived()).isGreaterThanOrEqualTo(4);
        assertThat(adapter.pongsReceived()).isGreaterThanOrEqualTo(4);
        assertThat(emulator.connectionsAccepted()).isEqualTo(2);
        assertThat(out.states(null)).doesNotContain(FeedState.DISCONNECTED);
    }
}
