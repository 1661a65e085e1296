package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.emulator.binance.EmittedLiquidation;
import io.tickerplant.emulator.binance.EmittedMarkPrice;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The USD-M futures adapter against the emulator in futures mode, whose every event is the ground truth. */
class BinanceFuturesAdapterIT {

    private static final RestClient.Policy FAST_REST =
            new RestClient.Policy(4, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(20));
    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

    /** Everything the adapter emitted; rebuilds each book from its snapshots and deltas as it goes. */
    static final class Recording implements VenueEventListener {
        final List<Trade> trades = new ArrayList<>();
        final List<Liquidation> liquidations = new ArrayList<>();
        final List<Funding> fundings = new ArrayList<>();
        final List<FeedStatus> statuses = new ArrayList<>();
        final List<RejectedFrame> rejected = new ArrayList<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> updateIds = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        int quotes;

        @Override
        public synchronized void onTrade(Trade trade) {
            trades.add(trade);
        }

        @Override
        public synchronized void onQuote(io.tickerplant.model.avro.Quote quote) {
            quotes++;
        }

        @Override
        public synchronized void onLiquidation(Liquidation l) {
            liquidations.add(l);
        }

        @Override
        public synchronized void onFunding(Funding f) {
            fundings.add(f);
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
                if (b == null || u.getSequence() != sequences.get(s) + 1) {
                    violations.add("delta out of sequence: " + u.getSequence() + " after " + sequences.get(s));
                    return;
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

        synchronized List<Long> ids(String venueSymbol) {
            return trades.stream().filter(t -> t.getVenueSymbol().equals(venueSymbol))
                    .map(t -> Long.parseLong(t.getTradeId())).toList();
        }

        synchronized List<String> states(String channel) {
            return statuses.stream().filter(s -> channel == null ? s.getChannel() == null
                    : channel.equals(s.getChannel())).map(s -> s.getStatus().name()).toList();
        }

        synchronized long updateId(String s) {
            return updateIds.getOrDefault(s, -1L);
        }

        synchronized String book(String s) {
            OrderBook b = books.get(s);
            return b == null ? null : b.toString();
        }
    }

    private final Recording out = new Recording();
    private BinanceEmulator emulator;
    private BinanceFuturesAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start(BinanceConnectionPlan.Limits limits, boolean generate) {
        BinanceEmulator.Builder b = BinanceEmulator.builder().futures(true).seed(5).generate(generate)
                .markPriceInterval(Duration.ofMillis(200)).liquidationsPerSecond(0);
        SYMBOLS.forEach(s -> b.symbol(s, generate ? 100 : 0));
        emulator = b.start();
        AdapterSettings settings = new AdapterSettings(
                List.of(Instrument.parse("BTC-USDT-PERP"), Instrument.parse("ETH-USDT-PERP")),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofSeconds(10), Duration.ofHours(1), Map.of(), Channel.all(), 50);
        adapter = new BinanceFuturesAdapter(settings, out, FAST_REST, limits);
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> adapter.isConnected());
    }

    private static OrderBook truth(BookSnapshot s) {
        OrderBook b = new OrderBook();
        b.replace(levels(s.bids()), levels(s.asks()));
        return b;
    }

    private static List<BookLevel> levels(List<BookSnapshot.Level> levels) {
        return levels.stream().map(l -> new BookLevel(Decimals.parse(l.price()), Decimals.parse(l.qty()))).toList();
    }

    /** Trades on both symbols, waits until every trade and book update has arrived. */
    private void tradeAndSettle(int perSymbol) {
        for (int i = 0; i < perSymbol; i += 10) {
            SYMBOLS.forEach(s -> emulator.trade(s, 10));
        }
        settle();
    }

    private void settle() {
        emulator.pause();
        for (String s : SYMBOLS) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<Long> got = out.ids(s);
                return !got.isEmpty() && got.get(got.size() - 1) == emulator.lastTradeId(s)
                        && out.updateId(s) == emulator.book(s).lastUpdateId();
            });
        }
    }

    /** Trades id for id and digit for digit, no duplicates; books level for level. */
    private void assertEqualsTheGroundTruth() {
        for (String s : SYMBOLS) {
            List<Trade> got;
            synchronized (out) {
                got = out.trades.stream().filter(t -> t.getVenueSymbol().equals(s)).toList();
            }
            long first = Long.parseLong(got.get(0).getTradeId());
            List<EmittedTrade> truth = emulator.trades(s).stream().filter(t -> t.id() >= first).toList();
            assertThat(got).hasSameSizeAs(truth);
            for (int i = 0; i < truth.size(); i++) {
                Trade t = got.get(i);
                EmittedTrade e = truth.get(i);
                assertThat(t.getTradeId()).isEqualTo(Long.toString(e.id()));
                assertThat(Decimals.toPlainString(t.getPrice())).isEqualTo(e.price());
                assertThat(Decimals.toPlainString(t.getSize())).isEqualTo(e.qty());
                assertThat(t.getSide()).isEqualTo(e.buyerIsMaker() ? Side.SELL : Side.BUY);
                assertThat(t.getSymbol()).isEqualTo(s.replace("USDT", "-USDT-PERP"));
                assertThat(t.getVenue()).isEqualTo("BINANCE_FUTURES");
            }
            assertThat(out.book(s)).as("book of %s", s).isEqualTo(truth(emulator.book(s)).toString());
        }
        synchronized (out) {
            assertThat(out.violations).isEmpty();
        }
    }

    @Test
    void tradesBooksLiquidationsAndFundingEqualTheEmulatorsGroundTruth() {
        start(BinanceConnectionPlan.Limits.binance(), false);
        SYMBOLS.forEach(s -> emulator.trade(s, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream().allMatch(s -> out.book(s) != null));
        tradeAndSettle(200);
        assertEqualsTheGroundTruth();
        assertThat(out.quotes).isPositive();

        EmittedLiquidation sold = emulator.liquidate("BTCUSDT", "SELL", "0.014");
        EmittedLiquidation bought = emulator.liquidate("ETHUSDT", "BUY", "2.5");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (out) {
                return out.liquidations.size() == 2;
            }
        });
        synchronized (out) {
            Liquidation l = out.liquidations.get(0);
            assertThat(l.getSymbol()).isEqualTo("BTC-USDT-PERP");
            assertThat(l.getSide()).isEqualTo(Side.SELL);
            assertThat(Decimals.toPlainString(l.getPrice())).isEqualTo(sold.price());
            assertThat(Decimals.toPlainString(l.getQuantity())).isEqualTo("0.014");
            assertThat(l.getEventTime()).isEqualTo(Instant.ofEpochMilli(sold.eventTimeMillis()));
            assertThat(out.liquidations.get(1).getSide()).isEqualTo(Side.BUY);
            assertThat(Decimals.toPlainString(out.liquidations.get(1).getPrice())).isEqualTo(bought.price());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (out) {
                return out.fundings.size() >= 4;
            }
        });
        for (String s : SYMBOLS) {
            List<String> got;
            synchronized (out) {
                got = out.fundings.stream().filter(f -> f.getVenueSymbol().equals(s))
                        .map(f -> Decimals.toPlainString(f.getMarkPrice()) + " " + Decimals.toPlainString(
                                f.getIndexPrice()) + " " + Decimals.toPlainString(f.getFundingRate()) + " "
                                + f.getNextFundingTime().toEpochMilli() + " " + f.getEventTime().toEpochMilli())
                        .toList();
            }
            List<String> truth = emulator.markPrices(s).stream().map(m -> m.markPrice() + " " + m.indexPrice() + " "
                    + m.fundingRate() + " " + m.nextFundingTimeMillis() + " " + m.eventTimeMillis()).toList();
            // Every update received, in order, digit for digit: a run of what the emulator sent.
            assertThat(got).isNotEmpty();
            assertThat(java.util.Collections.indexOfSubList(truth, got)).as("funding of %s: %s in %s", s, got, truth)
                    .isNotNegative();
        }
    }

    @Test
    void aSkippedDepthUpdateBreaksThePuChainAndTheBookIsResynchronized() {
        start(BinanceConnectionPlan.Limits.binance(), false);
        tradeAndSettle(50);
        emulator.resume();
        emulator.skipDepthUpdate();
        tradeAndSettle(50);
        assertThat(out.states("book")).contains("GAP", "RESYNC");
        synchronized (out) {
            FeedStatus gap = out.statuses.stream().filter(s -> s.getStatus() == FeedState.GAP).findFirst()
                    .orElseThrow();
            assertThat(gap.getDetail()).contains("pu=");
            assertThat(gap.getFromId()).isNotNull();
        }
        assertEqualsTheGroundTruth();
    }

    @Test
    void aDroppedConnectionReconnectsRecoversTradesAndRebuildsTheBooks() {
        start(BinanceConnectionPlan.Limits.binance(), false);
        tradeAndSettle(50);
        emulator.resume();
        emulator.dropConnections();
        SYMBOLS.forEach(s -> emulator.trade(s, 30));  // made while away: recovered over REST
        await().atMost(Duration.ofSeconds(10)).until(() -> out.states(null).contains("DISCONNECTED")
                && out.states(null).lastIndexOf("CONNECTED") > out.states(null).indexOf("DISCONNECTED"));
        tradeAndSettle(30);
        assertThat(adapter.tradesRecovered()).isPositive();
        assertThat(out.states("book")).contains("GAP", "RESYNC");
        assertEqualsTheGroundTruth();
    }

    @Test
    void aMalformedFrameIsRejectedWithItsReasonAndTheFeedGoesOn() {
        start(BinanceConnectionPlan.Limits.binance(), false);
        tradeAndSettle(20);
        emulator.resume();
        emulator.sendMalformedFrame("{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1,"
                + "\"s\":\"BTCUSDT\",\"a\":1,\"p\":\"abc\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":true}}");
        emulator.sendMalformedFrame("{not json");
        tradeAndSettle(20);
        synchronized (out) {
            assertThat(out.rejected).extracting(RejectedFrame::reason)
                    .contains("field 'p' is not a decimal: 'abc'").anyMatch(r -> r.startsWith("not valid JSON"));
        }
        assertEqualsTheGroundTruth();
    }

    @Test
    void rateLimitedRecoveryWaitsForRetryAfterAndLosesNothing() {
        start(BinanceConnectionPlan.Limits.binance(), false);
        tradeAndSettle(20);
        emulator.resume();
        emulator.skipWebsocketDelivery(5);
        emulator.rateLimitRest(2, Duration.ofSeconds(1));
        long before = emulator.restRequests();
        tradeAndSettle(20);
        assertThat(emulator.restRequests() - before).isGreaterThanOrEqualTo(3);
        assertThat(adapter.tradesRecovered()).isGreaterThanOrEqualTo(5);
        assertThat(adapter.gapsReported()).isZero();
        assertEqualsTheGroundTruth();
    }

    @Test
    void streamsBeyondAConnectionsLimitAreSplitAndSubscribedWithinFiveMessagesPerSecond() {
        // 2 symbols x 5 streams with 5 per connection: two connections, 2 streams in each URL and 3 SUBSCRIBE
        // messages each. The emulator drops a connection that sends more than 5 messages in a second.
        start(new BinanceConnectionPlan.Limits(5, 2, 1, 5), false);
        assertThat(adapter.streamUris()).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> adapter.subscribeMessagesSent() == 6);
        assertThat(emulator.connectionCount()).isEqualTo(2);
        SYMBOLS.forEach(s -> emulator.trade(s, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream().allMatch(s -> out.book(s) != null));
        tradeAndSettle(100);
        assertEqualsTheGroundTruth();
        emulator.resume();
        emulator.liquidate("ETHUSDT", "SELL", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (out) {
                return out.liquidations.size() == 1 && out.fundings.stream()
                        .map(Funding::getVenueSymbol).distinct().count() == 2;
            }
        });
        assertThat(emulator.connectionsAccepted()).isEqualTo(2);
        assertThat(out.states(null)).containsExactly("CONNECTED", "CONNECTED");
    }
}
