package io.tickerplant.emulator.binance;

import io.tickerplant.emulator.VenueEmulator;
import io.tickerplant.emulator.VenueEmulators;
import io.javalin.Javalin;
import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.SymbolSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * A local Binance spot server on a free port, speaking the venue's real protocol over a simulated market: the
 * combined and raw trade, best bid/ask ({@code @bookTicker}) and diff depth ({@code @depth}, {@code @depth@100ms})
 * streams with live subscription, server pings with a pong timeout and a maximum connection age, and the REST
 * endpoints a market-data client uses ({@code /api/v3/historicalTrades}, {@code /api/v3/trades},
 * {@code /api/v3/depth}, {@code /api/v3/exchangeInfo}, {@code /api/v3/ping}, {@code /api/v3/time}) with Binance's
 * error bodies.
 *
 * <p>It is the ground truth for tests: every trade the market made is kept, per symbol and in order, whether or
 * not a client was connected ({@link #trades(String)}), and so is each symbol's L2 book ({@link #book(String)}),
 * which moves with every trade (see {@link SimulatedBook}); each move is one diff with contiguous update ids, sent
 * on both depth streams (the emulator does not batch per 100 ms; the protocol is the same). Faults are injected
 * through the Java API: dropped connections, malformed frames, lost trade frames, lost diffs
 * ({@link #skipDepthUpdate()}), REST rate limiting.
 *
 * <p><b>USD-M futures mode</b> ({@link Builder#futures(boolean)}, {@link #startFutures}): the same server speaks
 * {@code fstream}/{@code fapi}: {@code @aggTrade} (one aggregate trade per simulated trade, {@code a = f = l} = the
 * trade id), {@code @bookTicker} with {@code e/E/T}, {@code @depth@100ms} diffs with {@code pu} (a skipped diff breaks
 * the {@code pu} chain), {@code @markPrice@1s} every {@link Options#markPriceInterval()} for every symbol and
 * {@code @forceOrder} liquidations (random ones at {@link Options#liquidationsPerSecond()}, or {@link #liquidate}),
 * and REST {@code /fapi/v1/depth}, {@code /fapi/v1/aggTrades}, {@code /fapi/v1/trades}, {@code /fapi/v1/exchangeInfo}.
 * Ground truth: {@link #liquidations(String)} and {@link #markPrices(String)}.
 *
 * <p>Thread-safe. {@link #close()} stops the server, the market and every thread.
 */
public final class BinanceEmulator implements VenueEmulator {

    private static final Logger log = LoggerFactory.getLogger(BinanceEmulator.class);

    /**
     * How the emulator runs. Build with {@link #builder()}; durations mirror Binance's published limits by default.
     *
     * @param symbols listed instruments, venue spelling ({@code BTCUSDT})
     * @param seed seed of the simulated market
     * @param firstTradeId id of each symbol's first trade
     * @param burstProbability chance that a taker order fills one more resting order
     * @param generate true: the market trades on its own thread from the start; false: only when stepped or told to
     * @param pingInterval server ping period (Binance: 20 s)
     * @param pongTimeout a connection whose pong is this late is closed (Binance: 1 min)
     * @param maxConnectionAge connections are closed at this age (Binance: 24 h)
     * @param maxIncomingMessagesPerSecond pings, pongs and requests per connection per second before it is
     *     closed (Binance: 5); 0 disables the limit
     * @param maxQueuedFrames frames queued to a client that does not read before it is dropped as a slow consumer
     * @param maxHistoryPerSymbol trades kept per symbol for REST and ground truth; the oldest go first
     * @param host interface to bind
     * @param port port to bind, 0 for a free one
     * @param futures true: speak Binance USD-M futures instead of spot
     * @param markPriceInterval futures: period of {@code markPriceUpdate} events (Binance {@code @markPrice@1s}: 1 s)
     * @param liquidationsPerSecond futures: mean rate of random liquidations per symbol while the market generates
     */
    public record Options(List<SymbolSpec> symbols, long seed, long firstTradeId, double burstProbability,
                          boolean generate, Duration pingInterval, Duration pongTimeout, Duration maxConnectionAge,
                          int maxIncomingMessagesPerSecond, int maxQueuedFrames, int maxHistoryPerSymbol,
                          String host, int port, boolean futures, Duration markPriceInterval,
                          double liquidationsPerSecond) {
        public Options {
            symbols = List.copyOf(symbols);
            if (symbols.isEmpty()) {
                throw new IllegalArgumentException("at least one symbol is needed");
            }
            for (Duration d : List.of(pingInterval, pongTimeout, maxConnectionAge, markPriceInterval)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("durations must be positive: " + d);
                }
            }
            if (maxQueuedFrames < 1 || maxHistoryPerSymbol < 10) {
                throw new IllegalArgumentException("maxQueuedFrames must be >= 1 and maxHistoryPerSymbol >= 10");
            }
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
        private final List<Object> symbols = new ArrayList<>();
        private double tradesPerSecond = 10;
        private long seed = 1;
        private long firstTradeId = 1_000_000;
        private double burstProbability = 0.25;
        private boolean generate = true;
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration pongTimeout = Duration.ofMinutes(1);
        private Duration maxConnectionAge = Duration.ofHours(24);
        private int maxIncomingMessagesPerSecond = 5;
        private int maxQueuedFrames = 100_000;
        private int maxHistoryPerSymbol = 5_000_000;
        private String host = "127.0.0.1";
        private int port = 0;
        private boolean futures;
        private Duration markPriceInterval = Duration.ofSeconds(1);
        private double liquidationsPerSecond = 0.2;

        private record Named(String symbol, double rate) {
        }

        /** Lists symbols with default specs ({@link SymbolSpec#of}) at the builder's {@link #tradesPerSecond}. */
        public Builder symbols(String... venueSymbols) {
            for (String s : venueSymbols) {
                symbols.add(new Named(s, Double.NaN));
            }
            return this;
        }

        /** Lists one symbol with a default spec and its own rate. */
        public Builder symbol(String venueSymbol, double tradesPerSecond) {
            symbols.add(new Named(venueSymbol, tradesPerSecond));
            return this;
        }

        public Builder symbol(SymbolSpec spec) {
            symbols.add(Objects.requireNonNull(spec));
            return this;
        }

        /** Rate of symbols listed by name without their own rate. */
        public Builder tradesPerSecond(double rate) {
            this.tradesPerSecond = rate;
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

        public Builder burstProbability(double p) {
            this.burstProbability = p;
            return this;
        }

        /** False: the market trades only through {@link BinanceEmulator#trade} and {@link BinanceEmulator#step}. */
        public Builder generate(boolean generate) {
            this.generate = generate;
            return this;
        }

        public Builder pingInterval(Duration d) {
            this.pingInterval = d;
            return this;
        }

        public Builder pongTimeout(Duration d) {
            this.pongTimeout = d;
            return this;
        }

        public Builder maxConnectionAge(Duration d) {
            this.maxConnectionAge = d;
            return this;
        }

        public Builder maxIncomingMessagesPerSecond(int n) {
            this.maxIncomingMessagesPerSecond = n;
            return this;
        }

        public Builder maxQueuedFrames(int n) {
            this.maxQueuedFrames = n;
            return this;
        }

        public Builder maxHistoryPerSymbol(int n) {
            this.maxHistoryPerSymbol = n;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** True: a Binance USD-M futures server ({@code fstream}/{@code fapi}) instead of spot. */
        public Builder futures(boolean futures) {
            this.futures = futures;
            return this;
        }

        public Builder markPriceInterval(Duration d) {
            this.markPriceInterval = d;
            return this;
        }

        public Builder liquidationsPerSecond(double rate) {
            this.liquidationsPerSecond = rate;
            return this;
        }

        public Options build() {
            List<SymbolSpec> specs = new ArrayList<>();
            for (Object o : symbols) {
                if (o instanceof SymbolSpec s) {
                    specs.add(s);
                } else {
                    Named n = (Named) o;
                    specs.add(SymbolSpec.of(n.symbol(), Double.isNaN(n.rate()) ? tradesPerSecond : n.rate()));
                }
            }
            return new Options(specs, seed, firstTradeId, burstProbability, generate, pingInterval, pongTimeout,
                    maxConnectionAge, maxIncomingMessagesPerSecond, maxQueuedFrames, maxHistoryPerSymbol, host, port,
                    futures, markPriceInterval, liquidationsPerSecond);
        }

        /** Builds and starts. */
        public BinanceEmulator start() {
            return BinanceEmulator.start(build());
        }
    }

    private final Options options;
    private final Map<String, SymbolSpec> specs = new LinkedHashMap<>();
    private final MarketSimulator market;
    private final TradeHistory history;
    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    private final Map<String, SimulatedBook> books = new LinkedHashMap<>();
    private final AtomicInteger skipDepth = new AtomicInteger();
    private final AtomicLong depthUpdatesSkipped = new AtomicLong();
    private final AtomicInteger skipDelivery = new AtomicInteger();
    private final AtomicLong framesSkipped = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong pongsReceived = new AtomicLong();
    private final Map<String, java.util.Deque<EmittedLiquidation>> liquidations = new ConcurrentHashMap<>();
    private final Map<String, java.util.Deque<EmittedMarkPrice>> markPrices = new ConcurrentHashMap<>();
    private final java.util.SplittableRandom liquidationRng;
    private final RestApi rest;
    private final ScheduledExecutorService housekeeping;
    private final Javalin app;
    private volatile boolean closed;

    private BinanceEmulator(Options options) {
        this.options = options;
        for (SymbolSpec s : options.symbols()) {
            specs.put(s.symbol(), s);
        }
        this.history = new TradeHistory(specs.keySet(), options.maxHistoryPerSymbol());
        for (SymbolSpec s : options.symbols()) {
            // Update ids far from trade ids, so that mixing the two up in a client shows at once.
            books.put(s.symbol(), new SimulatedBook(s, options.seed(), 100_000_000L));
        }
        this.market = new MarketSimulator(new MarketSimulator.Options(options.symbols(), options.seed(),
                options.firstTradeId(), options.burstProbability(), System.currentTimeMillis()));
        this.market.addListener(this::onTrade);
        this.liquidationRng = new java.util.SplittableRandom(options.seed() * 7919L);
        for (SymbolSpec s : options.symbols()) {
            liquidations.put(s.symbol(), new java.util.concurrent.ConcurrentLinkedDeque<>());
            markPrices.put(s.symbol(), new java.util.concurrent.ConcurrentLinkedDeque<>());
        }
        this.rest = new RestApi(this);
        // A connected client is pinged every pingInterval, so Jetty's idle timeout only catches dead peers.
        Duration idle = options.pingInterval().plus(options.pongTimeout()).multipliedBy(2);
        StreamServlet servlet = new StreamServlet(this, idle, options.maxQueuedFrames(),
                options.maxIncomingMessagesPerSecond());
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.jetty.modifyServletContextHandler(h -> {
                ServletHolder holder = new ServletHolder("binance-streams", servlet);
                h.addServlet(holder, "/stream");
                h.addServlet(holder, "/ws/*");
            });
            rest.register(cfg.routes);
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, options.futures() ? "binance-futures-emulator-housekeeping"
                    : "binance-emulator-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the server (and the market, when {@link Options#generate()}) and returns once it listens. */
    public static BinanceEmulator start(Options options) {
        BinanceEmulator e = new BinanceEmulator(options);
        try {
            e.app.start();
            long period = Math.min(options.pingInterval().toMillis(),
                    Math.min(options.pongTimeout().toMillis(), options.maxConnectionAge().toMillis())) / 4;
            period = Math.max(5, Math.min(1000, period));
            e.housekeeping.scheduleWithFixedDelay(e::housekeeping, period, period, TimeUnit.MILLISECONDS);
            if (options.futures()) {
                long mp = options.markPriceInterval().toMillis();
                e.housekeeping.scheduleAtFixedRate(e::markPriceTick, mp, mp, TimeUnit.MILLISECONDS);
            }
            if (options.generate()) {
                e.market.start();
            }
            log.info("Binance emulator listening on {} with {}", e.restUri(), e.specs.keySet());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts an emulator for canonical spot symbols ({@code BTC-USDT} is served as {@code BTCUSDT}). */
    public static BinanceEmulator start(VenueEmulators.Spec spec) {
        Builder b = builder().port(spec.port()).seed(spec.seed());
        for (String symbol : spec.symbols()) {
            b.symbol(symbol.replace("-", "").toUpperCase(java.util.Locale.ROOT), spec.tradesPerSecond());
        }
        return b.start();
    }

    /**
     * Starts a USD-M futures emulator for canonical perpetuals ({@code BTC-USDT-PERP} is served as {@code BTCUSDT}).
     */
    public static BinanceEmulator startFutures(VenueEmulators.Spec spec) {
        Builder b = builder().futures(true).port(spec.port()).seed(spec.seed());
        for (String symbol : spec.symbols()) {
            String s = symbol.toUpperCase(java.util.Locale.ROOT);
            if (s.endsWith("-PERP")) {
                s = s.substring(0, s.length() - "-PERP".length());
            }
            b.symbol(s.replace("-", ""), spec.tradesPerSecond());
        }
        return b.start();
    }

    @Override
    public String venue() {
        return options.futures() ? "BINANCE_FUTURES" : "BINANCE";
    }

    /** True when this server speaks USD-M futures. */
    public boolean futures() {
        return options.futures();
    }

    public Options options() {
        return options;
    }

    public int port() {
        return app.port();
    }

    /** Base websocket URI, e.g. {@code ws://127.0.0.1:PORT}; append {@code /stream?streams=...} or {@code /ws}. */
    public URI websocketUri() {
        return URI.create("ws://" + uriHost() + ":" + port());
    }

    /** Base REST URI, e.g. {@code http://127.0.0.1:PORT}; append {@code /api/v3/...}. */
    public URI restUri() {
        return URI.create("http://" + uriHost() + ":" + port());
    }

    private String uriHost() {
        String h = options.host();
        return h == null || h.isEmpty() || h.equals("0.0.0.0") ? "127.0.0.1" : h;
    }

    /** Listed symbols, venue spelling. */
    public List<String> symbols() {
        return List.copyOf(specs.keySet());
    }

    // ---------------------------------------------------------------- ground truth

    /** Every trade of one symbol so far, in id order (within {@link Options#maxHistoryPerSymbol()}). */
    public List<EmittedTrade> trades(String venueSymbol) {
        return history.all(venueSymbol);
    }

    /** Every trade so far, per symbol, in id order. */
    public Map<String, List<EmittedTrade>> allTrades() {
        Map<String, List<EmittedTrade>> out = new LinkedHashMap<>();
        for (String s : specs.keySet()) {
            out.put(s, history.all(s));
        }
        return out;
    }

    /** The symbol's L2 book now, every level, with the update id it is at. */
    public BookSnapshot book(String venueSymbol) {
        return book(venueSymbol, Integer.MAX_VALUE);
    }

    /** The best {@code limit} levels per side of the symbol's book now. */
    public BookSnapshot book(String venueSymbol, int limit) {
        SimulatedBook b = books.get(venueSymbol);
        if (b == null) {
            throw new IllegalArgumentException("unknown symbol '" + venueSymbol + "'; listed: " + specs.keySet());
        }
        synchronized (b) {
            return b.snapshot(limit);
        }
    }

    /** Futures: every liquidation sent for the symbol so far (the latest 10,000), oldest first. */
    public List<EmittedLiquidation> liquidations(String venueSymbol) {
        return List.copyOf(known(liquidations, venueSymbol));
    }

    /** Futures: every mark price update sent for the symbol so far (the latest 10,000), oldest first. */
    public List<EmittedMarkPrice> markPrices(String venueSymbol) {
        return List.copyOf(known(markPrices, venueSymbol));
    }

    private <T> java.util.Deque<T> known(Map<String, java.util.Deque<T>> m, String venueSymbol) {
        java.util.Deque<T> d = m.get(venueSymbol);
        if (d == null) {
            throw new IllegalArgumentException("unknown symbol '" + venueSymbol + "'; listed: " + specs.keySet());
        }
        return d;
    }

    /** Id of the symbol's latest trade, or {@code firstTradeId - 1} before any. */
    public long lastTradeId(String venueSymbol) {
        return market.nextTradeId(venueSymbol) - 1;
    }

    // ---------------------------------------------------------------- market control

    /** The simulated market, for finer control (rates, stepping). */
    public MarketSimulator market() {
        return market;
    }

    /** Makes exactly {@code count} trades of one symbol now and publishes them. */
    public List<EmittedTrade> trade(String venueSymbol, int count) {
        return market.trade(venueSymbol, count);
    }

    /** Advances the market's virtual clock by hand (use with {@code generate(false)}). */
    public List<EmittedTrade> step(Duration d) {
        return market.step(d);
    }

    public void pause() {
        market.pause();
    }

    public void resume() {
        market.resume();
    }

    public void setTradesPerSecond(String venueSymbol, double rate) {
        market.setTradesPerSecond(venueSymbol, rate);
    }

    // ---------------------------------------------------------------- faults

    /** Closes every client socket abruptly, without a close frame, as a network failure would. */
    public void dropConnections() {
        for (StreamClient c : List.copyOf(clients)) {
            // Unregistered at once, so that connectionCount() counts only the connections that follow.
            clients.remove(c);
            c.disconnect();
        }
    }

    /** Closes every client connection with a close frame. */
    public void closeConnections(int code, String reason) {
        for (StreamClient c : List.copyOf(clients)) {
            clients.remove(c);
            c.close(code, reason);
        }
    }

    /** Sends a text frame as is to every client: truncated JSON, a trade with {@code "p":"abc"}, anything. */
    public void sendMalformedFrame(String text) {
        sendRawFrame(text);
    }

    /** Sends a text frame as is to every client. */
    public void sendRawFrame(String text) {
        for (StreamClient c : clients) {
            c.send(text);
        }
    }

    /**
     * The next {@code n} trades (any symbol) are made and kept in the REST history but sent to no websocket client:
     * frames lost on the way.
     */
    public void skipWebsocketDelivery(int n) {
        skipDelivery.addAndGet(n);
    }

    /**
     * The next depth diff (any symbol) changes the book but is sent to no client: a lost diff, which a client must
     * detect from the update ids ({@code U} is not the previous {@code u + 1}).
     */
    public void skipDepthUpdate() {
        skipDepth.incrementAndGet();
    }

    /** Depth diffs withheld by {@link #skipDepthUpdate()} so far. */
    public long depthUpdatesSkipped() {
        return depthUpdatesSkipped.get();
    }

    /**
     * The next {@code count} REST requests fail with {@code status}; 429 and 418 carry {@code Retry-After}
     * (whole seconds) and Binance's {@code -1003} body. {@code Integer.MAX_VALUE} means until
     * {@link #clearRestFailures()}.
     */
    public void failRestRequests(int count, int status, Duration retryAfter) {
        rest.fail(count, status, retryAfter);
    }

    /** The next {@code count} REST requests are rate limited: 429 with {@code Retry-After}. */
    public void rateLimitRest(int count, Duration retryAfter) {
        rest.fail(count, 429, retryAfter);
    }

    public void clearRestFailures() {
        rest.fail(0, 200, Duration.ZERO);
    }

    /**
     * Futures: sends a {@code forceOrder} liquidation of the symbol now, filled at the touch it hits (a SELL at the
     * best bid, a BUY at the best ask).
     *
     * @param side {@code SELL} (closes a long) or {@code BUY} (closes a short)
     * @param qty filled quantity, e.g. {@code "0.014"}
     */
    public EmittedLiquidation liquidate(String venueSymbol, String side, String qty) {
        if (!options.futures()) {
            throw new IllegalStateException("liquidations exist on futures only");
        }
        if (!side.equals("BUY") && !side.equals("SELL")) {
            throw new IllegalArgumentException("side must be BUY or SELL: " + side);
        }
        SimulatedBook b = books.get(venueSymbol);
        if (b == null) {
            throw new IllegalArgumentException("unknown symbol '" + venueSymbol + "'; listed: " + specs.keySet());
        }
        BigDecimal price;
        synchronized (b) {
            Map.Entry<BigDecimal, BigDecimal> touch = side.equals("SELL") ? b.bestBid() : b.bestAsk();
            price = touch == null ? specs.get(venueSymbol).startPrice() : touch.getKey();
        }
        long now = market.nowMillis();
        EmittedLiquidation l = new EmittedLiquidation(venueSymbol, side, price.toPlainString(),
                new BigDecimal(qty).toPlainString(), now);
        remember(liquidations.get(venueSymbol), l);
        send(List.of(venueSymbol.toLowerCase(Locale.ROOT) + "@forceOrder"), forceOrderPayload(l));
        return l;
    }

    /** Stops the market, the server and every thread. Same as {@link #close()}. */
    public void stop() {
        close();
    }

    // ---------------------------------------------------------------- observation

    /** Websocket clients connected now. */
    public int connectionCount() {
        return clients.size();
    }

    /** Websocket connections accepted since start. */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    public long pingsSent() {
        return pingsSent.get();
    }

    public long pongsReceived() {
        return pongsReceived.get();
    }

    public long restRequests() {
        return rest.requests();
    }

    /** Trade frames withheld by {@link #skipWebsocketDelivery(int)} so far. */
    public long framesSkipped() {
        return framesSkipped.get();
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

    SymbolSpec spec(String venueSymbol) {
        return specs.get(venueSymbol);
    }

    Map<String, SymbolSpec> specs() {
        return specs;
    }

    TradeHistory history() {
        return history;
    }

    /**
     * A stream name this server serves: {@code <lower-case symbol>@trade}, {@code @bookTicker}, {@code @depth} or
     * {@code @depth@100ms}.
     */
    boolean validStream(String stream) {
        int at = stream.indexOf('@');
        if (at <= 0) {
            return false;
        }
        String kind = stream.substring(at + 1);
        Set<String> kinds = options.futures()
                ? Set.of("aggTrade", "bookTicker", "depth", "depth@100ms", "forceOrder", "markPrice", "markPrice@1s")
                : Set.of("trade", "bookTicker", "depth", "depth@100ms");
        if (!kinds.contains(kind)) {
            return false;
        }
        String symbol = stream.substring(0, at);
        return symbol.equals(symbol.toLowerCase(Locale.ROOT)) && specs.containsKey(symbol.toUpperCase(Locale.ROOT));
    }

    void register(StreamClient c) {
        if (closed) {
            c.disconnect();
            return;
        }
        clients.add(c);
    }

    void unregister(StreamClient c) {
        clients.remove(c);
    }

    void accepted() {
        connectionsAccepted.incrementAndGet();
    }

    void pingSent() {
        pingsSent.incrementAndGet();
    }

    void pongReceived() {
        pongsReceived.incrementAndGet();
    }

    private void onTrade(EmittedTrade t) {
        // History first: a client that sees a gap in the stream must find the missing trades over REST.
        history.add(t);
        deliverTrade(t);
        moveBook(t);
    }

    private void deliverTrade(EmittedTrade t) {
        if (skipDelivery.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            framesSkipped.incrementAndGet();
            return;
        }
        if (clients.isEmpty()) {
            return;
        }
        String stream = t.symbol().toLowerCase(Locale.ROOT) + (options.futures() ? "@aggTrade" : "@trade");
        String raw = null;
        String wrapped = null;
        for (StreamClient c : clients) {
            if (!c.subscribed(stream)) {
                continue;
            }
            if (raw == null) {
                raw = options.futures() ? aggTradePayload(t) : tradePayload(t);
                wrapped = "{\"stream\":\"" + stream + "\",\"data\":" + raw + "}";
            }
            c.send(c.combined() ? wrapped : raw);
        }
    }

    private void moveBook(EmittedTrade t) {
        SimulatedBook b = books.get(t.symbol());
        // Changing the book and queueing its diff under the book's lock keeps every REST snapshot consistent with
        // the diffs: a snapshot at id N contains exactly the diffs up to N.
        synchronized (b) {
            Map.Entry<BigDecimal, BigDecimal> bidBefore = b.bestBid();
            Map.Entry<BigDecimal, BigDecimal> askBefore = b.bestAsk();
            SimulatedBook.Diff d = b.onTrade(t);
            if (d == null) {
                return;
            }
            if (skipDepth.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                depthUpdatesSkipped.incrementAndGet();
            } else {
                String lower = t.symbol().toLowerCase(Locale.ROOT);
                send(List.of(lower + "@depth", lower + "@depth@100ms"),
                        options.futures() ? futuresDepthPayload(t.symbol(), d) : depthPayload(t.symbol(), d));
            }
            Map.Entry<BigDecimal, BigDecimal> bid = b.bestBid();
            Map.Entry<BigDecimal, BigDecimal> ask = b.bestAsk();
            if (bid != null && ask != null && (!bid.equals(bidBefore) || !ask.equals(askBefore))) {
                send(List.of(t.symbol().toLowerCase(Locale.ROOT) + "@bookTicker"), options.futures()
                        ? futuresBookTickerPayload(t.symbol(), b.lastUpdateId(), t.timeMillis(), bid, ask)
                        : bookTickerPayload(t.symbol(), b.lastUpdateId(), bid, ask));
            }
        }
    }

    /** Sends a payload to every client subscribed to any of the streams (once per client), wrapped as needed. */
    private void send(List<String> streams, String raw) {
        for (StreamClient c : clients) {
            for (String stream : streams) {
                if (c.subscribed(stream)) {
                    c.send(c.combined() ? "{\"stream\":\"" + stream + "\",\"data\":" + raw + "}" : raw);
                    break;
                }
            }
        }
    }

    /** The diff depth payload as Binance documents it. */
    static String depthPayload(String symbol, SimulatedBook.Diff d) {
        StringBuilder sb = new StringBuilder(256)
                .append("{\"e\":\"depthUpdate\",\"E\":").append(d.timeMillis())
                .append(",\"s\":\"").append(symbol)
                .append("\",\"U\":").append(d.firstUpdateId())
                .append(",\"u\":").append(d.lastUpdateId())
                .append(",\"b\":");
        levels(sb, d.bids());
        sb.append(",\"a\":");
        levels(sb, d.asks());
        return sb.append('}').toString();
    }

    /**
     * The USD-M diff depth payload: spot's fields plus {@code T} and {@code pu}, the previous diff's {@code u}
     * (update ids here are contiguous, so it is {@code U - 1}; a withheld diff therefore breaks the chain).
     */
    static String futuresDepthPayload(String symbol, SimulatedBook.Diff d) {
        StringBuilder sb = new StringBuilder(256)
                .append("{\"e\":\"depthUpdate\",\"E\":").append(d.timeMillis())
                .append(",\"T\":").append(d.timeMillis())
                .append(",\"s\":\"").append(symbol)
                .append("\",\"U\":").append(d.firstUpdateId())
                .append(",\"u\":").append(d.lastUpdateId())
                .append(",\"pu\":").append(d.firstUpdateId() - 1)
                .append(",\"b\":");
        levels(sb, d.bids());
        sb.append(",\"a\":");
        levels(sb, d.asks());
        return sb.append('}').toString();
    }

    /** The USD-M bookTicker payload: with event type, event time and transaction time. */
    static String futuresBookTickerPayload(String symbol, long updateId, long timeMillis,
                                           Map.Entry<BigDecimal, BigDecimal> bid,
                                           Map.Entry<BigDecimal, BigDecimal> ask) {
        return "{\"e\":\"bookTicker\",\"u\":" + updateId + ",\"E\":" + timeMillis + ",\"T\":" + timeMillis
                + ",\"s\":\"" + symbol + "\",\"b\":\"" + bid.getKey().toPlainString()
                + "\",\"B\":\"" + bid.getValue().toPlainString() + "\",\"a\":\"" + ask.getKey().toPlainString()
                + "\",\"A\":\"" + ask.getValue().toPlainString() + "\"}";
    }

    /** The USD-M aggTrade payload: one simulated trade is one aggregate trade, {@code a = f = l}. */
    static String aggTradePayload(EmittedTrade t) {
        return new StringBuilder(160)
                .append("{\"e\":\"aggTrade\",\"E\":").append(t.timeMillis())
                .append(",\"s\":\"").append(t.symbol())
                .append("\",\"a\":").append(t.id())
                .append(",\"p\":\"").append(t.price())
                .append("\",\"q\":\"").append(t.qty())
                .append("\",\"f\":").append(t.id())
                .append(",\"l\":").append(t.id())
                .append(",\"T\":").append(t.timeMillis())
                .append(",\"m\":").append(t.buyerIsMaker())
                .append('}')
                .toString();
    }

    /** The USD-M forceOrder payload as documented: a filled IOC LIMIT order. */
    static String forceOrderPayload(EmittedLiquidation l) {
        return "{\"e\":\"forceOrder\",\"E\":" + l.eventTimeMillis() + ",\"o\":{\"s\":\"" + l.symbol()
                + "\",\"S\":\"" + l.side() + "\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"" + l.qty()
                + "\",\"p\":\"" + l.price() + "\",\"ap\":\"" + l.price() + "\",\"X\":\"FILLED\",\"l\":\""
                + l.qty() + "\",\"z\":\"" + l.qty() + "\",\"T\":" + l.eventTimeMillis() + "}}";
    }

    /** The USD-M markPriceUpdate payload as documented. */
    static String markPricePayload(EmittedMarkPrice m) {
        return "{\"e\":\"markPriceUpdate\",\"E\":" + m.eventTimeMillis() + ",\"s\":\"" + m.symbol()
                + "\",\"p\":\"" + m.markPrice() + "\",\"i\":\"" + m.indexPrice() + "\",\"P\":\""
                + m.indexPrice() + "\",\"r\":\"" + m.fundingRate() + "\",\"T\":" + m.nextFundingTimeMillis()
                + "}";
    }

    private static final long FUNDING_PERIOD_MILLIS = 8 * 3_600_000L;
    private static final int REMEMBERED = 10_000;

    private static <T> void remember(java.util.Deque<T> d, T value) {
        d.addLast(value);
        while (d.size() > REMEMBERED) {
            d.pollFirst();
        }
    }

    /**
     * Futures, every {@link Options#markPriceInterval()}: a mark price (the book's mid) and funding for each symbol,
     * and, while the market generates, random liquidations.
     */
    private void markPriceTick() {
        try {
            long now = market.nowMillis();
            long nextFunding = (now / FUNDING_PERIOD_MILLIS + 1) * FUNDING_PERIOD_MILLIS;
            for (Map.Entry<String, SimulatedBook> e : books.entrySet()) {
                BigDecimal mark;
                SimulatedBook b = e.getValue();
                synchronized (b) {
                    Map.Entry<BigDecimal, BigDecimal> bid = b.bestBid();
                    Map.Entry<BigDecimal, BigDecimal> ask = b.bestAsk();
                    if (bid == null || ask == null) {
                        continue;
                    }
                    mark = bid.getKey().add(ask.getKey()).divide(BigDecimal.valueOf(2))
                            .setScale(MarketSimulator.SCALE, java.math.RoundingMode.HALF_EVEN);
                }
                // The index trails the mark by a tick's fraction, so that the two are told apart in a test.
                BigDecimal index = mark.subtract(specs.get(e.getKey()).tickSize().divide(BigDecimal.TEN))
                        .setScale(MarketSimulator.SCALE, java.math.RoundingMode.HALF_EVEN);
                EmittedMarkPrice m = new EmittedMarkPrice(e.getKey(), mark.toPlainString(), index.toPlainString(),
                        "0.00010000", nextFunding, now);
                remember(markPrices.get(e.getKey()), m);
                String lower = e.getKey().toLowerCase(Locale.ROOT);
                send(List.of(lower + "@markPrice@1s", lower + "@markPrice"), markPricePayload(m));
                double p = options.liquidationsPerSecond() * options.markPriceInterval().toMillis() / 1000.0;
                if (options.generate() && market.isRunning() && !market.isPaused() && liquidationRng.nextDouble() < p) {
                    String side = liquidationRng.nextBoolean() ? "SELL" : "BUY";
                    BigDecimal qty = specs.get(e.getKey()).lotSize()
                            .multiply(BigDecimal.valueOf(1 + liquidationRng.nextInt(50)));
                    liquidate(e.getKey(), side, qty.toPlainString());
                }
            }
        } catch (RuntimeException ex) {
            log.error("emulator mark price tick failed", ex);
        }
    }

    private static void levels(StringBuilder sb, Map<BigDecimal, BigDecimal> levels) {
        sb.append('[');
        boolean first = true;
        for (Map.Entry<BigDecimal, BigDecimal> e : levels.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("[\"").append(e.getKey().toPlainString()).append("\",\"")
                    .append(e.getValue().toPlainString()).append("\"]");
        }
        sb.append(']');
    }

    /** The spot bookTicker payload as Binance documents it: no event type, no event time. */
    static String bookTickerPayload(String symbol, long updateId, Map.Entry<BigDecimal, BigDecimal> bid,
                                    Map.Entry<BigDecimal, BigDecimal> ask) {
        return "{\"u\":" + updateId + ",\"s\":\"" + symbol + "\",\"b\":\"" + bid.getKey().toPlainString()
                + "\",\"B\":\"" + bid.getValue().toPlainString() + "\",\"a\":\"" + ask.getKey().toPlainString()
                + "\",\"A\":\"" + ask.getValue().toPlainString() + "\"}";
    }

    /** The trade stream payload, field for field as Binance documents it. */
    static String tradePayload(EmittedTrade t) {
        return new StringBuilder(160)
                .append("{\"e\":\"trade\",\"E\":").append(t.timeMillis())
                .append(",\"s\":\"").append(t.symbol())
                .append("\",\"t\":").append(t.id())
                .append(",\"p\":\"").append(t.price())
                .append("\",\"q\":\"").append(t.qty())
                .append("\",\"T\":").append(t.timeMillis())
                .append(",\"m\":").append(t.buyerIsMaker())
                .append(",\"M\":true}")
                .toString();
    }

    private void housekeeping() {
        try {
            long now = System.nanoTime();
            long ping = options.pingInterval().toNanos();
            long pong = options.pongTimeout().toNanos();
            long maxAge = options.maxConnectionAge().toNanos();
            for (StreamClient c : clients) {
                if (c.ageNanos(now) >= maxAge) {
                    c.close(1000, "Connection max age reached");
                    clients.remove(c);
                } else if (!c.housekeeping(now, ping, pong)) {
                    clients.remove(c);
                }
            }
        } catch (RuntimeException e) {
            log.error("emulator housekeeping failed", e);
        }
    }
}
