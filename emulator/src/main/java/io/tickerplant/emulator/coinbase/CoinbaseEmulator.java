package io.tickerplant.emulator.coinbase;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.SymbolSpec;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Coinbase Advanced Trade market-data server on a free port, over a simulated market: the websocket at
 * {@code /ws} speaks the real protocol (one subscribe message per channel; {@code market_trades}, {@code ticker},
 * {@code level2} answered with a snapshot then updates, {@code heartbeats} once per interval with a counter, a
 * {@code subscriptions} message after each request, {@code sequence_num} per connection across channels, errors as
 * {@code {"type":"error"}}), and REST serves {@code GET /api/v3/brokerage/market/products/{id}/ticker} (latest
 * trades, newest first).
 *
 * <p>Ground truth for tests: every trade as sent ({@link #trades}) and each product's book ({@link #book}). Faults:
 * {@link #dropConnections()}, {@link #dropNextMessage(String)} / {@link #skipSequenceNumber()} (a message lost on
 * the way, its number used), {@link #sendMalformedFrame(String)}, {@link #rateLimitRest(int, Duration)}.
 * Thread-safe; {@link #close()} stops the server, the market and every thread.
 */
public final class CoinbaseEmulator implements VenueEmulator {

    private static final Logger log = LoggerFactory.getLogger(CoinbaseEmulator.class);
    /** Trades in the {@code market_trades} snapshot, as many as Coinbase sends. */
    static final int SNAPSHOT_TRADES = 100;

    /**
     * How the emulator runs.
     *
     * @param symbols listed products, {@code symbol} is the product id ({@code BTC-USD})
     * @param generate true: the market trades on its own thread from the start; false: only when told to
     * @param heartbeatInterval period of heartbeat messages (Coinbase: 1 s)
     */
    public record Options(List<SymbolSpec> symbols, long seed, long firstTradeId, boolean generate,
                          Duration heartbeatInterval, String host, int port) {
        public Options {
            symbols = List.copyOf(symbols);
            if (symbols.isEmpty()) {
                throw new IllegalArgumentException("at least one product is needed");
            }
        }
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
        private final List<SymbolSpec> symbols = new ArrayList<>();
        private long seed = 1;
        private long firstTradeId = 1_068_572_000L;
        private boolean generate = true;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private String host = "127.0.0.1";
        private int port;

        /** Lists a product ({@code BTC-USD}) with a plausible spec and its own trade rate. */
        public Builder product(String productId, double tradesPerSecond) {
            symbols.add(spec(productId, tradesPerSecond));
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder firstTradeId(long id) {
            this.firstTradeId = id;
            return this;
        }

        /** False: the market trades only through {@link CoinbaseEmulator#trade}. */
        public Builder generate(boolean generate) {
            this.generate = generate;
            return this;
        }

        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = d;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public CoinbaseEmulator start() {
            return CoinbaseEmulator.start(new Options(symbols, seed, firstTradeId, generate, heartbeatInterval, host,
                    port));
        }
    }

    /** A spec for a spot product id: defaults of the same base and quote (USD priced like USDT). */
    static SymbolSpec spec(String productId, double tradesPerSecond) {
        String[] parts = productId.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + productId + "' is not a Coinbase spot product id (BASE-QUOTE)");
        }
        SymbolSpec like;
        try {
            like = SymbolSpec.of(parts[0] + (parts[1].equals("USD") ? "USDT" : parts[1]), tradesPerSecond);
        } catch (IllegalArgumentException e) {
            like = new SymbolSpec(productId, parts[0], parts[1], new BigDecimal("100.00"), new BigDecimal("0.01"),
                    new BigDecimal("0.00001"), tradesPerSecond);
        }
        return new SymbolSpec(productId, parts[0], parts[1], like.startPrice(), like.tickSize(), like.lotSize(),
                tradesPerSecond);
    }

    private final Options options;
    private final MarketSimulator market;
    private final Map<String, CoinbaseBook> books = new LinkedHashMap<>();
    private final Map<String, List<CoinbaseTrade>> history = new LinkedHashMap<>();
    private final Set<CoinbaseClient> clients = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
    private final AtomicLong messagesDropped = new AtomicLong();
    private final AtomicInteger skipDelivery = new AtomicInteger();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong restRequests = new AtomicLong();
    private final Object restFaults = new Object();
    private int rateLimitsLeft;
    private long retryAfterSeconds;
    private final ScheduledExecutorService heartbeats;
    private final Javalin app;
    private volatile boolean closed;

    private CoinbaseEmulator(Options options) {
        this.options = options;
        for (SymbolSpec s : options.symbols()) {
            books.put(s.symbol(), new CoinbaseBook(s, options.seed()));
            history.put(s.symbol(), new ArrayList<>());
        }
        this.market = new MarketSimulator(new MarketSimulator.Options(options.symbols(), options.seed(),
                options.firstTradeId(), 0.25, System.currentTimeMillis()));
        this.market.addListener(this::onTrade);
        CoinbaseClient.Servlet servlet = new CoinbaseClient.Servlet(this);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.jetty.modifyServletContextHandler(h -> h.addServlet(new ServletHolder("coinbase-ws", servlet), "/ws"));
            cfg.routes.get("/api/v3/brokerage/market/products/{product_id}/ticker", this::restTicker);
        });
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coinbase-emulator-heartbeats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the server (and the market, when {@link Options#generate()}); returns once it listens. */
    public static CoinbaseEmulator start(Options options) {
        CoinbaseEmulator e = new CoinbaseEmulator(options);
        try {
            e.app.start();
            long period = options.heartbeatInterval().toMillis();
            e.heartbeats.scheduleAtFixedRate(e::heartbeat, period, period, TimeUnit.MILLISECONDS);
            if (options.generate()) {
                e.market.start();
            }
            log.info("Coinbase emulator listening on {} with {}", e.restUri(), e.books.keySet());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts an emulator for canonical spot symbols: {@code BTC-USD} is product {@code BTC-USD}. */
    public static CoinbaseEmulator start(VenueEmulators.Spec spec) {
        Builder b = builder().port(spec.port()).seed(spec.seed());
        for (String symbol : spec.symbols()) {
            if (symbol.endsWith("-PERP")) {
                throw new IllegalArgumentException(symbol + ": Coinbase Advanced Trade spot has no perpetuals");
            }
            b.product(symbol, spec.tradesPerSecond());
        }
        return b.start();
    }

    @Override
    public String venue() {
        return "COINBASE";
    }

    public int port() {
        return app.port();
    }

    /** The websocket endpoint, {@code ws://127.0.0.1:PORT/ws}: the adapter connects to it as given. */
    @Override
    public URI websocketUri() {
        return URI.create("ws://" + options.host() + ":" + port() + "/ws");
    }

    /** Base REST URI; append {@code /api/v3/brokerage/...}. */
    @Override
    public URI restUri() {
        return URI.create("http://" + options.host() + ":" + port());
    }

    @Override
    public MarketSimulator market() {
        return market;
    }

    boolean lists(String productId) {
        return books.containsKey(productId);
    }

    // ---------------------------------------------------------------- ground truth and control

    /** Every trade of a product so far, in id order, as sent. */
    public List<CoinbaseTrade> trades(String productId) {
        CoinbaseBook b = book0(productId);
        synchronized (b) {
            return List.copyOf(history.get(productId));
        }
    }

    /** The product's whole book now; {@code lastUpdateId} counts its updates. */
    public BookSnapshot book(String productId) {
        return book(productId, Integer.MAX_VALUE);
    }

    /** The best {@code limit} levels per side of the product's book now. */
    public BookSnapshot book(String productId, int limit) {
        CoinbaseBook b = book0(productId);
        synchronized (b) {
            return b.snapshot(limit);
        }
    }

    private CoinbaseBook book0(String productId) {
        CoinbaseBook b = books.get(productId);
        if (b == null) {
            throw new IllegalArgumentException("unknown product '" + productId + "'; listed: " + books.keySet());
        }
        return b;
    }

    /** Makes exactly {@code count} trades of one product now and sends them. */
    public List<EmittedTrade> trade(String productId, int count) {
        return market.trade(productId, count);
    }

    public void pause() {
        market.pause();
    }

    public void resume() {
        market.resume();
    }

    // ---------------------------------------------------------------- faults

    /** Closes every client socket abruptly, without a close frame. */
    @Override
    public void dropConnections() {
        for (CoinbaseClient c : List.copyOf(clients)) {
            clients.remove(c);
            c.disconnect();
        }
    }

    /** Sends this text as is to every client. */
    @Override
    public void sendMalformedFrame(String text) {
        for (CoinbaseClient c : clients) {
            c.sendRaw(text);
        }
    }

    /**
     * The next message of this channel ({@code l2_data}, {@code market_trades}, {@code ticker}, ...) to any client is
     * lost on the way: its {@code sequence_num} is used but it is not sent.
     */
    public void dropNextMessage(String channel) {
        drops.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
    }

    /** Loses the next {@code l2_data} message: the sequence number is skipped and the book update with it. */
    public void skipSequenceNumber() {
        dropNextMessage("l2_data");
    }

    /**
     * The next {@code n} trades (any product) are made, kept as ground truth and served over REST and in later
     * {@code market_trades} snapshots, but sent to no client and numbered on no connection: trades a venue failed to
     * publish, which a client sees only as skipped trade ids.
     */
    public void skipWebsocketDelivery(int n) {
        skipDelivery.addAndGet(n);
    }

    /** Messages lost by {@link #dropNextMessage} so far. */
    public long messagesDropped() {
        return messagesDropped.get();
    }

    /** The next {@code count} REST requests answer 429 with {@code Retry-After} (whole seconds). */
    public void rateLimitRest(int count, Duration retryAfter) {
        synchronized (restFaults) {
            rateLimitsLeft = count;
            retryAfterSeconds = retryAfter.toSeconds();
        }
    }

    public long restRequests() {
        return restRequests.get();
    }

    public int connectionCount() {
        return clients.size();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        market.stop();
        heartbeats.shutdownNow();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the emulator's server failed", e);
        }
        try {
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.clear();
    }

    // ---------------------------------------------------------------- internals

    void accepted() {
        connectionsAccepted.incrementAndGet();
    }

    void register(CoinbaseClient c) {
        if (closed) {
            c.disconnect();
            return;
        }
        clients.add(c);
    }

    void unregister(CoinbaseClient c) {
        clients.remove(c);
    }

    boolean takeDrop(String channel) {
        AtomicInteger n = drops.get(channel);
        if (n != null && n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0) {
            messagesDropped.incrementAndGet();
            return true;
        }
        return false;
    }

    private void heartbeat() {
        for (CoinbaseClient c : clients) {
            c.heartbeat();
        }
    }

    /** Adds a subscription and sends its snapshot under the product's lock, so no update falls between. */
    void subscribe(CoinbaseClient c, String channel, String productId) {
        if (channel.equals("heartbeats")) {
            c.add(channel, productId);
            return;
        }
        CoinbaseBook b = book0(productId);
        synchronized (b) {
            c.add(channel, productId);
            switch (channel) {
                case "market_trades" -> {
                    List<CoinbaseTrade> all = history.get(productId);
                    List<CoinbaseTrade> latest = new ArrayList<>();
                    for (int i = all.size() - 1; i >= 0 && latest.size() < SNAPSHOT_TRADES; i--) {
                        latest.add(all.get(i));
                    }
                    c.send("market_trades", tradesEvent("snapshot", latest));
                }
                case "ticker" -> c.send("ticker", tickerEvent("snapshot", productId, b));
                case "level2" -> {
                    Map<BigDecimal, BigDecimal> bids = new LinkedHashMap<>(b.bids());
                    Map<BigDecimal, BigDecimal> asks = new LinkedHashMap<>(b.asks());
                    c.send("l2_data", l2Event("snapshot", productId, Instant.now().toString(), bids, asks));
                }
                default -> throw new IllegalArgumentException("channel " + channel);
            }
        }
    }

    private void onTrade(EmittedTrade t) {
        CoinbaseBook b = books.get(t.symbol());
        synchronized (b) {
            String time = Instant.ofEpochMilli(t.timeMillis()).toString();
            // Coinbase's side is the maker's: the buyer made the market when the taker sold.
            CoinbaseTrade ct = new CoinbaseTrade(t.symbol(), Long.toString(t.id()), plain(new BigDecimal(t.price())),
                    plain(new BigDecimal(t.qty())), t.buyerIsMaker() ? "BUY" : "SELL", time, t.timeMillis());
            history.get(t.symbol()).add(ct);
            String trades = null;
            boolean withheld = skipDelivery.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            for (CoinbaseClient c : withheld ? List.<CoinbaseClient>of() : clients) {
                if (c.subscribed("market_trades", t.symbol())) {
                    if (trades == null) {
                        trades = tradesEvent("update", List.of(ct));
                    }
                    c.send("market_trades", trades);
                }
            }
            Map.Entry<BigDecimal, BigDecimal> bidBefore = b.bestBid();
            Map.Entry<BigDecimal, BigDecimal> askBefore = b.bestAsk();
            CoinbaseBook.Diff d = b.onTrade(t);
            if (d == null) {
                return;
            }
            String l2 = l2Event("update", t.symbol(), time, d.bids(), d.asks());
            for (CoinbaseClient c : clients) {
                if (c.subscribed("level2", t.symbol())) {
                    c.send("l2_data", l2);
                }
            }
            if (!b.bestBid().equals(bidBefore) || !b.bestAsk().equals(askBefore)) {
                String ticker = tickerEvent("update", t.symbol(), b);
                for (CoinbaseClient c : clients) {
                    if (c.subscribed("ticker", t.symbol())) {
                        c.send("ticker", ticker);
                    }
                }
            }
        }
    }

    /** Prints a value as Coinbase does: no trailing zeros, never an exponent. */
    static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private static String tradesEvent(String type, List<CoinbaseTrade> trades) {
        StringBuilder sb = new StringBuilder(64 + trades.size() * 160).append("[{\"type\":\"").append(type)
                .append("\",\"trades\":[");
        for (int i = 0; i < trades.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(trades.get(i).json());
        }
        return sb.append("]}]").toString();
    }

    private static String tickerEvent(String type, String productId, CoinbaseBook b) {
        Map.Entry<BigDecimal, BigDecimal> bid = b.bestBid();
        Map.Entry<BigDecimal, BigDecimal> ask = b.bestAsk();
        return "[{\"type\":\"" + type + "\",\"tickers\":[{\"type\":\"ticker\",\"product_id\":\"" + productId
                + "\",\"price\":\"" + plain(b.lastPrice()) + "\",\"volume_24_h\":\"0\",\"low_24_h\":\"0\","
                + "\"high_24_h\":\"0\",\"low_52_w\":\"0\",\"high_52_w\":\"0\",\"price_percent_chg_24_h\":\"0\","
                + "\"best_bid\":\"" + plain(bid.getKey()) + "\",\"best_bid_quantity\":\"" + plain(bid.getValue())
                + "\",\"best_ask\":\"" + plain(ask.getKey()) + "\",\"best_ask_quantity\":\"" + plain(ask.getValue())
                + "\"}]}]";
    }

    private static String l2Event(String type, String productId, String time, Map<BigDecimal, BigDecimal> bids,
                                  Map<BigDecimal, BigDecimal> asks) {
        StringBuilder sb = new StringBuilder(128 + (bids.size() + asks.size()) * 96).append("[{\"type\":\"")
                .append(type).append("\",\"product_id\":\"").append(productId).append("\",\"updates\":[");
        boolean[] first = {true};
        levels(sb, "bid", time, bids, first);
        levels(sb, "offer", time, asks, first);
        return sb.append("]}]").toString();
    }

    private static void levels(StringBuilder sb, String side, String time, Map<BigDecimal, BigDecimal> levels,
                               boolean[] first) {
        for (Map.Entry<BigDecimal, BigDecimal> e : levels.entrySet()) {
            sb.append(first[0] ? "" : ",").append("{\"side\":\"").append(side).append("\",\"event_time\":\"")
                    .append(time).append("\",\"price_level\":\"").append(plain(e.getKey()))
                    .append("\",\"new_quantity\":\"").append(plain(e.getValue())).append("\"}");
            first[0] = false;
        }
    }

    private void restTicker(Context ctx) {
        restRequests.incrementAndGet();
        ctx.contentType("application/json");
        synchronized (restFaults) {
            if (rateLimitsLeft > 0) {
                rateLimitsLeft--;
                ctx.status(429).header("Retry-After", Long.toString(retryAfterSeconds))
                        .result("{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}");
                return;
            }
        }
        String productId = ctx.pathParam("product_id");
        CoinbaseBook b = books.get(productId);
        if (b == null) {
            ctx.status(404).result("{\"error\":\"NOT_FOUND\",\"message\":\"product " + productId + " not found\"}");
            return;
        }
        int limit;
        try {
            limit = Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("100"));
        } catch (NumberFormatException e) {
            ctx.status(400).result("{\"error\":\"INVALID_ARGUMENT\",\"message\":\"limit must be an integer\"}");
            return;
        }
        limit = Math.max(1, Math.min(1000, limit));
        StringBuilder sb = new StringBuilder("{\"trades\":[");
        synchronized (b) {
            List<CoinbaseTrade> all = history.get(productId);
            for (int i = all.size() - 1, n = 0; i >= 0 && n < limit; i--, n++) {
                sb.append(n == 0 ? "" : ",").append(all.get(i).json());
            }
            sb.append("],\"best_bid\":\"").append(plain(b.bestBid().getKey())).append("\",\"best_ask\":\"")
                    .append(plain(b.bestAsk().getKey())).append("\"}");
        }
        ctx.result(sb.toString());
    }
}
