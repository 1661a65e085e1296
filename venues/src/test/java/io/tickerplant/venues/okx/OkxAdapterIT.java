package io.tickerplant.venues.okx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.okx.OkxEmulator;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
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
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.book.OrderBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter against the OKX emulator, whose trades, books and liquidations are the ground truth. */
class OkxAdapterIT {

    private static final RestClient.Policy FAST_REST =
            new RestClient.Policy(4, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(20));
    private static final String SPOT = "BTC-USDT";
    private static final String SWAP = "BTC-USDT-SWAP";

    /** Everything the adapter emitted, and the books rebuilt from its snapshots and deltas. */
    static final class Recording implements VenueEventListener {
        final List<Trade> trades = Collections.synchronizedList(new ArrayList<>());
        final List<Quote> quotes = Collections.synchronizedList(new ArrayList<>());
        final List<Liquidation> liquidations = Collections.synchronizedList(new ArrayList<>());
        final List<Funding> funding = Collections.synchronizedList(new ArrayList<>());
        final List<FeedStatus> statuses = Collections.synchronizedList(new ArrayList<>());
        final List<RejectedFrame> rejected = Collections.synchronizedList(new ArrayList<>());
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final List<String> sequenceErrors = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onTrade(Trade trade) {
            trades.add(trade);
        }

        @Override
        public void onQuote(Quote quote) {
            quotes.add(quote);
        }

        @Override
        public void onLiquidation(Liquidation l) {
            liquidations.add(l);
        }

        @Override
        public void onFunding(Funding f) {
            funding.add(f);
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
                    sequenceErrors.add("delta before any snapshot of " + s);
                    return;
                }
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
            Long before = sequences.put(s, u.getSequence());
            if (u.getSequence() != 0 && (before == null || u.getSequence() != before + 1)) {
                sequenceErrors.add(s + " sequence " + u.getSequence() + " after " + before);
            }
        }

        synchronized OrderBook book(String instId) {
            OrderBook b = books.get(instId);
            return b == null ? null : b.copy();
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            statuses.add(status);
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        List<Long> ids(String instId) {
            synchronized (trades) {
                return trades.stream().filter(t -> t.getVenueSymbol().equals(instId))
                        .map(t -> Long.parseLong(t.getTradeId())).toList();
            }
        }

        List<FeedStatus> statuses(FeedState state) {
            synchronized (statuses) {
                return statuses.stream().filter(s -> s.getStatus() == state).toList();
            }
        }
    }

    private final Recording out = new Recording();
    private OkxEmulator emulator;
    private OkxAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private OkxEmulator emulator(OkxEmulator.Options o) {
        emulator = OkxEmulator.start(o);
        return emulator;
    }

    private OkxAdapter adapter(Duration silenceTimeout, String... symbols) {
        AdapterSettings settings = new AdapterSettings(List.of(symbols).stream().map(Instrument::parse).toList(),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                silenceTimeout, Duration.ofHours(1), Map.of(), Channel.all(), 50);
        adapter = new OkxAdapter(settings, out, FAST_REST);
        adapter.start();
        return adapter;
    }

    private static OrderBook toBook(BookSnapshot s) {
        OrderBook b = new OrderBook();
        s.bids().forEach(l -> b.set(OrderBook.Side.BID, Decimals.parse(l.price()), Decimals.parse(l.qty())));
        s.asks().forEach(l -> b.set(OrderBook.Side.ASK, Decimals.parse(l.price()), Decimals.parse(l.qty())));
        return b;
    }

    /** Pauses the market and waits until the adapter has every trade and the emulator's book. */
    private void settle(String... instIds) {
        emulator.pause();
        for (String s : instIds) {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<Long> got = out.ids(s);
                List<EmittedTrade> truth = emulator.trades(s);
                return !got.isEmpty() && got.get(got.size() - 1) == truth.get(truth.size() - 1).id();
            });
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                OrderBook b = out.book(s);
                return b != null && b.sameLevels(toBook(emulator.book(s, Integer.MAX_VALUE)));
            });
        }
    }

    /** Trades equal to the ground truth from the first one delivered, apart from ranges reported as GAP. */
    private void assertGroundTruth(String instId) {
        List<Long> got = out.ids(instId);
        assertThat(got).isNotEmpty().doesNotHaveDuplicates().isSorted();
        List<long[]> gaps = out.statuses(FeedState.GAP).stream()
                .filter(s -> instId.equals(s.getVenueSymbol()) && "trades".equals(s.getChannel()))
                .map(s -> new long[] {Long.parseLong(s.getFromId()), Long.parseLong(s.getToId())}).toList();
        List<Long> truth = emulator.trades(instId).stream().map(EmittedTrade::id)
                .filter(id -> id >= got.get(0))
                .filter(id -> gaps.stream().noneMatch(g -> id >= g[0] && id <= g[1])).toList();
        assertThat(got).isEqualTo(truth);
    }

    @Test
    void deliversEveryChannelEqualToTheGroundTruth() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT", "BTC-USDT-PERP"), 200));
        adapter(Duration.ofSeconds(10), "BTC-USDT", "BTC-USDT-PERP");
        await().atMost(Duration.ofSeconds(15)).until(() -> out.ids(SPOT).size() > 100 && out.ids(SWAP).size() > 100
                && out.liquidations.size() > 2 && out.funding.size() > 2);
        settle(SPOT, SWAP);
        assertGroundTruth(SPOT);
        assertGroundTruth(SWAP);
        Map<String, Map<Long, EmittedTrade>> truth = Map.of(
                SPOT, emulator.trades(SPOT).stream().collect(Collectors.toMap(EmittedTrade::id, t -> t)),
                SWAP, emulator.trades(SWAP).stream().collect(Collectors.toMap(EmittedTrade::id, t -> t)));
        synchronized (out.trades) {
            for (Trade t : out.trades) {
                EmittedTrade e = truth.get(t.getVenueSymbol()).get(Long.parseLong(t.getTradeId()));
                assertThat(t.getVenue()).isEqualTo("OKX");
                assertThat(t.getSymbol()).isEqualTo(t.getVenueSymbol().equals(SPOT) ? "BTC-USDT" : "BTC-USDT-PERP");
                assertThat(Decimals.toPlainString(t.getPrice())).isEqualTo(e.price());
                // Swaps: contracts times ctVal 0.01, exact, equal to the base quantity the market traded.
                assertThat(Decimals.toBigDecimal(t.getSize()).stripTrailingZeros().toPlainString())
                        .isEqualTo(e.qty());
                assertThat(t.getSide()).isEqualTo(e.buyerIsMaker() ? Side.SELL : Side.BUY);
                assertThat(t.getEventTime()).isEqualTo(Instant.ofEpochMilli(e.timeMillis()));
            }
        }
        assertThat(out.liquidations).hasSizeLessThanOrEqualTo(emulator.liquidations().size());
        Liquidation got = out.liquidations.get(0);
        OkxEmulator.SentLiquidation sent = emulator.liquidations().stream()
                .filter(l -> l.tsMillis() == got.getEventTime().toEpochMilli()).findFirst().orElseThrow();
        assertThat(got.getSymbol()).isEqualTo("BTC-USDT-PERP");
        assertThat(got.getSide()).isEqualTo(sent.side().equals("sell") ? Side.SELL : Side.BUY);
        assertThat(Decimals.compare(got.getQuantity(), Decimals.parse(new java.math.BigDecimal(sent.sz())
                .multiply(new java.math.BigDecimal("0.01")).toPlainString()))).isZero();
        List<Funding> funding;
        synchronized (out.funding) {
            // Funding keeps coming while the market is paused.
            funding = List.copyOf(out.funding);
        }
        assertThat(funding).anySatisfy(f -> assertThat(f.getFundingRate()).isNotNull())
                .anySatisfy(f -> assertThat(f.getMarkPrice()).isNotNull())
                .allSatisfy(f -> assertThat(f.getSymbol()).isEqualTo("BTC-USDT-PERP"));
        assertThat(out.quotes).isNotEmpty();
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
        assertThat(out.statuses(FeedState.CONNECTED)).hasSize(1);
        assertThat(out.rejected).isEmpty();
        assertThat(out.sequenceErrors).isEmpty();
        assertThat(adapter.checksumFailures()).isZero();
    }

    @Test
    void droppedConnectionReconnectsResubscribesAndRebuildsTheBook() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT", "BTC-USDT-PERP"), 200));
        adapter(Duration.ofSeconds(1), "BTC-USDT", "BTC-USDT-PERP");
        await().until(() -> out.ids(SPOT).size() > 50 && out.book(SPOT) != null);
        for (int i = 0; i < 2; i++) {
            await().until(() -> emulator.connectionCount() == 1);
            emulator.dropConnections();
            int connected = i + 2;
            await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.CONNECTED).size() == connected);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.RESYNC).stream()
                .filter(s -> SPOT.equals(s.getVenueSymbol())).count() == 2);
        settle(SPOT, SWAP);
        assertThat(out.statuses(FeedState.DISCONNECTED)).hasSize(2);
        assertGroundTruth(SPOT);
        assertGroundTruth(SWAP);
        assertThat(out.sequenceErrors).isEmpty();
        assertThat(out.rejected).isEmpty();
    }

    @Test
    void skippedBookUpdateIsAGapFollowedByAResubscribedSnapshot() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT"), 100));
        adapter(Duration.ofSeconds(10), "BTC-USDT");
        await().until(() -> out.book(SPOT) != null && adapter.isConnected());
        emulator.skipBookUpdate();
        await().atMost(Duration.ofSeconds(10)).until(() -> !out.statuses(FeedState.RESYNC).isEmpty());
        FeedStatus gap = out.statuses(FeedState.GAP).get(0);
        assertThat(gap.getChannel()).isEqualTo("book");
        assertThat(gap.getDetail()).contains("prevSeqId").contains("does not follow");
        assertThat(gap.getFromId()).isNotNull();
        settle(SPOT);
        assertThat(out.sequenceErrors).isEmpty();
        assertThat(emulator.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void corruptedChecksumIsAGapFollowedByAResubscribedSnapshot() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT-PERP"), 100));
        adapter(Duration.ofSeconds(10), "BTC-USDT-PERP");
        await().until(() -> out.book(SWAP) != null && adapter.isConnected());
        emulator.corruptChecksum();
        await().atMost(Duration.ofSeconds(10)).until(() -> !out.statuses(FeedState.RESYNC).isEmpty());
        assertThat(out.statuses(FeedState.GAP).get(0).getDetail()).contains("checksum");
        settle(SWAP);
        assertThat(adapter.checksumFailures()).isEqualTo(1);
        assertThat(out.sequenceErrors).isEmpty();
    }

    @Test
    void malformedFramesAreRejectedWithReasonsAndTheFeedGoesOn() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT"), 100));
        adapter(Duration.ofSeconds(10), "BTC-USDT");
        await().until(() -> out.ids(SPOT).size() > 10 && emulator.connectionCount() == 1);
        emulator.sendMalformedFrame("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":"
                + "\"BTC-USDT\",\"tradeId\":\"1\",\"px\":\"abc\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\"}]}");
        emulator.sendMalformedFrame("{\"arg\":");
        await().until(() -> out.rejected.size() == 2);
        assertThat(out.rejected.get(0).reason()).isEqualTo("field 'px' is not a decimal: 'abc'");
        assertThat(out.rejected.get(1).reason()).startsWith("not valid JSON");
        int before = out.ids(SPOT).size();
        await().until(() -> out.ids(SPOT).size() > before + 10);
        settle(SPOT);
        assertGroundTruth(SPOT);
    }

    @Test
    void rateLimitedInstrumentsRequestIsRetriedAfterRetryAfter() {
        emulator(OkxEmulator.Options.of(List.of("ETH-USDT-PERP"), 100));
        emulator.rateLimitRest(1, Duration.ofSeconds(1));
        long start = System.nanoTime();
        adapter(Duration.ofSeconds(10), "ETH-USDT-PERP");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.ids("ETH-USDT-SWAP").size() > 10);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(emulator.restRequests()).isEqualTo(2);
        assertThat(out.rejected).isEmpty();
    }

    @Test
    void quietConnectionIsKeptAliveWithTextPings() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT"), 0).withGenerate(false)
                .withIdleTimeout(Duration.ofMillis(1500)).withBookHeartbeat(Duration.ofHours(1)));
        adapter(Duration.ofSeconds(2), "BTC-USDT");
        await().until(() -> adapter.isConnected());
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        assertThat(emulator.connectionsAccepted()).isEqualTo(1);
        assertThat(emulator.pingsReceived()).isPositive();
        assertThat(adapter.pongsReceived()).isPositive();
        assertThat(out.statuses(FeedState.DISCONNECTED)).isEmpty();
        emulator.trade(SPOT, 3);
        await().until(() -> out.ids(SPOT).size() == 3);
    }

    @Test
    void bookHeartbeatsChangeNothing() {
        emulator(OkxEmulator.Options.of(List.of("BTC-USDT"), 0).withGenerate(false)
                .withBookHeartbeat(Duration.ofMillis(100)));
        adapter(Duration.ofSeconds(10), "BTC-USDT");
        await().until(() -> out.book(SPOT) != null);
        await().pollDelay(Duration.ofMillis(800)).until(() -> true);
        emulator.trade(SPOT, 5);
        await().until(() -> out.ids(SPOT).size() == 5);
        settle(SPOT);
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
        assertThat(out.sequenceErrors).isEmpty();
        assertThat(Set.copyOf(out.rejected)).isEmpty();
    }
}
