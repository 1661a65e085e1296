package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueEventListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter against the Binance emulator, whose every trade is the ground truth. */
class BinanceAdapterIT {

    private static final RestClient.Policy FAST_REST =
            new RestClient.Policy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(20));

    /** Everything the adapter emitted, in order. */
    static final class Recording implements VenueEventListener {
        final List<Trade> trades = Collections.synchronizedList(new ArrayList<>());
        final List<FeedStatus> statuses = Collections.synchronizedList(new ArrayList<>());
        final List<RejectedFrame> rejected = Collections.synchronizedList(new ArrayList<>());
        final List<Object> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onTrade(Trade trade) {
            trades.add(trade);
            events.add(trade);
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            statuses.add(status);
            events.add(status);
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        List<Long> ids(String venueSymbol) {
            synchronized (trades) {
                return trades.stream().filter(t -> t.getVenueSymbol().equals(venueSymbol))
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
    private BinanceEmulator emulator;
    private BinanceAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private BinanceAdapter adapter(Map<String, String> resume, String... symbols) {
        return adapter(Duration.ofSeconds(10), resume, symbols);
    }

    private BinanceAdapter adapter(Duration silenceTimeout, Map<String, String> resume, String... symbols) {
        AdapterSettings settings = new AdapterSettings(
                List.of(symbols).stream().map(Instrument::parse).toList(),
                emulator.websocketUri(), emulator.restUri(),
                Duration.ofMillis(50), Duration.ofMillis(300), silenceTimeout, Duration.ofHours(1), resume);
        adapter = new BinanceAdapter(settings, out, FAST_REST);
        adapter.start();
        return adapter;
    }

    private static List<Long> ids(List<EmittedTrade> trades) {
        return trades.stream().map(EmittedTrade::id).toList();
    }

    /** Ground truth from the first id the adapter delivered on. */
    private List<Long> truthFrom(String venueSymbol, long firstId) {
        return ids(emulator.trades(venueSymbol)).stream().filter(id -> id >= firstId).toList();
    }

    /** Pauses the market and waits until the adapter has everything the market made. */
    private void settle(String... venueSymbols) {
        emulator.pause();
        for (String s : venueSymbols) {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<Long> got = out.ids(s);
                return !got.isEmpty() && got.get(got.size() - 1) == emulator.lastTradeId(s);
            });
        }
    }

    private void assertExactlyTheGroundTruth(String venueSymbol) {
        List<Long> got = out.ids(venueSymbol);
        assertThat(got).isNotEmpty();
        assertThat(got).isEqualTo(truthFrom(venueSymbol, got.get(0)));
    }

    @Test
    void deliversExactlyTheGroundTruthNormalized() {
        emulator = BinanceEmulator.builder().symbol("BTCUSDT", 300).symbol("ETHBTC", 100).start();
        long before = Micros.now();
        adapter(Map.of(), "BTC-USDT", "ETH-BTC");
        await().until(() -> out.ids("BTCUSDT").size() > 200 && out.ids("ETHBTC").size() > 50);
        settle("BTCUSDT", "ETHBTC");
        assertExactlyTheGroundTruth("BTCUSDT");
        assertExactlyTheGroundTruth("ETHBTC");

        Map<Long, EmittedTrade> truth = emulator.trades("BTCUSDT").stream()
                .collect(Collectors.toMap(EmittedTrade::id, t -> t));
        synchronized (out.trades) {
            for (Trade t : out.trades) {
                if (!t.getVenueSymbol().equals("BTCUSDT")) {
                    assertThat(t.getSymbol()).isEqualTo("ETH-BTC");
                    continue;
                }
                EmittedTrade e = truth.get(Long.parseLong(t.getTradeId()));
                assertThat(t.getVenue()).isEqualTo("BINANCE");
                assertThat(t.getSymbol()).isEqualTo("BTC-USDT");
                assertThat(Decimals.toPlainString(t.getPrice())).isEqualTo(e.price());
                assertThat(Decimals.toPlainString(t.getSize())).isEqualTo(e.qty());
                assertThat(t.getSide()).isEqualTo(e.buyerIsMaker() ? Side.SELL : Side.BUY);
                assertThat(t.getEventTime()).isEqualTo(Instant.ofEpochMilli(e.timeMillis()));
                assertThat(Micros.of(t.getReceiveTime())).isBetween(before, Micros.now());
            }
        }
        assertThat(out.statuses(FeedState.CONNECTED)).hasSize(1);
        assertThat(out.statuses(FeedState.CONNECTED).get(0).getDetail()).contains("/stream?streams=btcusdt@trade/ethbtc@trade");
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
        assertThat(out.rejected).isEmpty();
    }

    @Test
    void droppedConnectionIsReconnectedAndTheMissedTradesRecoveredWithoutDuplicates() {
        emulator = BinanceEmulator.builder().symbol("BTCUSDT", 400).symbol("ETHUSDT", 200).start();
        // JDK 17's client now and then misses a peer's FIN (the socket sits in CLOSE_WAIT): the silence
        // watchdog is what notices, so it is short here, where trades flow continuously.
        adapter(Duration.ofSeconds(1), Map.of(), "BTC-USDT", "ETH-USDT");
        await().until(() -> out.ids("BTCUSDT").size() > 100);
        for (int i = 0; i < 3; i++) {
            // The client may see its connection open before the server has registered it.
            await().until(() -> emulator.connectionCount() == 1);
            emulator.dropConnections();
            int connected = i + 2;
            await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.CONNECTED).size() == connected);
        }
        settle("BTCUSDT", "ETHUSDT");
        assertExactlyTheGroundTruth("BTCUSDT");
        assertExactlyTheGroundTruth("ETHUSDT");
        assertThat(out.statuses(FeedState.DISCONNECTED)).hasSize(3)
                .allSatisfy(s -> assertThat(s.getDetail()).containsAnyOf("connection lost without a close frame",
                        "silence timeout"));
        assertThat(adapter.tradesRecovered()).isPositive();
        assertThat(emulator.connectionsAccepted()).isEqualTo(4);
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void tradesLostOnTheSocketAreRecoveredOverRest() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").generate(false).start();
        adapter(Map.of(), "BTC-USDT");
        await().until(() -> emulator.connectionCount() == 1);
        emulator.trade("BTCUSDT", 2);
        emulator.skipWebsocketDelivery(1_500);
        emulator.trade("BTCUSDT", 1_500);
        emulator.trade("BTCUSDT", 3);
        await().until(() -> out.ids("BTCUSDT").size() == 1_505);
        assertThat(out.ids("BTCUSDT")).isEqualTo(ids(emulator.trades("BTCUSDT")));
        assertThat(adapter.tradesRecovered()).isEqualTo(1_500);
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
    }

    @Test
    void replayedFramesAreDroppedAsDuplicates() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").generate(false).start();
        adapter(Map.of(), "BTC-USDT");
        await().until(() -> emulator.connectionCount() == 1);
        List<EmittedTrade> made = emulator.trade("BTCUSDT", 3);
        await().until(() -> out.ids("BTCUSDT").size() == 3);
        EmittedTrade old = made.get(1);
        emulator.sendRawFrame("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":" + old.timeMillis()
                + ",\"s\":\"BTCUSDT\",\"t\":" + old.id() + ",\"p\":\"" + old.price() + "\",\"q\":\"" + old.qty()
                + "\",\"T\":" + old.timeMillis() + ",\"m\":" + old.buyerIsMaker() + ",\"M\":true}}");
        emulator.trade("BTCUSDT", 1);
        await().until(() -> out.ids("BTCUSDT").size() == 4);
        assertThat(out.ids("BTCUSDT")).isEqualTo(ids(emulator.trades("BTCUSDT")));
        assertThat(adapter.duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void malformedFrameIsRejectedWithTheFieldNamedAndTheFeedContinues() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").generate(false).start();
        adapter(Map.of(), "BTC-USDT");
        await().until(() -> emulator.connectionCount() == 1);
        emulator.trade("BTCUSDT", 2);
        String bad = "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":5,"
                + "\"p\":\"abc\",\"q\":\"1\",\"T\":1,\"m\":true,\"M\":true}}";
        emulator.sendMalformedFrame(bad);
        emulator.sendMalformedFrame("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"tra");
        emulator.sendRawFrame("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":1}");
        emulator.trade("BTCUSDT", 2);
        await().until(() -> out.ids("BTCUSDT").size() == 4);
        assertThat(out.ids("BTCUSDT")).isEqualTo(ids(emulator.trades("BTCUSDT")));
        assertThat(out.rejected).hasSize(3);
        RejectedFrame r = out.rejected.get(0);
        assertThat(r.venue()).isEqualTo("BINANCE");
        assertThat(r.raw()).isEqualTo(bad);
        assertThat(r.reason()).isEqualTo("field 'p' is not a decimal: 'abc'");
        assertThat(r.receiveTimeMicros()).isPositive();
        assertThat(out.rejected.get(1).reason()).startsWith("not valid JSON");
        assertThat(out.rejected.get(2).reason()).isEqualTo("venue error 2: Invalid request: invalid stream");
    }

    @Test
    void unrecoverableGapIsReportedWithItsIdRangeAndTheFeedContinues() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").generate(false).start();
        adapter(Map.of(), "BTC-USDT");
        await().until(() -> emulator.connectionCount() == 1);
        emulator.trade("BTCUSDT", 2);
        await().until(() -> out.ids("BTCUSDT").size() == 2);
        emulator.failRestRequests(Integer.MAX_VALUE, 429, Duration.ZERO);
        emulator.skipWebsocketDelivery(3);
        emulator.trade("BTCUSDT", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.ids("BTCUSDT").size() == 4);
        assertThat(out.ids("BTCUSDT")).containsExactly(1_000_000L, 1_000_001L, 1_000_005L, 1_000_006L);
        List<FeedStatus> gaps = out.statuses(FeedState.GAP);
        assertThat(gaps).hasSize(1);
        FeedStatus gap = gaps.get(0);
        assertThat(gap.getFromId()).isEqualTo("1000002");
        assertThat(gap.getToId()).isEqualTo("1000004");
        assertThat(gap.getSymbol()).isEqualTo("BTC-USDT");
        assertThat(gap.getVenueSymbol()).isEqualTo("BTCUSDT");
        assertThat(gap.getChannel()).isEqualTo("trades");
        assertThat(gap.getDetail()).contains("1000002..1000004", "429", "3 attempts");
        assertThat(emulator.restRequests()).isEqualTo(3);
        // The GAP comes right before the live trade that revealed it.
        List<Object> events = List.copyOf(out.events);
        int at = events.indexOf(gap);
        assertThat(((Trade) events.get(at - 1)).getTradeId()).isEqualTo("1000001");
        assertThat(((Trade) events.get(at + 1)).getTradeId()).isEqualTo("1000005");
    }

    @Test
    void resumeIdRecoversEverythingAfterItOnFirstConnect() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT", "ETHUSDT").generate(false).start();
        emulator.trade("BTCUSDT", 2_345);
        emulator.trade("ETHUSDT", 10);
        adapter(Map.of("BTC-USDT", "1000009"), "BTC-USDT", "ETH-USDT");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.ids("BTCUSDT").size() == 2_335);
        assertThat(out.ids("BTCUSDT")).isEqualTo(truthFrom("BTCUSDT", 1_000_010L));
        // Without a resume id, ETHUSDT starts at the first live trade: nothing before the connection.
        assertThat(out.ids("ETHUSDT")).isEmpty();
        await().until(() -> emulator.connectionCount() == 1);
        emulator.trade("BTCUSDT", 1);
        emulator.trade("ETHUSDT", 1);
        await().until(() -> out.ids("ETHUSDT").size() == 1 && out.ids("BTCUSDT").size() == 2_336);
        assertThat(out.ids("BTCUSDT")).isEqualTo(truthFrom("BTCUSDT", 1_000_010L));
        assertThat(out.ids("ETHUSDT")).containsExactly(1_000_010L);
    }

    @Test
    void survivesTheVenuesPingsAndMaximumConnectionAge() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").tradesPerSecond(200)
                .pingInterval(Duration.ofMillis(250)).pongTimeout(Duration.ofMillis(600))
                .maxConnectionAge(Duration.ofMillis(800)).start();
        adapter(Map.of(), "BTC-USDT");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.statuses(FeedState.CONNECTED).size() >= 4);
        settle("BTCUSDT");
        assertExactlyTheGroundTruth("BTCUSDT");
        assertThat(emulator.pongsReceived()).isGreaterThanOrEqualTo(6);
        // Every disconnect was the venue's age limit, never a missed pong.
        assertThat(out.statuses(FeedState.DISCONNECTED)).isNotEmpty().allSatisfy(s -> assertThat(s.getDetail())
                .isEqualTo("closed by the venue with code 1000 (Connection max age reached)"));
    }

    @Test
    void closeStopsEveryThreadAndEveryListenerCall() {
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").tradesPerSecond(300).start();
        adapter(Map.of(), "BTC-USDT");
        await().until(() -> out.ids("BTCUSDT").size() > 20);
        adapter.close();
        int trades = out.trades.size();
        int statuses = out.statuses.size();
        await().during(Duration.ofMillis(300)).until(() -> out.trades.size() == trades
                && out.statuses.size() == statuses);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("tp-binance") || n.startsWith("tp-ws-binance"));
        assertThat(adapter.isConnected()).isFalse();
    }
}
