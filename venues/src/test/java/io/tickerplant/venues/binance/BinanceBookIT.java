package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.binance.BinanceEmulator;
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
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.book.OrderBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Books and quotes from the adapter against the emulator's ground-truth book. The book compared is the one a
 * consumer rebuilds from the published BookUpdate records (snapshot, then deltas), not the adapter's own.
 */
class BinanceBookIT {

    private static final RestClient.Policy FAST_REST =
            new RestClient.Policy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(20));
    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

    /** A consumer of the adapter's output: rebuilds each book and checks the record sequence as it goes. */
    static final class Consumer implements VenueEventListener {
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, Long> updateIds = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final Map<String, Quote> quotes = new HashMap<>();
        final List<Object> events = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        int snapshots;
        int deltas;
        final Map<String, Integer> snapshotsBySymbol = new HashMap<>();
        final Map<String, Integer> deltasBySymbol = new HashMap<>();

        @Override
        public synchronized void onTrade(Trade trade) {
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
                snapshots++;
                snapshotsBySymbol.merge(s, 1, Integer::sum);
                OrderBook b = new OrderBook();
                b.replace(u.getBids(), u.getAsks());
                books.put(s, b);
                if (u.getSequence() != 0 && sequences.containsKey(s) && u.getSequence() != sequences.get(s) + 1) {
                    violations.add("periodic snapshot " + u.getSequence() + " after " + sequences.get(s));
                }
            } else {
                deltas++;
                deltasBySymbol.merge(s, 1, Integer::sum);
                OrderBook b = books.get(s);
                if (b == null) {
                    violations.add("delta before any snapshot: " + u);
                    return;
                }
                if (u.getSequence() != sequences.get(s) + 1) {
                    violations.add("delta sequence " + u.getSequence() + " after " + sequences.get(s));
                }
                if (u.getFirstUpdateId() > updateIds.get(s) + 1) {
                    violations.add("delta U=" + u.getFirstUpdateId() + " after u=" + updateIds.get(s));
                }
                b.apply(OrderBook.Side.BID, u.getBids());
                b.apply(OrderBook.Side.ASK, u.getAsks());
            }
            sequences.put(s, u.getSequence());
            updateIds.put(s, u.getLastUpdateId());
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            events.add(status);
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            violations.add("rejected: " + frame.reason());
        }

        synchronized long updateId(String symbol) {
            return updateIds.getOrDefault(symbol, -1L);
        }

        synchronized OrderBook book(String symbol) {
            OrderBook b = books.get(symbol);
            return b == null ? null : b.copy();
        }

        synchronized List<String> bookStatuses(String symbol) {
            List<String> out = new ArrayList<>();
            for (Object e : events) {
                if (e instanceof FeedStatus f && symbol.equals(f.getVenueSymbol()) && "book".equals(f.getChannel())) {
                    out.add(f.getStatus().name());
                } else if (e instanceof BookUpdate u && u.getSnapshot() && u.getVenueSymbol().equals(symbol)
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
    private BinanceEmulator emulator;
    private BinanceAdapter adapter;

    @BeforeEach
    void start() {
        BinanceEmulator.Builder b = BinanceEmulator.builder().seed(11).generate(false);
        SYMBOLS.forEach(s -> b.symbol(s, 0));
        emulator = b.start();
        AdapterSettings settings = new AdapterSettings(List.of(Instrument.parse("BTC-USDT"), Instrument.parse("ETH-USDT")),
                emulator.websocketUri(), emulator.restUri(), Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofSeconds(10), Duration.ofHours(1), Map.of(), Set.of(Channel.BOOK, Channel.QUOTES), 50);
        adapter = new BinanceAdapter(settings, out, FAST_REST);
        adapter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 1);
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

    private void trade(int perSymbol) {
        for (int i = 0; i < perSymbol; i += 10) {
            for (String s : SYMBOLS) {
                emulator.trade(s, 10);
            }
        }
    }

    /** Waits until the consumer's book is at the emulator's update id, then compares every level. */
    private void assertBooksEqualTheEmulators() {
        for (String s : SYMBOLS) {
            BookSnapshot truth = emulator.book(s);
            await().atMost(Duration.ofSeconds(15)).until(() -> out.updateId(s) == truth.lastUpdateId());
            OrderBook rebuilt = out.book(s);
            assertThat(rebuilt.toString()).as("book of %s at %d", s, truth.lastUpdateId())
                    .isEqualTo(truth(truth).toString());
            assertThat(rebuilt.sameLevels(truth(truth))).isTrue();
        }
        assertThat(out.violations).isEmpty();
    }

    @Test
    void theRebuiltBookEqualsTheEmulatorsLevelByLevelAfterManyUpdates() {
        // Trade in earnest only once both books are synced: updates made before the REST snapshot are absorbed into
        // it, and how many that is depends on timing, not on the adapter. A first diff is what starts the sync.
        SYMBOLS.forEach(s -> emulator.trade(s, 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            synchronized (out) {
                return SYMBOLS.stream().allMatch(s -> out.snapshotsBySymbol.getOrDefault(s, 0) >= 1);
            }
        });
        trade(600);
        assertBooksEqualTheEmulators();
        synchronized (out) {
            for (String s : SYMBOLS) {
                int deltas = out.deltasBySymbol.getOrDefault(s, 0);
                assertThat(deltas).as("deltas of %s", s).isGreaterThanOrEqualTo(500);
                assertThat(out.snapshotsBySymbol.get(s)).as("%s: a snapshot after the sync, then one per 50 of its %d deltas",
                        s, deltas).isEqualTo(1 + deltas / 50);
            }
        }
        assertThat(out.deltas).isGreaterThan(1000);
        assertThat(out.statuses(FeedState.GAP)).isEmpty();
        for (String s : SYMBOLS) {
            BookSnapshot truth = emulator.book(s);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Quote q;
                synchronized (out) {
                    q = out.quotes.get(s);
                }
                assertThat(q).isNotNull();
                assertThat(Decimals.toPlainString(q.getBidPrice())).isEqualTo(truth.bids().get(0).price());
                assertThat(Decimals.toPlainString(q.getAskSize())).isEqualTo(truth.asks().get(0).qty());
                assertThat(q.getEventTime()).isEqualTo(q.getReceiveTime());
            });
        }
    }

    @Test
    void aSkippedDiffIsAGapThenAResyncThenASnapshotAndTheBookIsRightAgain() {
        trade(100);
        assertBooksEqualTheEmulators();
        emulator.skipDepthUpdate();
        emulator.trade("BTCUSDT", 1);   // its diff is lost
        trade(100);
        assertBooksEqualTheEmulators();
        assertThat(emulator.depthUpdatesSkipped()).isEqualTo(1);
        List<String> seq = out.bookStatuses("BTCUSDT");
        assertThat(seq).containsSubsequence("SNAPSHOT", "GAP", "RESYNC", "SNAPSHOT");
        assertThat(seq.subList(seq.indexOf("GAP"), seq.size())).startsWith("GAP", "RESYNC", "SNAPSHOT");
        FeedStatus gap = out.statuses(FeedState.GAP).get(0);
        assertThat(gap.getChannel()).isEqualTo("book");
        assertThat(gap.getSymbol()).isEqualTo("BTC-USDT");
        assertThat(Long.parseLong(gap.getToId())).isGreaterThanOrEqualTo(Long.parseLong(gap.getFromId()));
        assertThat(out.bookStatuses("ETHUSDT")).doesNotContain("GAP");
        assertThat(adapter.bookResyncs()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionRebuildsEveryBookFromANewSnapshot() {
        trade(100);
        assertBooksEqualTheEmulators();
        emulator.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.connectionCount() == 1 && adapter.isConnected());
        trade(100);
        assertBooksEqualTheEmulators();
        for (String s : SYMBOLS) {
            assertThat(out.bookStatuses(s)).endsWith("RESYNC", "SNAPSHOT");
        }
        assertThat(out.statuses(FeedState.DISCONNECTED)).isNotEmpty();
    }
}
