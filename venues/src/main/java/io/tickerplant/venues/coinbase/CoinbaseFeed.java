package io.tickerplant.venues.coinbase;

import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.coinbase.CoinbaseParser.Event;
import io.tickerplant.venues.coinbase.CoinbaseParser.Frame;
import io.tickerplant.venues.coinbase.CoinbaseParser.MalformedFrameException;
import io.tickerplant.venues.coinbase.CoinbaseParser.Message;
import io.tickerplant.venues.coinbase.CoinbaseParser.TickerItem;
import io.tickerplant.venues.coinbase.CoinbaseParser.TradeItem;
import io.tickerplant.venues.coinbase.CoinbaseParser.VenueError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one Coinbase Advanced Trade connection's messages mean, shared by the live adapter and the replayer: the
 * {@code sequence_num} check, trades without duplicates or silent losses, quotes, and one {@link CoinbaseBookSync}
 * per product. What needs the network (resubscribing, fetching recent trades) goes through {@link Actions}.
 *
 * <p><b>Sequence.</b> {@code sequence_num} counts every message of the connection, across channels, from 0. A jump
 * means messages were lost, of any channel: a GAP for the connection (fromId/toId the missing numbers), a GAP per
 * book (each is dropped and {@code level2} resubscribed, whose new snapshot brings it back with a RESYNC), and a
 * resubscription of {@code market_trades}, whose snapshot (the product's latest trades) returns lost trades.
 *
 * <p><b>Trades.</b> Spot trade ids are integers, contiguous per product. Per product the last delivered id is kept
 * (seeded from the resume offsets): ids at or below it are duplicates (snapshots overlap what was delivered), and an
 * id beyond the next one means trades were missed. Those are fetched from {@code GET
 * /api/v3/brokerage/market/products/{id}/ticker} when {@link Actions} can, and otherwise reported as a GAP on the
 * trades channel with the exact id range. Not thread-safe: the session's handler calls never overlap.
 */
final class CoinbaseFeed {

    private static final Logger log = LoggerFactory.getLogger(CoinbaseFeed.class);
    static final String VENUE = Venue.COINBASE.name();
    /** Trades per REST request, Coinbase's maximum {@code limit}. */
    static final int REST_LIMIT = 1000;

    /** What the feed needs from the network. */
    interface Actions {
        /** Sends unsubscribe then subscribe for the channel ({@code level2}, {@code market_trades}). */
        void resubscribe(String channel, List<String> productIds);

        /**
         * The product's latest trades, any order.
         *
         * @throws Exception with a one-line reason when they cannot be had (replays never can)
         */
        List<TradeItem> recentTrades(String productId, int limit) throws Exception;
    }

    /** Per-product state. */
    private static final class Product {
        final String productId;
        final String canonical;
        long lastTradeId;
        CoinbaseBookSync book;

        Product(String productId, String canonical, long lastTradeId) {
            this.productId = productId;
            this.canonical = canonical;
            this.lastTradeId = lastTradeId;
        }
    }

    private final VenueEventListener listener;
    private final Set<Channel> channels;
    private final int snapshotInterval;
    private final Actions actions;
    private final boolean acceptAnyProduct;
    private final Map<String, Product> products = new LinkedHashMap<>();
    private final CoinbaseParser parser = new CoinbaseParser();
    private long expectedSequence = -1;
    private long lastHeartbeat = -1;

    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong recovered = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    /**
     * @param subscribed product id to canonical symbol; null accepts every product seen (replays)
     * @param resumeAfter product id to the last trade id already delivered
     */
    CoinbaseFeed(VenueEventListener listener, Set<Channel> channels, int snapshotInterval, Actions actions,
                 Map<String, String> subscribed, Map<String, Long> resumeAfter) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.channels = Set.copyOf(channels);
        this.snapshotInterval = snapshotInterval;
        this.actions = Objects.requireNonNull(actions, "actions");
        this.acceptAnyProduct = subscribed == null;
        if (subscribed != null) {
            subscribed.forEach((id, canonical) -> product(id, canonical, resumeAfter.getOrDefault(id, -1L)));
        }
    }

    private Product product(String productId, String canonical, long lastTradeId) {
        Product p = new Product(productId, canonical, lastTradeId);
        if (channels.contains(Channel.BOOK)) {
            p.book = new CoinbaseBookSync(VENUE, canonical, productId, snapshotInterval, new BookOutput(p));
        }
        products.put(productId, p);
        return p;
    }

    private Product product(String productId) {
        Product p = products.get(productId);
        if (p == null && acceptAnyProduct) {
            p = product(productId, CoinbaseSymbols.canonicalOrSelf(productId), -1);
        }
        return p;
    }

    /** A new connection: its sequence starts at 0. */
    void connectionOpened() {
        expectedSequence = 0;
        lastHeartbeat = -1;
    }

    /** The connection ended: every book is unknown until the next connection's snapshot. */
    void connectionLost(String reason) {
        expectedSequence = -1;
        for (Product p : products.values()) {
            if (p.book != null) {
                p.book.reset(reason);
            }
        }
    }

    /** One frame, in connection order. */
    void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), "MalformedFrame", receiveMicros);
            return;
        }
        if (frame instanceof VenueError err) {
            log.warn("Coinbase answered with an error: {}", err.message());
            reject(text, "venue error: " + err.message(), "VenueError", receiveMicros);
            return;
        }
        Message m = (Message) frame;
        if (!checkSequence(m, text, receiveMicros)) {
            return;
        }
        switch (m.channel()) {
            case "market_trades" -> {
                if (channels.contains(Channel.TRADES)) {
                    for (Event e : m.events()) {
                        onTrades(e.trades(), text, receiveMicros);
                    }
                }
            }
            case "ticker" -> {
                if (channels.contains(Channel.QUOTES)) {
                    for (Event e : m.events()) {
                        onTickers(m, e.tickers(), text, receiveMicros);
                    }
                }
            }
            case "l2_data" -> {
                if (channels.contains(Channel.BOOK)) {
                    for (Event e : m.events()) {
                        onBook(m, e, text, receiveMicros);
                    }
                }
            }
            case "heartbeats" -> {
                for (Event e : m.events()) {
                    lastHeartbeat = e.heartbeatCounter();
                }
            }
            case "subscriptions" -> log.debug("Coinbase subscriptions now: {}", m.events());
            default -> {
                // candles, status, ticker_batch: not used, but their sequence numbers were counted above.
            }
        }
    }

    /** @return false when the message is to be dropped (a number already seen) */
    private boolean checkSequence(Message m, String text, long receiveMicros) {
        long seq = m.sequence();
        if (expectedSequence >= 0) {
            if (seq < expectedSequence) {
                reject(text, "field 'sequence_num' is " + seq + ", but " + expectedSequence
                        + " was expected next (repeated or out of order)", "SequenceRepeated", receiveMicros);
                return false;
            }
            if (seq > expectedSequence) {
                sequenceGap(expectedSequence, seq - 1, receiveMicros);
            }
        }
        expectedSequence = seq + 1;
        return true;
    }

    private void sequenceGap(long from, long to, long receiveMicros) {
        String range = from == to ? "message " + from : "messages " + from + ".." + to;
        String why = range + " of the connection lost (sequence_num jumped to " + (to + 1) + ")";
        status(FeedState.GAP, null, null, why + "; books are resubscribed, lost trades recovered by id"
                + " or reported", Long.toString(from), Long.toString(to));
        List<String> books = new ArrayList<>();
        List<String> trades = new ArrayList<>();
        for (Product p : products.values()) {
            if (p.book != null && p.book.invalidate(why, Long.toString(from), Long.toString(to))) {
                books.add(p.productId);
            }
            if (channels.contains(Channel.TRADES)) {
                trades.add(p.productId);
            }
        }
        if (!books.isEmpty()) {
            actions.resubscribe("level2", books);
        }
        if (!trades.isEmpty()) {
            // The snapshot that answers a subscription holds the latest trades: the lost ones among them.
            actions.resubscribe("market_trades", trades);
        }
    }

    private void onTrades(List<TradeItem> items, String text, long receiveMicros) {
        if (items.isEmpty()) {
            return;
        }
        List<TradeItem> sorted = items;
        if (items.size() > 1) {
            // Coinbase lists a batch newest first; delivery is in id order.
            sorted = new ArrayList<>(items);
            sorted.sort(Comparator.comparingLong(TradeItem::numericId));
        }
        for (TradeItem t : sorted) {
            Product p = product(t.productId());
            if (p == null) {
                reject(text, "field 'product_id' of trade " + t.tradeId() + " is '" + t.productId()
                        + "', which is not subscribed", "UnknownSymbol", receiveMicros);
                continue;
            }
            long id = t.numericId();
            if (id < 0) {
                // Not an integer id: nothing to order or deduplicate by (no spot product has such ids).
                deliver(p, t, receiveMicros);
                continue;
            }
            if (p.lastTradeId >= 0) {
                if (id <= p.lastTradeId) {
                    duplicates.incrementAndGet();
                    continue;
                }
                if (id > p.lastTradeId + 1) {
                    recover(p, id - 1, "trade " + id + " arrived after " + p.lastTradeId);
                }
            }
            deliver(p, t, receiveMicros);
        }
    }

    /** Delivers the product's trades after the last delivered one up to {@code to}, or reports what it cannot. */
    private void recover(Product p, long to, String why) {
        long from = p.lastTradeId + 1;
        String failure;
        try {
            // The venue serves only its latest trades, and more are made while the request runs: ask for all it
            // gives.
            int limit = REST_LIMIT;
            List<TradeItem> page = new ArrayList<>(actions.recentTrades(p.productId, limit));
            page.removeIf(t -> !t.productId().equals(p.productId) || t.numericId() < from || t.numericId() > to);
            page.sort(Comparator.comparingLong(TradeItem::numericId));
            long receiveMicros = Micros.now();
            for (TradeItem t : page) {
                long id = t.numericId();
                if (id <= p.lastTradeId) {
                    continue;
                }
                if (id > p.lastTradeId + 1) {
                    tradeGap(p, p.lastTradeId + 1, id - 1, "not among the venue's latest trades");
                }
                deliver(p, t, receiveMicros);
                recovered.incrementAndGet();
            }
            failure = page.isEmpty() ? "the venue's latest " + limit + " trades do not reach back to " + from
                    : "not among the venue's latest " + limit + " trades";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = e.getMessage();
        }
        if (p.lastTradeId < to) {
            tradeGap(p, p.lastTradeId + 1, to, "missed (" + why + ") and not recovered over REST: " + failure);
        } else {
            log.info("recovered trades {}..{} of {}: {}", from, to, p.productId, why);
        }
    }

    private void tradeGap(Product p, long from, long to, String why) {
        p.lastTradeId = to;
        status(FeedState.GAP, p, Channel.TRADES.configName(), (to - from + 1) + " trade(s) " + from + ".." + to
                + " of " + p.productId + " lost: " + why, Long.toString(from), Long.toString(to));
    }

    private void deliver(Product p, TradeItem t, long receiveMicros) {
        long id = t.numericId();
        if (id >= 0) {
            p.lastTradeId = id;
        }
        listener.onTrade(new Trade(VENUE, p.canonical, p.productId, Micros.toInstant(t.timeMicros()),
                Micros.toInstant(receiveMicros), t.tradeId(), t.price(), t.size(),
                t.takerBuys() ? Side.BUY : Side.SELL));
    }

    private void onTickers(Message m, List<TickerItem> items, String text, long receiveMicros) {
        for (TickerItem q : items) {
            Product p = product(q.productId());
            if (p == null) {
                reject(text, "field 'product_id' of a ticker is '" + q.productId() + "', which is not subscribed",
                        "UnknownSymbol", receiveMicros);
                continue;
            }
            // Ticker events carry no time of their own: the message's timestamp is the venue's time.
            listener.onQuote(new Quote(VENUE, p.canonical, p.productId, Micros.toInstant(m.timestampMicros()),
                    Micros.toInstant(receiveMicros), q.bidPrice(), q.bidSize(), q.askPrice(), q.askSize(),
                    m.sequence()));
        }
    }

    private void onBook(Message m, Event e, String text, long receiveMicros) {
        if (e.productId() == null) {
            reject(text, "field 'events[].product_id' of an l2_data event is missing", "MalformedFrame",
                    receiveMicros);
            return;
        }
        Product p = product(e.productId());
        if (p == null || p.book == null) {
            reject(text, "field 'product_id' of an l2_data event is '" + e.productId() + "', which is not subscribed",
                    "UnknownSymbol", receiveMicros);
            return;
        }
        // Snapshot levels carry the epoch (1970) as event_time in the docs: the message time is better then.
        long eventMicros = e.lastEventTimeMicros() > 0 ? e.lastEventTimeMicros() : m.timestampMicros();
        if (e.isSnapshot()) {
            p.book.onSnapshot(e.bids(), e.asks(), m.sequence(), eventMicros, receiveMicros);
        } else if ("update".equals(e.type())) {
            if (p.book.onUpdate(e.bids(), e.asks(), m.sequence(), eventMicros, receiveMicros)
                    == CoinbaseBookSync.Applied.BROKE_BOOK) {
                actions.resubscribe("level2", List.of(p.productId));
            }
        } else {
            reject(text, "field 'events[].type' of an l2_data event is '" + e.type()
                    + "', neither snapshot nor update", "MalformedFrame", receiveMicros);
        }
    }

    /** Book events of one product to the listener. */
    private final class BookOutput implements CoinbaseBookSync.Output {
        private final Product p;

        BookOutput(Product p) {
            this.p = p;
        }

        @Override
        public void book(io.tickerplant.model.avro.BookUpdate update) {
            listener.onBook(update);
        }

        @Override
        public void status(FeedState state, String detail, String fromId, String toId) {
            CoinbaseFeed.this.status(state, p, CoinbaseBookSync.channel(), detail, fromId, toId);
        }
    }

    private void status(FeedState state, Product p, String channel, String detail, String fromId, String toId) {
        if (state == FeedState.GAP) {
            gaps.incrementAndGet();
            log.warn("GAP: {}", detail);
        } else {
            log.info("{}: {}", state, detail);
        }
        Instant now = Micros.toInstant(Micros.now());
        listener.onFeedStatus(new FeedStatus(VENUE, p == null ? null : p.canonical, p == null ? null : p.productId,
                now, now, state, detail, channel, fromId, toId));
    }

    /** A status about the whole connection (CONNECTED, DISCONNECTED). */
    void connectionStatus(FeedState state, String detail) {
        status(state, null, null, detail, null, null);
    }

    private void reject(String raw, String reason, String errorClass, long receiveMicros) {
        rejected.incrementAndGet();
        log.debug("rejected Coinbase frame: {}", reason);
        listener.onRejected(new RejectedFrame(VENUE, raw, reason, errorClass, receiveMicros));
    }

    /** The last trade id delivered for a product, or -1. */
    long lastTradeId(String productId) {
        Product p = products.get(productId);
        return p == null ? -1 : p.lastTradeId;
    }

    /** The last heartbeat counter seen on this connection, or -1. */
    long lastHeartbeat() {
        return lastHeartbeat;
    }

    long bookResyncs() {
        return products.values().stream().filter(p -> p.book != null).mapToLong(p -> p.book.resyncs()).sum();
    }

    /** Per product, updates of books that are not synchronized now. */
    Map<String, Integer> unsyncedUpdates() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Product p : products.values()) {
            if (p.book != null && !p.book.isSynced()) {
                out.put(p.productId, p.book.unsyncedUpdates());
            }
        }
        return out;
    }
}
