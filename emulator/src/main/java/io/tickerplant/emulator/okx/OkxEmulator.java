package io.tickerplant.emulator.okx;

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
import java.util.ArrayList;
import java.util.Collections;
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
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local OKX v5 public server on a free port, speaking the venue's protocol over a simulated market:
 * {@code /ws/v5/public} with {@code subscribe}/{@code unsubscribe} (event answers, error 60018 for unknown
 * channels or instruments), the text {@code ping}/{@code pong}, and the channels {@code trades}, {@code bbo-tbt},
 * {@code tickers}, {@code books} (snapshot on subscription, then updates with {@code seqId}/{@code prevSeqId} and
 * the CRC32 checksum; heartbeat updates with {@code seqId == prevSeqId} when a book is quiet),
 * {@code liquidation-orders} (instType SWAP), {@code funding-rate} and {@code mark-price}; REST
 * {@code /api/v5/public/instruments?instType=SPOT|SWAP} with {@code ctVal}. Like OKX it closes a connection to which
 * it pushed nothing for {@link Options#idleTimeout()} (the client keeps it with {@code ping}).
 *
 * <p>Canonical symbols in ({@code BTC-USDT}, {@code BTC-USDT-PERP}), OKX instrument ids on the wire ({@code BTC-USDT},
 * {@code BTC-USDT-SWAP}). Swap sizes on the wire are whole contracts of {@link #CONTRACT_VALUES}.
 *
 * <p>Ground truth: every trade per instrument ({@link #trades}, prices and base quantities in OKX's text), the
 * current book ({@link #book}) and the liquidations sent ({@link #liquidations}). Faults: {@link #dropConnections},
 * {@link #skipBookUpdate} (breaks the prevSeqId chain), {@link #corruptChecksum}, {@link #sendMalformedFrame},
 * {@link #rateLimitRest} (429 with {@code Retry-After}). Thread-safe; {@link #close()} stops every thread.
 */
public final class OkxEmulator implements VenueEmulator {

    private static final Logger log = LoggerFactory.getLogger(OkxEmulator.class);

    /** Contract value (base asset per contract) of the swaps the emulator lists; others get 1. */
    public static final Map<String, String> CONTRACT_VALUES = Map.of("BTC", "0.01", "ETH", "0.1", "SOL", "1",
            "XRP", "100", "DOGE", "1000");
    private static final Map<String, String> START_PRICES = Map.of("BTC", "60000.0", "ETH", "3000.00",
            "SOL", "150.000", "XRP", "0.5000", "DOGE", "0.15000");

    /**
     * How the emulator runs.
     *
     * @param symbols canonical symbols
     * @param tradesPerSecond mean simulated trade rate per instrument
     * @param seed market seed
     * @param generate true: the market trades on its own; false: only through {@link #trade}
     * @param idleTimeout a connection to which nothing was pushed for this long is closed (OKX: 30 s)
     * @param bookHeartbeat a book without a change for this long gets a {@code seqId == prevSeqId} update
     * @param fundingInterval period of {@code funding-rate} and {@code mark-price} pushes
     * @param liquidationEvery one swap trade in this many also makes a liquidation; 0 for none
     * @param port port to bind, 0 for a free one
     */
    public record Options(List<String> symbols, double tradesPerSecond, long seed, boolean generate,
                          Duration idleTimeout, Duration bookHeartbeat, Duration fundingInterval,
                          int liquidationEvery, int port) {
        public Options {
            symbols = List.copyOf(symbols);
            if (symbols.isEmpty()) {
                throw new IllegalArgumentException("at least one symbol is needed");
            }
        }

        /** OKX's timing: 30 s idle cut, book heartbeats after 5 s, funding every second. */
        public static Options of(List<String> symbols, double tradesPerSecond) {
            return new Options(symbols, tradesPerSecond, 1, true, Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Duration.ofSeconds(1), 25, 0);
        }

        public Options withGenerate(boolean g) {
            return new Options(symbols, tradesPerSecond, seed, g, idleTimeout, bookHeartbeat, fundingInterval,
                    liquidationEvery, port);
        }

        public Options withIdleTimeout(Duration d) {
            return new Options(symbols, tradesPerSecond, seed, generate, d, bookHeartbeat, fundingInterval,
                    liquidationEvery, port);
        }

        public Options withBookHeartbeat(Duration d) {
            return new Options(symbols, tradesPerSecond, seed, generate, idleTimeout, d, fundingInterval,
                    liquidationEvery, port);
        }
    }

    /** A liquidation the emulator pushed; {@code sz} in contracts, {@code side} of the liquidation order. */
    public record SentLiquidation(String instId, String side, String posSide, String bkPx, String sz, long tsMillis) {
    }

    /** One listed instrument. */
    private static final class Instr {
        final String instId;
        final String base;
        final String quote;
        final boolean swap;
        final BigDecimal ctVal;
        final BigDecimal tick;
        final BigDecimal lot;
        final OkxBook book;
        final List<EmittedTrade> trades = Collections.synchronizedList(new ArrayList<>());
        volatile BigDecimal lastPrice;

        Instr(String instId, String base, String quote, boolean swap, BigDecimal ctVal, BigDecimal tick,
              BigDecimal lot, OkxBook book, BigDecimal start) {
            this.instId = instId;
            this.base = base;
            this.quote = quote;
            this.swap = swap;
            this.ctVal = ctVal;
            this.tick = tick;
            this.lot = lot;
            this.book = book;
            this.lastPrice = start;
        }
    }

    private final Options options;
    private final Map<String, Instr> instruments = new LinkedHashMap<>();
    private final MarketSimulator market;
    private final Set<OkxClient> clients = ConcurrentHashMap.newKeySet();
    private final List<SentLiquidation> liquidations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger skipBook = new AtomicInteger();
    private final AtomicInteger corruptBook = new AtomicInteger();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong pingsReceived = new AtomicLong();
    private final AtomicLong restRequests = new AtomicLong();
    private final Object restFaultLock = new Object();
    private int restFailuresLeft;
    private Duration retryAfter = Duration.ZERO;
    private final ScheduledExecutorService housekeeping;
    private final Javalin app;
    private volatile long lastFundingNanos = System.nanoTime();
    private volatile boolean closed;

    private OkxEmulator(Options options) {
        this.options = options;
        List<SymbolSpec> specs = new ArrayList<>();
        for (String symbol : options.symbols()) {
            String[] p = symbol.toUpperCase(Locale.ROOT).split("-");
            boolean swap = p.length == 3 && p[2].equals("PERP");
            if (p.length != 2 && !swap) {
                throw new IllegalArgumentException("not a canonical symbol: " + symbol);
            }
            String instId = p[0] + "-" + p[1] + (swap ? "-SWAP" : "");
            BigDecimal start = new BigDecimal(START_PRICES.getOrDefault(p[0], "100.00"));
            BigDecimal tick = BigDecimal.ONE.movePointLeft(start.scale());
            BigDecimal ctVal = new BigDecimal(CONTRACT_VALUES.getOrDefault(p[0], "1"));
            BigDecimal lot = swap ? ctVal : new BigDecimal("0.00001");
            specs.add(new SymbolSpec(instId, p[0], p[1], start, tick, lot, options.tradesPerSecond()));
            OkxBook book = new OkxBook(instId, start, tick, swap ? BigDecimal.ONE : lot, options.seed(),
                    1_000_000L + instruments.size() * 1_000_000L);
            instruments.put(instId, new Instr(instId, p[0], p[1], swap, swap ? ctVal : null, tick, lot, book, start));
        }
        this.market = new MarketSimulator(new MarketSimulator.Options(specs, options.seed(), 400_000_000L, 0.25,
                System.currentTimeMillis()));
        this.market.addListener(this::onTrade);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = options.port();
            cfg.jetty.modifyServletContextHandler(h -> h.addServlet(new ServletHolder("okx-public",
                    new Servlet(this, options.idleTimeout().multipliedBy(2))), "/ws/v5/public"));
            cfg.routes.get("/api/v5/public/instruments", this::instrumentsRest);
            cfg.routes.get("/api/v5/public/time", ctx -> rest(ctx, () ->
                    "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ts\":\"" + System.currentTimeMillis() + "\"}]}"));
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "okx-emulator-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** The websocket servlet; Jetty's own, because Javalin's ws handler hides what a venue emulator needs. */
    private static final class Servlet extends JettyWebSocketServlet {
        private final transient OkxEmulator emulator;
        private final Duration idle;

        Servlet(OkxEmulator emulator, Duration idle) {
            this.emulator = emulator;
            this.idle = idle;
        }

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setIdleTimeout(idle);
            factory.setMaxOutgoingFrames(100_000);
            factory.setCreator((req, resp) -> {
                emulator.connectionsAccepted.incrementAndGet();
                return new OkxClient(emulator);
            });
        }
    }

    /** Starts the server (and the market when {@link Options#generate()}); returns once it listens. */
    public static OkxEmulator start(Options options) {
        OkxEmulator e = new OkxEmulator(options);
        try {
            e.app.start();
            e.housekeeping.scheduleWithFixedDelay(e::housekeeping, 50, 50, TimeUnit.MILLISECONDS);
            if (options.generate()) {
                e.market.start();
            }
            log.info("OKX emulator listening on {} with {}", e.restUri(), e.instruments.keySet());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** Starts an emulator for canonical symbols ({@code BTC-USDT-PERP} is served as {@code BTC-USDT-SWAP}). */
    public static OkxEmulator start(VenueEmulators.Spec spec) {
        Options o = Options.of(spec.symbols(), spec.tradesPerSecond());
        return start(new Options(o.symbols(), o.tradesPerSecond(), spec.seed(), true, o.idleTimeout(),
                o.bookHeartbeat(), o.fundingInterval(), o.liquidationEvery(), spec.port()));
    }

    @Override
    public String venue() {
        return "OKX";
    }

    public int port() {
        return app.port();
    }

    /** {@code ws://127.0.0.1:PORT}; the adapter appends {@code /ws/v5/public}. */
    @Override
    public URI websocketUri() {
        return URI.create("ws://127.0.0.1:" + port());
    }

    @Override
    public URI restUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public MarketSimulator market() {
        return market;
    }

    /** Listed instrument ids. */
    public List<String> instIds() {
        return List.copyOf(instruments.keySet());
    }

    // ---------------------------------------------------------------- ground truth

    /** Every trade of an instrument so far, in id order; price and base quantity as OKX prints them. */
    public List<EmittedTrade> trades(String instId) {
        synchronized (instr(instId).trades) {
            return List.copyOf(instr(instId).trades);
        }
    }

    /** The instrument's book now (sizes in contracts for swaps), best {@code limit} levels per side. */
    public BookSnapshot book(String instId, int limit) {
        Instr i = instr(instId);
        synchronized (i.book) {
            return i.book.snapshot(limit);
        }
    }

    /** Every liquidation pushed so far. */
    public List<SentLiquidation> liquidations() {
        synchronized (liquidations) {
            return List.copyOf(liquidations);
        }
    }

    /** Makes exactly {@code count} trades of an instrument now. */
    public List<EmittedTrade> trade(String instId, int count) {
        return market.trade(instId, count);
    }

    public void pause() {
        market.pause();
    }

    public void resume() {
        market.resume();
    }

    private Instr instr(String instId) {
        Instr i = instruments.get(instId);
        if (i == null) {
            throw new IllegalArgumentException("unknown instrument '" + instId + "'; listed: " + instruments.keySet());
        }
        return i;
    }

    // ---------------------------------------------------------------- faults

    /** Closes every client socket without a close frame. */
    @Override
    public void dropConnections() {
        for (OkxClient c : List.copyOf(clients)) {
            clients.remove(c);
            c.disconnect();
        }
    }

    @Override
    public void sendMalformedFrame(String text) {
        for (OkxClient c : clients) {
            c.send(text);
        }
    }

    /** The next book update (any instrument) changes the book but is sent to no client: the prevSeqId chain breaks. */
    public void skipBookUpdate() {
        skipBook.incrementAndGet();
    }

    /** The next book update (any instrument) is sent with a wrong checksum. */
    public void corruptChecksum() {
        corruptBook.incrementAndGet();
    }

    /** The next {@code count} REST requests are answered 429 with {@code Retry-After} (whole seconds). */
    public void rateLimitRest(int count, Duration retryAfter) {
        synchronized (restFaultLock) {
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

    /** Text {@code ping}s received from clients. */
    public long pingsReceived() {
        return pingsReceived.get();
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

    void register(OkxClient c) {
        if (closed) {
            c.disconnect();
            return;
        }
        clients.add(c);
    }

    void unregister(OkxClient c) {
        clients.remove(c);
    }

    void pingReceived() {
        pingsReceived.incrementAndGet();
    }

    boolean validSubscription(String channel, String key) {
        return switch (channel) {
            case "trades", "bbo-tbt", "tickers", "books" -> instruments.containsKey(key);
            case "funding-rate", "mark-price" -> instruments.containsKey(key) && instruments.get(key).swap;
            case "liquidation-orders" -> key.equals("SWAP");
            default -> false;
        };
    }

    /** Acknowledges a subscription; a book subscription gets its snapshot right after, with nothing in between. */
    void subscribe(OkxClient c, String channel, String key, Runnable ack) {
        if (!channel.equals("books")) {
            ack.run();
            return;
        }
        Instr i = instruments.get(key);
        synchronized (i.book) {
            ack.run();
            c.send("{\"arg\":{\"channel\":\"books\",\"instId\":\"" + key + "\"},\"action\":\"snapshot\",\"data\":["
                    + i.book.snapshotData(System.currentTimeMillis()) + "]}");
        }
    }

    private void onTrade(EmittedTrade t) {
        Instr i = instruments.get(t.symbol());
        BigDecimal price = new BigDecimal(t.price());
        BigDecimal qty = new BigDecimal(t.qty());
        boolean takerBuys = !t.buyerIsMaker();
        String sz = OkxBook.text(i.swap ? qty.divide(i.ctVal) : qty);
        synchronized (i.book) {
            i.lastPrice = price;
            i.trades.add(new EmittedTrade(i.instId, t.id(), OkxBook.text(price), OkxBook.text(qty),
                    OkxBook.text(new BigDecimal(t.quoteQty())), t.timeMillis(), t.buyerIsMaker()));
            push("trades", i.instId, "{\"instId\":\"" + i.instId + "\",\"tradeId\":\"" + t.id() + "\",\"px\":\""
                    + OkxBook.text(price) + "\",\"sz\":\"" + sz + "\",\"side\":\"" + (takerBuys ? "buy" : "sell")
                    + "\",\"ts\":\"" + t.timeMillis() + "\",\"count\":\"1\"}");
            var bidBefore = i.book.bestBid();
            var askBefore = i.book.bestAsk();
            OkxBook.Update u = i.book.onTrade(price, takerBuys, t.timeMillis());
            if (u != null) {
                sendBookUpdate(i, u);
            }
            var bid = i.book.bestBid();
            var ask = i.book.bestAsk();
            if (!Objects.equals(bid, bidBefore) || !Objects.equals(ask, askBefore)) {
                sendQuotes(i, t.timeMillis(), price, sz);
            }
            if (i.swap && options.liquidationEvery() > 0 && t.id() % options.liquidationEvery() == 0) {
                // The liquidation order took the other side of this trade: a sell closes a long position.
                String side = takerBuys ? "buy" : "sell";
                SentLiquidation l = new SentLiquidation(i.instId, side, takerBuys ? "short" : "long",
                        OkxBook.text(price), sz, t.timeMillis());
                liquidations.add(l);
                pushLiquidation(l);
            }
        }
    }

    private void sendBookUpdate(Instr i, OkxBook.Update u) {
        // Heartbeats change nothing: the faults wait for an update whose loss or corruption a client must notice.
        boolean heartbeat = u.seqId() == u.prevSeqId();
        if (!heartbeat && skipBook.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return;
        }
        int checksum = !heartbeat && corruptBook.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? u.checksum() ^ 0x5a5a
                : u.checksum();
        StringBuilder sb = new StringBuilder(512).append("{\"asks\":");
        OkxBook.levels(sb, u.asks());
        sb.append(",\"bids\":");
        OkxBook.levels(sb, u.bids());
        sb.append(",\"ts\":\"").append(u.tsMillis()).append("\",\"checksum\":").append(checksum)
                .append(",\"prevSeqId\":").append(u.prevSeqId()).append(",\"seqId\":").append(u.seqId()).append('}');
        String frame = "{\"arg\":{\"channel\":\"books\",\"instId\":\"" + i.instId + "\"},\"action\":\"update\","
                + "\"data\":[" + sb + "]}";
        for (OkxClient c : clients) {
            if (c.subscribed("books", i.instId)) {
                c.send(frame);
            }
        }
    }

    private void sendQuotes(Instr i, long ts, BigDecimal last, String lastSz) {
        var bid = i.book.bestBid();
        var ask = i.book.bestAsk();
        if (bid == null || ask == null) {
            return;
        }
        push("bbo-tbt", i.instId, "{\"asks\":[[\"" + OkxBook.text(ask.getKey()) + "\",\"" + OkxBook.text(ask.getValue())
                + "\",\"0\",\"1\"]],\"bids\":[[\"" + OkxBook.text(bid.getKey()) + "\",\""
                + OkxBook.text(bid.getValue()) + "\",\"0\",\"1\"]],\"ts\":\"" + ts + "\",\"seqId\":"
                + i.book.seqId() + "}");
        push("tickers", i.instId, "{\"instType\":\"" + (i.swap ? "SWAP" : "SPOT") + "\",\"instId\":\"" + i.instId
                + "\",\"last\":\"" + OkxBook.text(last) + "\",\"lastSz\":\"" + lastSz + "\",\"askPx\":\""
                + OkxBook.text(ask.getKey()) + "\",\"askSz\":\"" + OkxBook.text(ask.getValue()) + "\",\"bidPx\":\""
                + OkxBook.text(bid.getKey()) + "\",\"bidSz\":\"" + OkxBook.text(bid.getValue()) + "\",\"ts\":\""
                + ts + "\"}");
    }

    private void pushLiquidation(SentLiquidation l) {
        String base = l.instId().substring(0, l.instId().lastIndexOf('-'));
        String frame = "{\"arg\":{\"channel\":\"liquidation-orders\",\"instType\":\"SWAP\"},\"data\":[{\"details\":"
                + "[{\"bkLoss\":\"0\",\"bkPx\":\"" + l.bkPx() + "\",\"ccy\":\"\",\"posSide\":\"" + l.posSide()
                + "\",\"side\":\"" + l.side() + "\",\"sz\":\"" + l.sz() + "\",\"ts\":\"" + l.tsMillis()
                + "\"}],\"instFamily\":\"" + base + "\",\"instId\":\"" + l.instId()
                + "\",\"instType\":\"SWAP\",\"uly\":\"" + base + "\"}]}";
        for (OkxClient c : clients) {
            if (c.subscribed("liquidation-orders", "SWAP")) {
                c.send(frame);
            }
        }
    }

    private void push(String channel, String instId, String dataObject) {
        String frame = null;
        for (OkxClient c : clients) {
            if (c.subscribed(channel, instId)) {
                if (frame == null) {
                    frame = "{\"arg\":{\"channel\":\"" + channel + "\",\"instId\":\"" + instId + "\"},\"data\":["
                            + dataObject + "]}";
                }
                c.send(frame);
            }
        }
    }

    private void housekeeping() {
        try {
            long now = System.nanoTime();
            for (OkxClient c : clients) {
                if (now - c.lastSentNanos() > options.idleTimeout().toNanos()) {
                    clients.remove(c);
                    c.close(4004, "No data received in " + options.idleTimeout().toSeconds() + "s.");
                }
            }
            long ts = System.currentTimeMillis();
            for (Instr i : instruments.values()) {
                synchronized (i.book) {
                    if (now - i.book.lastChangeNanos() > options.bookHeartbeat().toNanos()) {
                        sendBookUpdate(i, i.book.heartbeat(ts));
                    }
                }
            }
            if (now - lastFundingNanos > options.fundingInterval().toNanos()) {
                lastFundingNanos = now;
                long next = (ts / 28_800_000L + 1) * 28_800_000L;
                for (Instr i : instruments.values()) {
                    if (!i.swap) {
                        continue;
                    }
                    push("mark-price", i.instId, "{\"instType\":\"SWAP\",\"instId\":\"" + i.instId
                            + "\",\"markPx\":\"" + OkxBook.text(i.lastPrice) + "\",\"ts\":\"" + ts + "\"}");
                    push("funding-rate", i.instId, "{\"fundingRate\":\"0.0001\",\"fundingTime\":\"" + next
                            + "\",\"instId\":\"" + i.instId + "\",\"instType\":\"SWAP\",\"method\":\"current_period\","
                            + "\"nextFundingRate\":\"\",\"nextFundingTime\":\"" + (next + 28_800_000L)
                            + "\",\"ts\":\"" + ts + "\"}");
                }
            }
        } catch (RuntimeException e) {
            log.error("emulator housekeeping failed", e);
        }
    }

    private void instrumentsRest(Context ctx) {
        rest(ctx, () -> {
            String type = ctx.queryParam("instType");
            if (!"SPOT".equals(type) && !"SWAP".equals(type)) {
                ctx.status(400);
                return "{\"code\":\"51000\",\"msg\":\"Parameter instType error\",\"data\":[]}";
            }
            StringBuilder sb = new StringBuilder("{\"code\":\"0\",\"msg\":\"\",\"data\":[");
            boolean first = true;
            for (Instr i : instruments.values()) {
                if (i.swap != type.equals("SWAP")) {
                    continue;
                }
                sb.append(first ? "" : ",");
                first = false;
                sb.append("{\"instType\":\"").append(type).append("\",\"instId\":\"").append(i.instId)
                        .append("\",\"baseCcy\":\"").append(i.swap ? "" : i.base)
                        .append("\",\"quoteCcy\":\"").append(i.swap ? "" : i.quote)
                        .append("\",\"settleCcy\":\"").append(i.swap ? i.quote : "")
                        .append("\",\"ctVal\":\"").append(i.swap ? OkxBook.text(i.ctVal) : "")
                        .append("\",\"ctMult\":\"").append(i.swap ? "1" : "")
                        .append("\",\"ctValCcy\":\"").append(i.swap ? i.base : "")
                        .append("\",\"ctType\":\"").append(i.swap ? "linear" : "")
                        .append("\",\"tickSz\":\"").append(OkxBook.text(i.tick))
                        .append("\",\"lotSz\":\"").append(i.swap ? "1" : OkxBook.text(i.lot))
                        .append("\",\"state\":\"live\"}");
            }
            return sb.append("]}").toString();
        });
    }

    private void rest(Context ctx, java.util.function.Supplier<String> body) {
        restRequests.incrementAndGet();
        ctx.contentType("application/json");
        long retrySeconds = -1;
        synchronized (restFaultLock) {
            if (restFailuresLeft > 0) {
                restFailuresLeft--;
                retrySeconds = (retryAfter.toMillis() + 999) / 1000;
            }
        }
        if (retrySeconds >= 0) {
            ctx.header("Retry-After", Long.toString(retrySeconds));
            ctx.status(429).result("{\"code\":\"50011\",\"msg\":\"Too Many Requests\",\"data\":[]}");
            return;
        }
        ctx.result(body.get());
    }
}
