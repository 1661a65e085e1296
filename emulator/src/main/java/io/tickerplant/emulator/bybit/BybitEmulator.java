package io.tickerplant.emulator.bybit;

import io.javalin.Javalin;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Bybit v5 public market-data server on a free port, speaking the venue's protocol over a simulated
 * market: {@code /v5/public/spot} and {@code /v5/public/linear} with {@code subscribe}/{@code unsubscribe}/
 * {@code ping} operations and Bybit's answers, {@code publicTrade}, {@code orderbook.1/50/200} (snapshot on
 * subscribe, then deltas with {@code u} +1 per message and a cross sequence {@code seq}), {@code tickers}
 * (linear: snapshot then deltas with only the changed fields; spot: snapshots) and {@code allLiquidation} (linear).
 * Spot {@code BTCUSDT} and linear {@code BTCUSDT} are different instruments with their own trades and books.
 *
 * <p>Ground truth for tests: every trade made per instrument ({@link #trades}), with the id text the wire
 * carried ({@link #tradeId}), each book ({@link #book}), each linear ticker's current fields ({@link #ticker}) and
 * the liquidations sent. Faults: {@link #dropConnections()}, {@link #skipBookDelta()} (the {@code u} chain
 * breaks), {@link #restartBookService} (a snapshot with {@code u = 1}), {@link #sendMalformedFrame}. There is no
 * REST API: Bybit's streams need none (every subscription starts with a snapshot).
 *
 * <p>Thread-safe. {@link #close()} stops the server, the market and every thread.
 */
public final class BybitEmulator implements VenueEmulator {

    private static final Logger log = LoggerFactory.getLogger(BybitEmulator.class);

    /** Bybit v5 product category: its own websocket path and symbol namespace. */
    public enum Category {
        SPOT("spot"),
        LINEAR("linear");

        private final String path;

        Category(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /** One listed instrument. */
    public record Listed(Category category, String venueSymbol, SymbolSpec spec) {
        public Listed {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(venueSymbol, "venueSymbol");
            Objects.requireNonNull(spec, "spec");
        }

        String key() {
            return key(category, venueSymbol);
        }

        static String key(Category c, String venueSymbol) {
            return c.path + ":" + venueSymbol;
        }
    }

    /** A liquidation the emulator sent on {@code allLiquidation}. */
    public record SentLiquidation(String venueSymbol, String positionSide, String size, String price,
                                  long timeMillis) {
    }

    private final List<Listed> listed;
    private final String host;
    private final int requestedPort;
    private final Object lock = new Object();
    private final Map<String, Listed> byKey = new LinkedHashMap<>();
    private final Map<String, BybitBook> books = new LinkedHashMap<>();
    private final Map<String, List<EmittedTrade>> history = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> tickers = new LinkedHashMap<>();
    private final Map<String, List<SentLiquidation>> liquidations = new ConcurrentHashMap<>();
    private final Map<String, Long> tradeCounts = new LinkedHashMap<>();
    private final Set<BybitClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger skipDeltas = new AtomicInteger();
    private final AtomicLong deltasSkipped = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong pingsReceived = new AtomicLong();
    private final long nextFundingTime;
    private final MarketSimulator market;
    private final Javalin app;
    private volatile boolean closed;

    private BybitEmulator(List<Listed> listed, long seed, String host, int port) {
        if (listed.isEmpty()) {
            throw new IllegalArgumentException("at least one instrument is needed");
        }
        this.listed = List.copyOf(listed);
        this.host = host;
        this.requestedPort = port;
        List<SymbolSpec> specs = new ArrayList<>();
        for (Listed l : listed) {
            if (byKey.put(l.key(), l) != null) {
                throw new IllegalArgumentException("listed twice: " + l.category().path() + " " + l.venueSymbol());
            }
            SymbolSpec s = l.spec();
            // The simulator keys instruments by name: spot and linear BTCUSDT need different ones.
            specs.add(new SymbolSpec(l.key(), s.baseAsset(), s.quoteAsset(), s.startPrice(), s.tickSize(),
                    s.lotSize(), s.tradesPerSecond()));
            books.put(l.key(), new BybitBook(s, l.venueSymbol(), seed ^ l.category().ordinal(), 10_000_000L));
            history.put(l.key(), Collections.synchronizedList(new ArrayList<>()));
            tradeCounts.put(l.key(), 0L);
        }
        long now = System.currentTimeMillis();
        long eight = Duration.ofHours(8).toMillis();
        this.nextFundingTime = (now / eight + 1) * eight;
        for (Listed l : listed) {
            if (l.category() == Category.LINEAR) {
                tickers.put(l.venueSymbol(), tickerFields(l));
            }
        }
        this.market = new MarketSimulator(new MarketSimulator.Options(specs, seed, 1_000_000L, 0.25, now));
        this.market.addListener(this::onTrade);
        BybitStreamServlet servlet = new BybitStreamServlet(this, Duration.ofMinutes(10));
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.jetty.modifyServletContextHandler(h -> {
                ServletHolder holder = new ServletHolder("bybit-streams", servlet);
                h.addServlet(holder, "/v5/public/spot");
                h.addServlet(holder, "/v5/public/linear");
            });
        });
    }

    /**
     * Starts a server listing the instruments.
     *
     * @param generate true: the market trades on its own thread; false: only through {@link #trade}
     */
    public static BybitEmulator start(List<Listed> listed, long seed, boolean generate, String host, int port) {
        BybitEmulator e = new BybitEmulator(listed, seed, host, port);
        try {
            e.app.start();
            if (generate) {
                e.market.start();
            }
            log.info("Bybit emulator listening on {} with {}", e.websocketUri(), e.byKey.keySet());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /**
     * Starts an emulator for canonical symbols: {@code BTC-USDT} is spot {@code BTCUSDT}, {@code BTC-USDT-PERP}
     * linear {@code BTCUSDT}.
     */
    public static BybitEmulator start(VenueEmulators.Spec spec) {
        List<Listed> listed = new ArrayList<>();
        for (String symbol : spec.symbols()) {
            listed.add(listed(symbol, spec.tradesPerSecond()));
        }
        return start(listed, spec.seed(), true, "127.0.0.1", spec.port());
    }

    /** A canonical symbol ({@code BTC-USDT}, {@code BTC-USDT-PERP}) as a listed instrument. */
    public static Listed listed(String canonical, double tradesPerSecond) {
        String s = canonical.trim().toUpperCase(Locale.ROOT);
        boolean perp = s.endsWith("-PERP");
        String venueSymbol = (perp ? s.substring(0, s.length() - 5) : s).replace("-", "");
        return new Listed(perp ? Category.LINEAR : Category.SPOT, venueSymbol,
                SymbolSpec.of(venueSymbol, tradesPerSecond));
    }

    @Override
    public String venue() {
        return "BYBIT";
    }

    public int port() {
        return app.port();
    }

    /** Base websocket URI, {@code ws://127.0.0.1:PORT}; the adapter appends {@code /v5/public/<category>}. */
    @Override
    public URI websocketUri() {
        return URI.create("ws://" + uriHost() + ":" + port());
    }

    /** Base REST URI; this emulator serves no REST endpoints (Bybit's streams need none). */
    @Override
    public URI restUri() {
        return URI.create("http://" + uriHost() + ":" + port());
    }

    private String uriHost() {
        return host == null || host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }

    public List<Listed> listed() {
        return listed;
    }

    @Override
    public MarketSimulator market() {
        return market;
    }

    // ---------------------------------------------------------------- ground truth

    /** Every trade of one instrument so far, in id order. */
    public List<EmittedTrade> trades(Category category, String venueSymbol) {
        List<EmittedTrade> h = history.get(known(category, venueSymbol));
        synchronized (h) {
            return List.copyOf(h);
        }
    }

    /** The id text a trade carried on the wire: the number on spot, a UUID on linear (as Bybit does). */
    public static String tradeId(Category category, long id) {
        return category == Category.SPOT ? Long.toString(id)
                : new UUID(0x0000_0000_0000_4000L, 0x8000_0000_0000_0000L | id).toString();
    }

    /** The instrument's whole book now, with the update id {@code u} it is at. */
    public BookSnapshot book(Category category, String venueSymbol) {
        return book(category, venueSymbol, Integer.MAX_VALUE);
    }

    /** The best {@code limit} levels a side of the instrument's book now. */
    public BookSnapshot book(Category category, String venueSymbol, int limit) {
        String key = known(category, venueSymbol);
        synchronized (lock) {
            return books.get(key).snapshot(limit);
        }
    }

    /** The current {@code tickers} fields of a linear instrument, as Bybit's snapshot would carry them. */
    public Map<String, String> ticker(String linearSymbol) {
        known(Category.LINEAR, linearSymbol);
        synchronized (lock) {
            return Map.copyOf(tickers.get(linearSymbol));
        }
    }

    /** The liquidations sent for a linear instrument. */
    public List<SentLiquidation> liquidations(String linearSymbol) {
        return List.copyOf(liquidations.getOrDefault(linearSymbol, List.of()));
    }

    // ---------------------------------------------------------------- market control

    /** Makes exactly {@code count} trades of one instrument now and publishes them. */
    public List<EmittedTrade> trade(Category category, String venueSymbol, int count) {
        return market.trade(known(category, venueSymbol), count);
    }

    /**
     * Liquidates a position on a linear instrument and sends it on {@code allLiquidation}.
     *
     * @param positionSide {@code Buy}: a long was liquidated; {@code Sell}: a short
     */
    public SentLiquidation liquidate(String linearSymbol, String positionSide, String size, String price) {
        known(Category.LINEAR, linearSymbol);
        SentLiquidation l = new SentLiquidation(linearSymbol, positionSide, size, price, System.currentTimeMillis());
        synchronized (lock) {
            liquidations.computeIfAbsent(linearSymbol, k -> Collections.synchronizedList(new ArrayList<>())).add(l);
            send(Category.LINEAR, "allLiquidation." + linearSymbol, "{\"topic\":\"allLiquidation." + linearSymbol
                    + "\",\"type\":\"snapshot\",\"ts\":" + l.timeMillis() + ",\"data\":[{\"T\":" + l.timeMillis()
                    + ",\"s\":\"" + linearSymbol + "\",\"S\":\"" + positionSide + "\",\"v\":\"" + size
                    + "\",\"p\":\"" + price + "\"}]}");
        }
        return l;
    }

    // ---------------------------------------------------------------- faults

    /** Closes every client socket abruptly, without a close frame, as a network failure would. */
    @Override
    public void dropConnections() {
        for (BybitClient c : List.copyOf(clients)) {
            clients.remove(c);
            c.disconnect();
        }
    }

    /** Sends a text frame as is to every client. */
    @Override
    public void sendMalformedFrame(String text) {
        for (BybitClient c : clients) {
            c.send(text);
        }
    }

    /**
     * The next book delta (any instrument) changes the book but reaches no client: its {@code u} is missing from
     * the chain the clients see.
     */
    public void skipBookDelta() {
        skipDeltas.incrementAndGet();
    }

    /** Deltas withheld by {@link #skipBookDelta()} so far. */
    public long bookDeltasSkipped() {
        return deltasSkipped.get();
    }

    /**
     * The venue restarts the book service of one instrument: subscribers get a snapshot with {@code u = 1}, and
     * deltas go on from there.
     */
    public void restartBookService(Category category, String venueSymbol) {
        String key = known(category, venueSymbol);
        synchronized (lock) {
            BybitBook b = books.get(key);
            b.restart();
            for (String depth : List.of("50", "200")) {
                String topic = "orderbook." + depth + "." + venueSymbol;
                send(category, topic, bookSnapshot(topic, b, Integer.parseInt(depth), System.currentTimeMillis()));
            }
        }
    }

    // ---------------------------------------------------------------- observation

    /** Websocket clients connected now. */
    public int connectionCount() {
        return clients.size();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** {@code {"op":"ping"}} requests answered so far. */
    public long pingsReceived() {
        return pingsReceived.get();
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

    private String known(Category category, String venueSymbol) {
        String key = Listed.key(category, venueSymbol);
        if (!byKey.containsKey(key)) {
            throw new IllegalArgumentException("not listed: " + category.path() + " " + venueSymbol + "; listed: "
                    + byKey.keySet());
        }
        return key;
    }

    /** A topic this server serves on a category's connection. */
    boolean validTopic(Category category, String topic) {
        String[] parts = topic.split("\\.");
        String symbol = parts[parts.length - 1];
        if (!byKey.containsKey(Listed.key(category, symbol))) {
            return false;
        }
        return switch (parts[0]) {
            case "publicTrade", "tickers" -> parts.length == 2;
            case "allLiquidation" -> parts.length == 2 && category == Category.LINEAR;
            case "orderbook" -> parts.length == 3 && Set.of("1", "50", "200").contains(parts[1]);
            default -> false;
        };
    }

    void register(BybitClient c) {
        if (closed) {
            c.disconnect();
            return;
        }
        connectionsAccepted.incrementAndGet();
        clients.add(c);
    }

    void unregister(BybitClient c) {
        clients.remove(c);
    }

    void pingReceived() {
        pingsReceived.incrementAndGet();
    }

    /** Acknowledges a subscription and sends each topic's first snapshot, atomically with respect to the market. */
    void subscribe(BybitClient c, List<String> topics, String ack) {
        synchronized (lock) {
            c.send(ack);
            c.addTopics(topics);
            long now = System.currentTimeMillis();
            for (String topic : topics) {
                String[] parts = topic.split("\\.");
                String symbol = parts[parts.length - 1];
                String key = Listed.key(c.category(), symbol);
                if (parts[0].equals("orderbook")) {
                    c.send(bookSnapshot(topic, books.get(key), Integer.parseInt(parts[1]), now));
                } else if (parts[0].equals("tickers")) {
                    c.send(tickerFrame(c.category(), symbol, true, tickerOf(c.category(), symbol), now));
                }
            }
        }
    }

    private Map<String, String> tickerOf(Category category, String symbol) {
        if (category == Category.LINEAR) {
            return tickers.get(symbol);
        }
        Map<String, String> spot = new LinkedHashMap<>();
        BybitBook b = books.get(Listed.key(category, symbol));
        List<EmittedTrade> h = history.get(Listed.key(category, symbol));
        synchronized (h) {
            spot.put("lastPrice", h.isEmpty() ? b.bestBid().getKey().toPlainString() : h.get(h.size() - 1).price());
        }
        return spot;
    }

    private void onTrade(EmittedTrade t) {
        Listed l = byKey.get(t.symbol());
        synchronized (lock) {
            history.get(t.symbol()).add(t);
            String s = l.venueSymbol();
            send(l.category(), "publicTrade." + s, tradeFrame(l, t));
            BybitBook b = books.get(t.symbol());
            Map.Entry<BigDecimal, BigDecimal> bidBefore = b.bestBid();
            Map.Entry<BigDecimal, BigDecimal> askBefore = b.bestAsk();
            BybitBook.Delta d = b.onTrade(t);
            if (d != null) {
                if (skipDeltas.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    deltasSkipped.incrementAndGet();
                } else {
                    for (String depth : List.of("50", "200")) {
                        String topic = "orderbook." + depth + "." + s;
                        send(l.category(), topic, deltaFrame(topic, s, d));
                    }
                }
                if (!Objects.equals(bidBefore, b.bestBid()) || !Objects.equals(askBefore, b.bestAsk())) {
                    String topic = "orderbook.1." + s;
                    send(l.category(), topic, bookSnapshot(topic, b, 1, t.timeMillis()));
                }
            }
            long n = tradeCounts.merge(t.symbol(), 1L, Long::sum);
            if (l.category() == Category.LINEAR) {
                Map<String, String> fields = tickers.get(s);
                Map<String, String> next = new LinkedHashMap<>(fields);
                next.put("lastPrice", t.price());
                next.put("markPrice", t.price());
                next.put("indexPrice", t.price());
                if (n % 10 == 0) {
                    // Funding drifts slowly, in whole basis points of a basis point, positive and negative.
                    next.put("fundingRate", BigDecimal.valueOf((n / 10) % 7 - 3, 6).toPlainString());
                }
                putTop(next, b);
                Map<String, String> changed = new LinkedHashMap<>();
                next.forEach((k, v) -> {
                    if (!v.equals(fields.get(k))) {
                        changed.put(k, v);
                    }
                });
                fields.putAll(next);
                if (!changed.isEmpty()) {
                    send(l.category(), "tickers." + s, tickerFrame(l.category(), s, false, changed, t.timeMillis()));
                }
            } else {
                send(l.category(), "tickers." + s, tickerFrame(l.category(), s, true, tickerOf(l.category(), s),
                        t.timeMillis()));
            }
        }
    }

    private Map<String, String> tickerFields(Listed l) {
        Map<String, String> f = new LinkedHashMap<>();
        String start = l.spec().startPrice().setScale(MarketSimulator.SCALE).toPlainString();
        f.put("lastPrice", start);
        f.put("markPrice", start);
        f.put("indexPrice", start);
        f.put("fundingRate", "0.0001");
        f.put("nextFundingTime", Long.toString(nextFundingTime));
        putTop(f, books.get(l.key()));
        return f;
    }

    private static void putTop(Map<String, String> f, BybitBook b) {
        Map.Entry<BigDecimal, BigDecimal> bid = b.bestBid();
        Map.Entry<BigDecimal, BigDecimal> ask = b.bestAsk();
        if (bid != null) {
            f.put("bid1Price", bid.getKey().toPlainString());
            f.put("bid1Size", bid.getValue().toPlainString());
        }
        if (ask != null) {
            f.put("ask1Price", ask.getKey().toPlainString());
            f.put("ask1Size", ask.getValue().toPlainString());
        }
    }

    private void send(Category category, String topic, String frame) {
        for (BybitClient c : clients) {
            if (c.category() == category && c.subscribed(topic)) {
                c.send(frame);
            }
        }
    }

    static String tradeFrame(Listed l, EmittedTrade t) {
        return "{\"topic\":\"publicTrade." + l.venueSymbol() + "\",\"type\":\"snapshot\",\"ts\":" + t.timeMillis()
                + ",\"data\":[{\"T\":" + t.timeMillis() + ",\"s\":\"" + l.venueSymbol() + "\",\"S\":\""
                + (t.buyerIsMaker() ? "Sell" : "Buy") + "\",\"v\":\"" + t.qty() + "\",\"p\":\"" + t.price()
                + "\",\"L\":\"ZeroPlusTick\",\"i\":\"" + tradeId(l.category(), t.id()) + "\",\"BT\":false}]}";
    }

    private static String bookSnapshot(String topic, BybitBook b, int depth, long timeMillis) {
        BookSnapshot s = b.snapshot(depth);
        StringBuilder sb = new StringBuilder(256).append("{\"topic\":\"").append(topic)
                .append("\",\"type\":\"snapshot\",\"ts\":").append(timeMillis).append(",\"data\":{\"s\":\"")
                .append(s.symbol()).append("\",\"b\":");
        levels(sb, s.bids());
        sb.append(",\"a\":");
        levels(sb, s.asks());
        return sb.append(",\"u\":").append(b.updateId()).append(",\"seq\":").append(b.crossSeq())
                .append("},\"cts\":").append(timeMillis).append('}').toString();
    }

    private static String deltaFrame(String topic, String symbol, BybitBook.Delta d) {
        StringBuilder sb = new StringBuilder(256).append("{\"topic\":\"").append(topic)
                .append("\",\"type\":\"delta\",\"ts\":").append(d.timeMillis()).append(",\"data\":{\"s\":\"")
                .append(symbol).append("\",\"b\":");
        levels(sb, d.bids());
        sb.append(",\"a\":");
        levels(sb, d.asks());
        return sb.append(",\"u\":").append(d.updateId()).append(",\"seq\":").append(d.crossSeq())
                .append("},\"cts\":").append(d.timeMillis()).append('}').toString();
    }

    private static void levels(StringBuilder sb, List<BookSnapshot.Level> levels) {
        sb.append('[');
        for (int i = 0; i < levels.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("[\"").append(levels.get(i).price()).append("\",\"")
                    .append(levels.get(i).qty()).append("\"]");
        }
        sb.append(']');
    }

    private static void levels(StringBuilder sb, Map<BigDecimal, BigDecimal> levels) {
        sb.append('[');
        boolean first = true;
        for (Map.Entry<BigDecimal, BigDecimal> e : levels.entrySet()) {
            sb.append(first ? "" : ",").append("[\"").append(e.getKey().toPlainString()).append("\",\"")
                    .append(e.getValue().toPlainString()).append("\"]");
            first = false;
        }
        sb.append(']');
    }

    private static String tickerFrame(Category category, String symbol, boolean snapshot, Map<String, String> fields,
                                      long timeMillis) {
        StringBuilder sb = new StringBuilder(256).append("{\"topic\":\"tickers.").append(symbol)
                .append("\",\"type\":\"").append(snapshot ? "snapshot" : "delta").append("\",\"data\":{\"symbol\":\"")
                .append(symbol).append('"');
        fields.forEach((k, v) -> sb.append(",\"").append(k).append("\":\"").append(v).append('"'));
        return sb.append("},\"cs\":").append(timeMillis).append(",\"ts\":").append(timeMillis).append('}').toString();
    }
}
