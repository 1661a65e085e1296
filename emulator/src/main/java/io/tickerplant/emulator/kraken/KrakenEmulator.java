package io.tickerplant.emulator.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.VenueEmulator;
import io.tickerplant.emulator.VenueEmulators;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Kraken spot websocket v2 server ({@code ws://127.0.0.1:PORT/v2}) over a simulated market: the
 * {@code trade} (with the 50-trade snapshot), {@code ticker} ({@code event_trigger} {@code bbo} or
 * {@code trades}), {@code book} (depth 10/25/100/500/1000, snapshot then updates, each with the CRC32 checksum of
 * the emulator's own formatted top 10) and {@code instrument} channels, {@code heartbeat} once a second while
 * subscribed, {@code ping}/{@code pong}, and the per-symbol subscribe/unsubscribe acknowledgements and errors.
 *
 * <p>Ground truth for tests: every trade made ({@link #trades(String)}) and the book now ({@link #book(String,
 * int)}). Faults: dropped connections, malformed frames, a corrupted checksum ({@link #corruptNextChecksum()}) and a
 * book update left unsent ({@link #skipBookUpdate()}), both of which a client can only see through the checksum.
 * No REST endpoint: the v2 websocket is all a market-data client needs.
 *
 * <p>Thread-safe. {@link #close()} stops the server, the market and every thread.
 */
public final class KrakenEmulator implements VenueEmulator {

    private static final Logger log = LoggerFactory.getLogger(KrakenEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> DEPTHS = Set.of(10, 25, 100, 500, 1000);
    /** Trades a trade subscription's snapshot holds, as on Kraken. */
    static final int TRADE_SNAPSHOT = 50;

    /**
     * @param pairs listed pairs
     * @param generate true: the market trades on its own from the start
     * @param heartbeatInterval Kraken: about 1 s
     * @param port 0 for a free one
     */
    public record Options(List<KrakenPair> pairs, long seed, long firstTradeId, boolean generate,
                          Duration heartbeatInterval, String host, int port) {
        public Options {
            pairs = List.copyOf(pairs);
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("at least one pair is needed");
            }
        }

        /** Pairs at a rate, seed 1, trade ids from 1,000,000, generating, 1 s heartbeats, a free port. */
        public static Options of(List<String> symbols, double tradesPerSecond) {
            return new Options(symbols.stream().map(s -> KrakenPair.of(s, tradesPerSecond)).toList(), 1, 1_000_000,
                    true, Duration.ofSeconds(1), "127.0.0.1", 0);
        }

        public Options withPort(int p) {
            return new Options(pairs, seed, firstTradeId, generate, heartbeatInterval, host, p);
        }

        public Options withSeed(long s) {
            return new Options(pairs, s, firstTradeId, generate, heartbeatInterval, host, port);
        }

        public Options withGenerate(boolean g) {
            return new Options(pairs, seed, firstTradeId, g, heartbeatInterval, host, port);
        }
    }

    /**
     * A trade as sent, formatted with the pair's precisions: the ground truth a client's trades are compared with.
     *
     * @param side taker side, {@code buy} or {@code sell}
     * @param timestamp RFC 3339 as sent
     */
    public record KrakenTrade(String symbol, long tradeId, String price, String qty, String side, String timestamp) {
    }

    private final Options options;
    private final Object lock = new Object();
    private final Map<String, KrakenPair> pairs = new LinkedHashMap<>();
    private final Map<String, KrakenSimBook> books = new LinkedHashMap<>();
    private final Map<String, List<KrakenTrade>> trades = new LinkedHashMap<>();
    private final Set<KrakenClient> clients = ConcurrentHashMap.newKeySet();
    private final MarketSimulator market;
    private final ScheduledExecutorService housekeeping;
    private final Javalin app;
    private final AtomicInteger corruptChecksums = new AtomicInteger();
    private final AtomicInteger skipBookUpdates = new AtomicInteger();
    private final AtomicLong bookUpdatesSkipped = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();
    private final AtomicLong bookSubscriptions = new AtomicLong();
    private volatile boolean closed;

    private KrakenEmulator(Options options) {
        this.options = options;
        for (KrakenPair p : options.pairs()) {
            if (pairs.put(p.symbol(), p) != null) {
                throw new IllegalArgumentException("pair listed twice: " + p.symbol());
            }
            books.put(p.symbol(), new KrakenSimBook(p, options.seed()));
            trades.put(p.symbol(), new ArrayList<>());
        }
        this.market = new MarketSimulator(new MarketSimulator.Options(
                options.pairs().stream().map(KrakenPair::spec).toList(), options.seed(), options.firstTradeId(), 0.25,
                System.currentTimeMillis()));
        this.market.addListener(this::onTrade);
        Servlet servlet = new Servlet(this);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.jetty.modifyServletContextHandler(h -> h.addServlet(new ServletHolder("kraken-v2", servlet), "/v2"));
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kraken-emulator-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** The websocket endpoint. */
    private static final class Servlet extends JettyWebSocketServlet {
        private final transient KrakenEmulator emulator;

        Servlet(KrakenEmulator emulator) {
            this.emulator = emulator;
        }

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setIdleTimeout(Duration.ofMinutes(5));
            factory.setMaxOutgoingFrames(100_000);
            factory.setCreator((req, resp) -> {
                emulator.connectionsAccepted.incrementAndGet();
                return new KrakenClient(emulator);
            });
        }
    }

    /** Starts the server (and the market, when generating) and returns once it listens. */
    public static KrakenEmulator start(Options options) {
        KrakenEmulator e = new KrakenEmulator(options);
        try {
            e.app.start();
            long period = Math.max(10, options.heartbeatInterval().toMillis());
            e.housekeeping.scheduleWithFixedDelay(e::heartbeats, period, period, TimeUnit.MILLISECONDS);
            if (options.generate()) {
                e.market.start();
            }
            log.info("Kraken emulator listening on {} with {}", e.websocketUri(), e.pairs.keySet());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** Starts an emulator for canonical spot symbols ({@code BTC-USD} is served as {@code BTC/USD}). */
    public static KrakenEmulator start(VenueEmulators.Spec spec) {
        return start(Options.of(spec.symbols(), spec.tradesPerSecond()).withPort(spec.port()).withSeed(spec.seed()));
    }

    @Override
    public String venue() {
        return "KRAKEN";
    }

    public int port() {
        return app.port();
    }

    /** {@code ws://127.0.0.1:PORT}; the endpoint is {@code /v2} below it. */
    @Override
    public URI websocketUri() {
        return URI.create("ws://" + host() + ":" + port());
    }

    /** {@code http://127.0.0.1:PORT} (no REST endpoints are served). */
    @Override
    public URI restUri() {
        return URI.create("http://" + host() + ":" + port());
    }

    private String host() {
        String h = options.host();
        return h == null || h.isEmpty() || h.equals("0.0.0.0") ? "127.0.0.1" : h;
    }

    @Override
    public MarketSimulator market() {
        return market;
    }

    /** Listed pairs, v2 spelling. */
    public List<String> symbols() {
        return List.copyOf(pairs.keySet());
    }

    // ---------------------------------------------------------------- ground truth

    /** Every trade of a pair so far, in id order, as sent. */
    public List<KrakenTrade> trades(String symbol) {
        synchronized (lock) {
            return List.copyOf(known(trades, symbol));
        }
    }

    /** The best {@code limit} levels per side of a pair's book now, formatted as sent. */
    public BookSnapshot book(String symbol, int limit) {
        synchronized (lock) {
            KrakenSimBook b = known(books, symbol);
            return new BookSnapshot(symbol, 0, levels(b.top(true, limit)), levels(b.top(false, limit)));
        }
    }

    private static List<BookSnapshot.Level> levels(List<String[]> in) {
        return in.stream().map(l -> new BookSnapshot.Level(l[0], l[1])).toList();
    }

    private <T> T known(Map<String, T> m, String symbol) {
        T t = m.get(symbol);
        if (t == null) {
            throw new IllegalArgumentException("unknown pair '" + symbol + "'; listed: " + pairs.keySet());
        }
        return t;
    }

    /** Makes exactly {@code count} trades of a pair now and publishes them. */
    public List<EmittedTrade> trade(String symbol, int count) {
        return market.trade(symbol, count);
    }

    // ---------------------------------------------------------------- faults

    /** Closes every client socket abruptly, without a close frame. */
    @Override
    public void dropConnections() {
        for (KrakenClient c : List.copyOf(clients)) {
            clients.remove(c);
            c.disconnect();
        }
    }

    /** Sends a text frame as is to every client. */
    @Override
    public void sendMalformedFrame(String text) {
        for (KrakenClient c : clients) {
            c.send(text);
        }
    }

    /** The next book update message (any pair, every subscriber) carries a checksum off by one. */
    public void corruptNextChecksum() {
        corruptChecksums.incrementAndGet();
    }

    /** The next book update of any pair changes the book but is sent to nobody: the next checksum exposes it. */
    public void skipBookUpdate() {
        skipBookUpdates.incrementAndGet();
    }

    public long bookUpdatesSkipped() {
        return bookUpdatesSkipped.get();
    }

    // ---------------------------------------------------------------- observation

    public int connectionCount() {
        return clients.size();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Pings answered. */
    public long pings() {
        return pings.get();
    }

    /** Book subscriptions acknowledged (each symbol counts once per request). */
    public long bookSubscriptions() {
        return bookSubscriptions.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        market.stop();
        housekeeping.shutdownNow();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the emulator's server failed", e);
        }
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.clear();
    }

    // ---------------------------------------------------------------- internals

    void register(KrakenClient c) {
        if (closed) {
            c.disconnect();
            return;
        }
        clients.add(c);
        c.send("{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.0\",\"system\":\"online\","
                + "\"api_version\":\"v2\",\"connection_id\":" + connectionsAccepted.get() + "}]}");
    }

    void unregister(KrakenClient c) {
        clients.remove(c);
    }

    private void heartbeats() {
        try {
            for (KrakenClient c : clients) {
                if (c.hasSubscriptions()) {
                    c.send("{\"channel\":\"heartbeat\"}");
                }
            }
        } catch (RuntimeException e) {
            log.error("heartbeat failed", e);
        }
    }

    /** A client request: ping, subscribe, unsubscribe. */
    void handleRequest(KrakenClient c, String message) {
        String timeIn = Instant.now().toString();
        JsonNode req;
        try {
            req = JSON.readTree(message);
        } catch (Exception e) {
            c.send("{\"error\":\"EGeneral:Invalid arguments\",\"success\":false,\"time_in\":\"" + timeIn
                    + "\",\"time_out\":\"" + Instant.now() + "\"}");
            return;
        }
        String method = req.path("method").asText("");
        JsonNode reqId = req.get("req_id");
        String idField = reqId != null && reqId.isIntegralNumber() ? ",\"req_id\":" + reqId.asLong() : "";
        if (method.equals("ping")) {
            pings.incrementAndGet();
            c.send("{\"method\":\"pong\"" + idField + ",\"time_in\":\"" + timeIn + "\",\"time_out\":\""
                    + Instant.now() + "\"}");
            return;
        }
        if (!method.equals("subscribe") && !method.equals("unsubscribe")) {
            c.send(error(method, "EGeneral:Invalid arguments: unknown method", null, idField, timeIn));
            return;
        }
        JsonNode params = req.path("params");
        String channel = params.path("channel").asText("");
        boolean subscribe = method.equals("subscribe");
        boolean snapshot = !params.has("snapshot") || params.path("snapshot").asBoolean(true);
        synchronized (lock) {
            if (channel.equals("instrument")) {
                if (subscribe) {
                    c.subscriptions.computeIfAbsent("instrument", k -> new ConcurrentHashMap<>()).put("*", 0);
                } else {
                    c.subscriptions.remove("instrument");
                }
                c.send("{\"method\":\"" + method + "\",\"result\":{\"channel\":\"instrument\",\"snapshot\":" + snapshot
                        + "},\"success\":true" + idField + times(timeIn) + "}");
                if (subscribe && snapshot) {
                    c.send(instrumentSnapshot());
                }
                return;
            }
            if (!List.of("trade", "ticker", "book").contains(channel)) {
                c.send(error(method, "EGeneral:Invalid arguments: channel '" + channel + "' is not supported", null,
                        idField, timeIn));
                return;
            }
            int depth = params.path("depth").asInt(10);
            if (channel.equals("book") && !DEPTHS.contains(depth)) {
                c.send(error(method, "EGeneral:Invalid arguments:depth", null, idField, timeIn));
                return;
            }
            JsonNode symbols = params.path("symbol");
            if (!symbols.isArray() || symbols.isEmpty()) {
                c.send(error(method, "EGeneral:Invalid arguments: symbol is required", null, idField, timeIn));
                return;
            }
            for (JsonNode sn : symbols) {
                String symbol = sn.asText("");
                if (!pairs.containsKey(symbol)) {
                    c.send(error(method, "Currency pair not supported " + symbol, symbol, idField, timeIn));
                    continue;
                }
                Map<String, Integer> subs = c.subscriptions.computeIfAbsent(channel, k -> new ConcurrentHashMap<>());
                if (!subscribe) {
                    if (subs.remove(symbol) == null) {
                        c.send(error(method, "Subscription Not Found", symbol, idField, timeIn));
                        continue;
                    }
                    c.send("{\"method\":\"unsubscribe\",\"result\":{\"channel\":\"" + channel + "\""
                            + (channel.equals("book") ? ",\"depth\":" + depth : "") + ",\"symbol\":\"" + symbol
                            + "\"},\"success\":true" + idField + times(timeIn) + "}");
                    continue;
                }
                if (subs.containsKey(symbol)) {
                    c.send(error(method, "Already subscribed", symbol, idField, timeIn));
                    continue;
                }
                subs.put(symbol, channel.equals("book") ? depth : 0);
                if (channel.equals("book")) {
                    bookSubscriptions.incrementAndGet();
                }
                c.send("{\"method\":\"subscribe\",\"result\":{\"channel\":\"" + channel + "\""
                        + (channel.equals("book") ? ",\"depth\":" + depth : "") + ",\"snapshot\":" + snapshot
                        + ",\"symbol\":\"" + symbol + "\"},\"success\":true" + idField + times(timeIn) + "}");
                if (snapshot) {
                    switch (channel) {
                        case "trade" -> {
                            List<KrakenTrade> all = trades.get(symbol);
                            List<KrakenTrade> last = all.subList(Math.max(0, all.size() - TRADE_SNAPSHOT), all.size());
                            c.send(tradeMessage("snapshot", last));
                        }
                        case "ticker" -> {
                            String t = tickerMessage("snapshot", symbol);
                            if (t != null) {
                                c.send(t);
                            }
                        }
                        default -> {
                            KrakenSimBook b = books.get(symbol);
                            KrakenSimBook.ViewUpdate v = b.snapshot(depth);
                            c.send(bookMessage("snapshot", symbol, v, b.checksum(), null));
                        }
                    }
                }
            }
        }
    }

    private static String times(String timeIn) {
        return ",\"time_in\":\"" + timeIn + "\",\"time_out\":\"" + Instant.now() + "\"";
    }

    private static String error(String method, String error, String symbol, String idField, String timeIn) {
        return "{\"error\":\"" + error.replace("\"", "'") + "\",\"method\":\"" + method + "\",\"success\":false"
                + (symbol == null ? "" : ",\"symbol\":\"" + symbol.replace("\"", "'") + "\"") + idField
                + times(timeIn) + "}";
    }

    private String instrumentSnapshot() {
        StringBuilder sb = new StringBuilder("{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[],"
                + "\"pairs\":[");
        boolean first = true;
        for (KrakenPair p : pairs.values()) {
            sb.append(first ? "" : ",").append("{\"symbol\":\"").append(p.symbol()).append("\",\"base\":\"")
                    .append(p.base()).append("\",\"quote\":\"").append(p.quote())
                    .append("\",\"status\":\"online\",\"qty_precision\":").append(p.qtyPrecision())
                    .append(",\"qty_increment\":").append(BigDecimal.ONE.movePointLeft(p.qtyPrecision()).toPlainString())
                    .append(",\"price_precision\":").append(p.pricePrecision())
                    .append(",\"price_increment\":").append(p.tick().toPlainString())
                    .append(",\"qty_min\":").append(p.lot().toPlainString()).append(",\"marginable\":false}");
            first = false;
        }
        return sb.append("]}}").toString();
    }

    private void onTrade(EmittedTrade t) {
        synchronized (lock) {
            KrakenPair p = pairs.get(t.symbol());
            boolean takerBuys = !t.buyerIsMaker();
            BigDecimal price = new BigDecimal(t.price());
            KrakenTrade kt = new KrakenTrade(t.symbol(), t.id(), p.formatPrice(price),
                    p.formatQty(new BigDecimal(t.qty())), takerBuys ? "buy" : "sell",
                    Instant.ofEpochMilli(t.timeMillis()).toString());
            trades.get(t.symbol()).add(kt);
            String tradeMsg = null;
            for (KrakenClient c : clients) {
                if (c.subscribed("trade", t.symbol())) {
                    if (tradeMsg == null) {
                        tradeMsg = tradeMessage("update", List.of(kt));
                    }
                    c.send(tradeMsg);
                }
            }
            moveBook(p, price, takerBuys, kt.timestamp());
        }
    }

    private void moveBook(KrakenPair p, BigDecimal price, boolean takerBuys, String timestamp) {
        KrakenSimBook b = books.get(p.symbol());
        var bidBefore = b.bestBid();
        var askBefore = b.bestAsk();
        b.onTrade(price, takerBuys);
        Map<Integer, KrakenSimBook.ViewUpdate> updates = b.updates();
        long checksum = b.checksum();
        boolean corrupt = false;
        boolean skip = false;
        if (updates.values().stream().anyMatch(u -> !u.isEmpty())) {
            corrupt = corruptChecksums.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            skip = skipBookUpdates.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            if (skip) {
                bookUpdatesSkipped.incrementAndGet();
            }
        }
        if (!skip) {
            for (Map.Entry<Integer, KrakenSimBook.ViewUpdate> e : updates.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                String msg = bookMessage("update", p.symbol(), e.getValue(),
                        corrupt ? checksum ^ 1 : checksum, timestamp);
                for (KrakenClient c : clients) {
                    if (c.bookDepth(p.symbol()) == e.getKey()) {
                        c.send(msg);
                    }
                }
            }
        }
        if (!java.util.Objects.equals(b.bestBid(), bidBefore) || !java.util.Objects.equals(b.bestAsk(), askBefore)) {
            String msg = tickerMessage("update", p.symbol());
            for (KrakenClient c : clients) {
                if (c.subscribed("ticker", p.symbol())) {
                    c.send(msg);
                }
            }
        }
    }

    private String tradeMessage(String type, List<KrakenTrade> list) {
        StringBuilder sb = new StringBuilder(160 * Math.max(1, list.size()))
                .append("{\"channel\":\"trade\",\"type\":\"").append(type).append("\",\"data\":[");
        for (int i = 0; i < list.size(); i++) {
            KrakenTrade t = list.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"symbol\":\"").append(t.symbol()).append("\",\"side\":\"")
                    .append(t.side()).append("\",\"price\":").append(t.price()).append(",\"qty\":").append(t.qty())
                    .append(",\"ord_type\":\"market\",\"trade_id\":").append(t.tradeId()).append(",\"timestamp\":\"")
                    .append(t.timestamp()).append("\"}");
        }
        return sb.append("]}").toString();
    }

    private String tickerMessage(String type, String symbol) {
        KrakenSimBook b = books.get(symbol);
        KrakenPair p = pairs.get(symbol);
        var bid = b.bestBid();
        var ask = b.bestAsk();
        if (bid == null || ask == null) {
            return null;
        }
        List<KrakenTrade> ts = trades.get(symbol);
        String last = ts.isEmpty() ? p.formatPrice(p.startPrice()) : ts.get(ts.size() - 1).price();
        return "{\"channel\":\"ticker\",\"type\":\"" + type + "\",\"data\":[{\"symbol\":\"" + symbol + "\",\"bid\":"
                + p.formatPrice(bid.getKey()) + ",\"bid_qty\":" + p.formatQty(bid.getValue()) + ",\"ask\":"
                + p.formatPrice(ask.getKey()) + ",\"ask_qty\":" + p.formatQty(ask.getValue()) + ",\"last\":" + last
                + ",\"volume\":0.0,\"vwap\":" + last + ",\"low\":" + last + ",\"high\":" + last
                + ",\"change\":0.0,\"change_pct\":0.00,\"timestamp\":\"" + Instant.now() + "\"}]}";
    }

    private String bookMessage(String type, String symbol, KrakenSimBook.ViewUpdate v, long checksum,
                               String timestamp) {
        KrakenPair p = pairs.get(symbol);
        StringBuilder sb = new StringBuilder(256).append("{\"channel\":\"book\",\"type\":\"").append(type)
                .append("\",\"data\":[{\"symbol\":\"").append(symbol).append("\",\"bids\":");
        levels(sb, p, v.bids());
        sb.append(",\"asks\":");
        levels(sb, p, v.asks());
        sb.append(",\"checksum\":").append(checksum);
        if (timestamp != null) {
            sb.append(",\"timestamp\":\"").append(timestamp).append('"');
        }
        return sb.append("}]}").toString();
    }

    private static void levels(StringBuilder sb, KrakenPair p, List<KrakenSimBook.Level> levels) {
        sb.append('[');
        for (int i = 0; i < levels.size(); i++) {
            KrakenSimBook.Level l = levels.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"price\":").append(p.formatPrice(l.price())).append(",\"qty\":")
                    .append(p.formatQty(l.qty())).append('}');
        }
        sb.append(']');
    }
}
