package io.tickerplant.emulator.bitstamp;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.SymbolSpec;
import io.tickerplant.emulator.VenueEmulator;
import io.tickerplant.emulator.VenueEmulators;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Bitstamp server on a free port, speaking websocket API v2 over a simulated market: {@code bts:subscribe}
 * with {@code bts:subscription_succeeded} (or {@code bts:error}), {@code live_trades_<pair>} trade events,
 * {@code diff_order_book_<pair>} data events with strictly increasing microtimestamps, answers to
 * {@code bts:heartbeat}, and {@code bts:request_reconnect} on demand; REST {@code /api/v2/order_book/<pair>/}
 * (with {@code microtimestamp}), {@code /api/v2/transactions/<pair>/?time=minute|hour|day} and
 * {@code /api/v2/trading-pairs-info/}. Pairs are spelled the Bitstamp way ({@code btcusd}).
 *
 * <p>Ground truth for tests: every trade made, per pair ({@link #trades}), and each pair's book ({@link #book}),
 * whose {@code lastUpdateId} is the microtimestamp of its last change. Faults: {@link #dropConnections()},
 * {@link #skipDiff()} (a diff lost on the way; Bitstamp's clients cannot see that from the stream itself),
 * {@link #sendMalformedFrame}, {@link #requestReconnect()}, {@link #rateLimitRest} (429 with Retry-After).
 *
 * <p>Thread-safe. {@link #close()} stops the server, the market and every thread.
 */
public final class BitstampEmulator implements VenueEmulator {

    private static final Logger log = LoggerFactory.getLogger(BitstampEmulator.class);
    static final String TRADES_PREFIX = "live_trades_";
    static final String DIFF_PREFIX = "diff_order_book_";
    private static final Map<String, String> START_PRICES = Map.of("BTC", "60000.00", "ETH", "3000.00",
            "SOL", "150.00", "LTC", "80.00", "XRP", "0.50000", "ADA", "0.45000", "DOGE", "0.15000");

    /** Per pair: spec, book and trade history, guarded by the pair object. */
    private static final class Pair {
        final SymbolSpec spec;
        final BitstampBook book;
        final List<EmittedTrade> trades = new ArrayList<>();

        Pair(SymbolSpec spec, BitstampBook book) {
            this.spec = spec;
            this.book = book;
        }
    }

    private final Map<String, Pair> pairs = new LinkedHashMap<>();
    private final MarketSimulator market;
    private final Set<BitstampStreamClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger skipDiffs = new AtomicInteger();
    private final AtomicLong diffsSkipped = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong restRequests = new AtomicLong();
    private final Object faultLock = new Object();
    private int restFailuresLeft;
    private Duration retryAfter = Duration.ZERO;
    private final Javalin app;
    private final String host;
    private volatile boolean closed;

    private BitstampEmulator(List<String> canonicalSymbols, double tradesPerSecond, long seed, String host, int port) {
        this.host = host;
        List<SymbolSpec> specs = new ArrayList<>();
        for (String c : canonicalSymbols) {
            SymbolSpec spec = spec(c, tradesPerSecond);
            specs.add(spec);
            pairs.put(spec.symbol(), new Pair(spec, new BitstampBook(spec, seed, System.currentTimeMillis() * 1000L)));
        }
        this.market = new MarketSimulator(new MarketSimulator.Options(specs, seed, 200_000_000L, 0.25,
                System.currentTimeMillis()));
        market.addListener(this::onTrade);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.jetty.modifyServletContextHandler(h -> h.addServlet(new ServletHolder("bitstamp-v2",
                    new StreamServlet(this)), "/v2"));
            cfg.routes.get("/api/v2/order_book/{pair}", api(this::orderBook));
            cfg.routes.get("/api/v2/transactions/{pair}", api(this::transactions));
            cfg.routes.get("/api/v2/trading-pairs-info", api(this::pairsInfo));
        });
    }

    /** A spec for a canonical spot symbol: {@code BTC-USD} trades as {@code btcusd}. */
    static SymbolSpec spec(String canonical, double tradesPerSecond) {
        String[] parts = canonical.toUpperCase(Locale.ROOT).split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Bitstamp is spot only; expected BASE-QUOTE, got '" + canonical + "'");
        }
        BigDecimal start = new BigDecimal(START_PRICES.getOrDefault(parts[0], "100.00"));
        BigDecimal tick = start.compareTo(BigDecimal.TEN) >= 0 ? new BigDecimal("0.01") : new BigDecimal("0.00001");
        return new SymbolSpec((parts[0] + parts[1]).toLowerCase(Locale.ROOT), parts[0], parts[1], start, tick,
                new BigDecimal("0.00001"), tradesPerSecond);
    }

    /**
     * Starts a server on {@code 127.0.0.1}.
     *
     * @param canonicalSymbols {@code BTC-USD}, ...
     * @param tradesPerSecond mean trade rate per pair; 0: the market trades only through {@link #trade}
     * @param port 0 for a free port
     */
    public static BitstampEmulator start(List<String> canonicalSymbols, double tradesPerSecond, long seed, int port) {
        BitstampEmulator e = new BitstampEmulator(canonicalSymbols, tradesPerSecond, seed, "127.0.0.1", port);
        try {
            e.app.start();
            if (tradesPerSecond > 0) {
                e.market.start();
            }
            log.info("Bitstamp emulator listening on {} with {}", e.restUri(), e.pairs.keySet());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** Starts an emulator for canonical spot symbols ({@code BTC-USD} is served as {@code btcusd}). */
    public static BitstampEmulator start(VenueEmulators.Spec spec) {
        return start(spec.symbols(), spec.tradesPerSecond(), spec.seed(), spec.port());
    }

    @Override
    public String venue() {
        return "BITSTAMP";
    }

    public int port() {
        return app.port();
    }

    /** The websocket endpoint, {@code ws://127.0.0.1:PORT/v2}: the adapter connects to it as is. */
    @Override
    public URI websocketUri() {
        return URI.create("ws://" + host + ":" + port() + "/v2");
    }

    /** Base REST URI; append {@code /api/v2/...}. */
    @Override
    public URI restUri() {
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public MarketSimulator market() {
        return market;
    }

    /** Listed pairs, Bitstamp spelling. */
    public List<String> pairs() {
        return List.copyOf(pairs.keySet());
    }

    // ---------------------------------------------------------------- ground truth

    /** Every trade of one pair so far, in id order. */
    public List<EmittedTrade> trades(String pair) {
        Pair p = pair(pair);
        synchronized (p) {
            return List.copyOf(p.trades);
        }
    }

    /** The pair's whole book now; {@code lastUpdateId} is the microtimestamp of its last change. */
    public BookSnapshot book(String pair) {
        Pair p = pair(pair);
        synchronized (p) {
            return p.book.snapshot(Integer.MAX_VALUE);
        }
    }

    /** Makes exactly {@code count} trades of one pair now and publishes them. */
    public List<EmittedTrade> trade(String pair, int count) {
        return market.trade(pair, count);
    }

    // ---------------------------------------------------------------- faults

    /** Closes every client socket abruptly, without a close frame, as a network failure would. */
    @Override
    public void dropConnections() {
        for (BitstampStreamClient c : List.copyOf(clients)) {
            clients.remove(c);
            c.disconnect();
        }
    }

    /** Sends a text frame as is to every client. */
    @Override
    public void sendMalformedFrame(String text) {
        for (BitstampStreamClient c : clients) {
            c.send(text);
        }
    }

    /** Sends {@code bts:request_reconnect} to every client, as Bitstamp does before maintenance. */
    public void requestReconnect() {
        sendMalformedFrame("{\"event\":\"bts:request_reconnect\",\"channel\":\"\",\"data\":\"\"}");
    }

    /** The next diff (any pair) changes the book but is sent to no client: a diff lost on the way. */
    public void skipDiff() {
        skipDiffs.incrementAndGet();
    }

    public long diffsSkipped() {
        return diffsSkipped.get();
    }

    /** The next {@code count} REST requests are answered 429 with {@code Retry-After} (whole seconds). */
    public void rateLimitRest(int count, Duration retryAfter) {
        synchronized (faultLock) {
            this.restFailuresLeft = count;
            this.retryAfter = retryAfter;
        }
    }

    // ---------------------------------------------------------------- observation

    public int connectionCount() {
        return clients.size();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** {@code bts:heartbeat} requests answered. */
    public long heartbeatsAnswered() {
        return heartbeats.get();
    }

    public long restRequests() {
        return restRequests.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        market.stop();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the emulator's server failed", e);
        }
        clients.clear();
    }

    // ---------------------------------------------------------------- internals

    private Pair pair(String pair) {
        Pair p = pairs.get(pair);
        if (p == null) {
            throw new IllegalArgumentException("unknown pair '" + pair + "'; listed: " + pairs.keySet());
        }
        return p;
    }

    boolean validChannel(String channel) {
        String pair = channel.startsWith(TRADES_PREFIX) ? channel.substring(TRADES_PREFIX.length())
                : channel.startsWith(DIFF_PREFIX) ? channel.substring(DIFF_PREFIX.length()) : null;
        return pair != null && pairs.containsKey(pair);
    }

    /** Runs under the lock of the channel's pair, so nothing of that pair is sent meanwhile. */
    void withPairLock(String channel, Runnable r) {
        String pair = channel.startsWith(TRADES_PREFIX) ? channel.substring(TRADES_PREFIX.length())
                : channel.substring(DIFF_PREFIX.length());
        synchronized (pair(pair)) {
            r.run();
        }
    }

    void register(BitstampStreamClient c) {
        if (closed) {
            c.disconnect();
            return;
        }
        connectionsAccepted.incrementAndGet();
        clients.add(c);
    }

    void unregister(BitstampStreamClient c) {
        clients.remove(c);
    }

    void heartbeatAnswered() {
        heartbeats.incrementAndGet();
    }

    private void onTrade(EmittedTrade t) {
        Pair p = pairs.get(t.symbol());
        // History, frame and book move under one lock: a REST snapshot or transactions answer is always consistent
        // with what the stream has sent.
        synchronized (p) {
            p.trades.add(t);
            send(TRADES_PREFIX + t.symbol(), tradeFrame(t));
            BitstampBook.Diff d = p.book.onTrade(t);
            if (d == null) {
                return;
            }
            if (skipDiffs.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                diffsSkipped.incrementAndGet();
                return;
            }
            send(DIFF_PREFIX + t.symbol(), diffFrame(t.symbol(), d));
        }
    }

    private void send(String channel, String frame) {
        for (BitstampStreamClient c : clients) {
            if (c.subscribed(channel)) {
                c.send(frame);
            }
        }
    }

    /** A trade event as Bitstamp sends it: floats and exact strings, type 0 buy / 1 sell (taker side). */
    static String tradeFrame(EmittedTrade t) {
        return new StringBuilder(300).append("{\"data\":{\"id\":").append(t.id())
                .append(",\"timestamp\":\"").append(t.timeMillis() / 1000)
                .append("\",\"amount\":").append(t.qty())
                .append(",\"amount_str\":\"").append(t.qty())
                .append("\",\"price\":").append(t.price())
                .append(",\"price_str\":\"").append(t.price())
                .append("\",\"type\":").append(t.buyerIsMaker() ? 1 : 0)
                .append(",\"microtimestamp\":\"").append(t.timeMillis() * 1000)
                .append("\",\"buy_order_id\":").append(t.id() * 2)
                .append(",\"sell_order_id\":").append(t.id() * 2 + 1)
                .append("},\"channel\":\"").append(TRADES_PREFIX).append(t.symbol())
                .append("\",\"event\":\"trade\"}").toString();
    }

    static String diffFrame(String pair, BitstampBook.Diff d) {
        StringBuilder sb = new StringBuilder(256).append("{\"data\":{\"timestamp\":\"")
                .append(d.microtimestamp() / 1_000_000).append("\",\"microtimestamp\":\"").append(d.microtimestamp())
                .append("\",\"bids\":");
        levels(sb, d.bids());
        sb.append(",\"asks\":");
        levels(sb, d.asks());
        return sb.append("},\"channel\":\"").append(DIFF_PREFIX).append(pair).append("\",\"event\":\"data\"}")
                .toString();
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

    private static void levels(StringBuilder sb, List<BookSnapshot.Level> levels) {
        sb.append('[');
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("[\"").append(levels.get(i).price()).append("\",\"").append(levels.get(i).qty()).append("\"]");
        }
        sb.append(']');
    }

    // ---------------------------------------------------------------- REST

    private Handler api(Handler h) {
        return ctx -> {
            restRequests.incrementAndGet();
            ctx.contentType("application/json");
            long retrySeconds = -1;
            synchronized (faultLock) {
                if (restFailuresLeft > 0) {
                    restFailuresLeft--;
                    retrySeconds = (retryAfter.toMillis() + 999) / 1000;
                }
            }
            if (retrySeconds >= 0) {
                ctx.header("Retry-After", Long.toString(retrySeconds));
                ctx.status(429).result("{\"status\":\"error\",\"reason\":\"Rate limit exceeded\",\"code\":\"API0007\"}");
                return;
            }
            h.handle(ctx);
        };
    }

    private Pair restPair(Context ctx) {
        Pair p = pairs.get(ctx.pathParam("pair"));
        if (p == null) {
            ctx.status(404).result("{\"errors\":[{\"message\":\"Not found\",\"code\":\"API0001\"}]}");
        }
        return p;
    }

    private void orderBook(Context ctx) {
        Pair p = restPair(ctx);
        if (p == null) {
            return;
        }
        BookSnapshot s;
        synchronized (p) {
            s = p.book.snapshot(Integer.MAX_VALUE);
        }
        StringBuilder sb = new StringBuilder(4096).append("{\"timestamp\": \"").append(s.lastUpdateId() / 1_000_000)
                .append("\", \"microtimestamp\": \"").append(s.lastUpdateId()).append("\", \"bids\": ");
        levels(sb, s.bids());
        sb.append(", \"asks\": ");
        levels(sb, s.asks());
        ctx.result(sb.append('}').toString());
    }

    private void transactions(Context ctx) {
        Pair p = restPair(ctx);
        if (p == null) {
            return;
        }
        String time = ctx.queryParam("time") == null ? "hour" : ctx.queryParam("time");
        long windowMillis = switch (time) {
            case "minute" -> 60_000L;
            case "hour" -> 3_600_000L;
            case "day" -> 86_400_000L;
            default -> -1;
        };
        if (windowMillis < 0) {
            ctx.status(400).result("{\"status\":\"error\",\"reason\":\"time must be minute, hour or day\"}");
            return;
        }
        long from = Math.max(System.currentTimeMillis(), market.nowMillis()) - windowMillis;
        List<EmittedTrade> rows;
        synchronized (p) {
            rows = new ArrayList<>(p.trades);
        }
        StringBuilder sb = new StringBuilder().append('[');
        boolean first = true;
        for (int i = rows.size() - 1; i >= 0; i--) {
            EmittedTrade t = rows.get(i);
            if (t.timeMillis() < from) {
                break;
            }
            sb.append(first ? "" : ", ").append("{\"date\": \"").append(t.timeMillis() / 1000)
                    .append("\", \"tid\": \"").append(t.id()).append("\", \"amount\": \"").append(t.qty())
                    .append("\", \"type\": \"").append(t.buyerIsMaker() ? 1 : 0).append("\", \"price\": \"")
                    .append(t.price()).append("\"}");
            first = false;
        }
        ctx.result(sb.append(']').toString());
    }

    private void pairsInfo(Context ctx) {
        StringBuilder sb = new StringBuilder().append('[');
        boolean first = true;
        for (Pair p : pairs.values()) {
            SymbolSpec s = p.spec;
            sb.append(first ? "" : ", ").append("{\"trading\": \"Enabled\", \"base_decimals\": 8, \"url_symbol\": \"")
                    .append(s.symbol()).append("\", \"name\": \"").append(s.baseAsset()).append('/')
                    .append(s.quoteAsset()).append("\", \"counter_decimals\": ")
                    .append(s.tickSize().stripTrailingZeros().scale()).append('}');
            first = false;
        }
        ctx.result(sb.append(']').toString());
    }

    /** The v2 websocket endpoint. */
    private static final class StreamServlet extends JettyWebSocketServlet {
        private final transient BitstampEmulator emulator;

        StreamServlet(BitstampEmulator emulator) {
            this.emulator = emulator;
        }

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setIdleTimeout(Duration.ofMinutes(5));
            factory.setMaxOutgoingFrames(100_000);
            factory.setCreator((req, resp) -> new BitstampStreamClient(emulator));
        }
    }
}
