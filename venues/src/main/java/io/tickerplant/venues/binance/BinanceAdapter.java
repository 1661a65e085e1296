package io.tickerplant.venues.binance;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
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
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.WebSocketSession;
import io.tickerplant.venues.binance.BinanceTradeParser.Ack;
import io.tickerplant.venues.binance.BinanceTradeParser.BookTickerEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthSnapshot;
import io.tickerplant.venues.binance.BinanceTradeParser.Frame;
import io.tickerplant.venues.binance.BinanceTradeParser.LiquidationEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.MalformedFrameException;
import io.tickerplant.venues.binance.BinanceTradeParser.MarkPriceEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.Notice;
import io.tickerplant.venues.binance.BinanceTradeParser.TradeEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.VenueError;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance spot market data over one combined-stream websocket
 * ({@code /stream?streams=btcusdt@trade/btcusdt@bookTicker/btcusdt@depth@100ms/...}): trades, best bid/ask
 * (Quote) and the L2 book (BookUpdate), per the configured {@link AdapterSettings#channels()}.
 *
 * <p><b>Nothing lost, nothing twice.</b> Binance trade ids are contiguous per symbol. The adapter keeps the last id
 * it delivered per symbol (seeded from {@link AdapterSettings#resumeAfterTradeId()}): a trade at or below it is a
 * duplicate and dropped; a trade beyond the next id reveals a gap, which is filled from
 * {@code GET /api/v3/historicalTrades} before the live trade is delivered. What cannot be recovered is reported as a
 * {@code GAP} FeedStatus with the exact id range and the reason, never skipped silently. On every (re)connect the
 * adapter first catches up from the last delivered id over REST, so trades made while it was away arrive in order
 * even on a quiet symbol.
 *
 * <p>Live frames wait in the socket while a recovery runs (the session reads only after the handler returns), so
 * recovered and live trades reach the listener in id order.
 *
 * <p><b>Books.</b> Each symbol's book is kept by a {@link BinanceBookSync}, which applies Binance's snapshot and
 * diff rules and turns any break in the update ids into GAP, a new snapshot and RESYNC. The REST snapshot is
 * fetched on the I/O thread when the first diff of a (re)connection or the first diff after a gap arrives; diffs
 * sent meanwhile wait in the socket, which is the buffering Binance asks for. A lost connection drops every book.
 *
 * <p>Quotes carry the receive time as event time: spot {@code bookTicker} frames have no event time.
 *
 * <p><b>Connections.</b> Streams are spread over as many websocket connections as Binance's 1024 streams per
 * connection require ({@link BinanceConnectionPlan}); a symbol's streams share one connection. Streams beyond the
 * few named in the URL are subscribed with {@code SUBSCRIBE} messages paced below Binance's 5 messages per second
 * ({@link SubscribePacer}), again after every reconnect. With several connections, listener calls are serialized.
 *
 * <p>The same class serves USD-M futures through {@link BinanceFuturesAdapter}: the differences are the
 * {@link BinanceMarket}'s (streams, REST paths, book rule, symbols), plus liquidations and funding.
 */
public class BinanceAdapter implements VenueAdapter {

    private static final Logger log = LoggerFactory.getLogger(BinanceAdapter.class);

    /** FeedStatus channel of this adapter's trade events. */
    public static final String CHANNEL = "trades";
    /** Depth of the REST snapshot requested (Binance allows up to 5000; 1000 costs less request weight). */
    static final int SNAPSHOT_LIMIT = 1000;
    /** Largest {@code historicalTrades} page Binance serves. */
    static final int REST_PAGE = 1000;


    /** Per-symbol state; touched only from session handler calls, which never overlap. */
    private static final class SymbolState {
        final String venueSymbol;
        final String canonical;
        volatile long lastId;
        BinanceBookSync book;

        SymbolState(String venueSymbol, String canonical, long lastId) {
            this.venueSymbol = venueSymbol;
            this.canonical = canonical;
            this.lastId = lastId;
        }
    }

    private final BinanceMarket market;
    private final String venueId;
    private final String threadName;
    private final BinanceConnectionPlan.Limits limits;
    private final List<BinanceConnectionPlan.Connection> plan;
    private final List<URI> streamUris = new ArrayList<>();
    private final List<WebSocketSession> sessions = new ArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicLong subscribeMessages = new AtomicLong();
    private final AdapterSettings settings;
    private final Set<Channel> channels;
    private final VenueEventListener listener;
    private final RestClient.Policy restPolicy;
    private final Map<String, SymbolState> symbols = new LinkedHashMap<>();
    private final BinanceTradeParser parser;
    private final String restBase;
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong recovered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final Object lifecycle = new Object();
    private ExecutorService io;
    private HttpClient http;
    private RestClient rest;
    private boolean started;
    private volatile boolean closed;

    public BinanceAdapter(AdapterSettings settings, VenueEventListener listener) {
        this(settings, listener, RestClient.Policy.defaults());
    }

    /** @param restPolicy retries of the recovery requests */
    public BinanceAdapter(AdapterSettings settings, VenueEventListener listener, RestClient.Policy restPolicy) {
        this(BinanceMarket.SPOT, settings, listener, restPolicy, BinanceConnectionPlan.Limits.binance());
    }

    /**
     * @param market spot or USD-M futures
     * @param limits how streams are spread over connections and subscribed
     */
    protected BinanceAdapter(BinanceMarket market, AdapterSettings settings, VenueEventListener listener,
                             RestClient.Policy restPolicy, BinanceConnectionPlan.Limits limits) {
        this.market = Objects.requireNonNull(market, "market");
        this.venueId = market.venue().name();
        this.threadName = market.futures() ? "binance-futures" : "binance";
        this.parser = new BinanceTradeParser(market);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.restPolicy = Objects.requireNonNull(restPolicy, "restPolicy");
        this.channels = Set.copyOf(settings.effectiveChannels());
        Objects.requireNonNull(settings.websocketUri(), "websocketUri");
        Objects.requireNonNull(settings.restUri(), "restUri");
        if (settings.instruments() == null || settings.instruments().isEmpty()) {
            throw new IllegalArgumentException("no instruments to subscribe to");
        }
        Map<String, String> resume = settings.resumeAfterTradeId() == null ? Map.of() : settings.resumeAfterTradeId();
        for (Instrument i : settings.instruments()) {
            market.problem(i).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            String venueSymbol = market.toVenue(i);
            String id = resume.get(i.symbol());
            long last = -1;
            if (id != null) {
                try {
                    last = Long.parseLong(id.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("resume trade id of " + i + " is not a " + venueId
                            + " trade id: '"
                            + id + "'");
                }
            }
            SymbolState st = new SymbolState(venueSymbol, i.symbol(), last);
            if (channels.contains(Channel.BOOK)) {
                st.book = new BinanceBookSync(market, venueId, i.symbol(), venueSymbol,
                        settings.effectiveBookSnapshotInterval(), this::fetchSnapshot, new BookOutput(st));
            }
            symbols.put(venueSymbol, st);
        }
        Map<String, List<String>> streams = new LinkedHashMap<>();
        symbols.keySet().forEach(s -> streams.put(s, market.streams(s, channels)));
        this.plan = BinanceConnectionPlan.plan(streams, limits);
        // Calls from several connections' threads must not interleave inside a listener that expects one thread.
        this.listener = plan.size() > 1 ? new SerializedListener(listener) : Objects.requireNonNull(listener);
        String ws = stripSlash(settings.websocketUri().toString());
        for (BinanceConnectionPlan.Connection c : plan) {
            streamUris.add(URI.create(ws + "/stream?streams=" + String.join("/", c.urlStreams())));
        }
        this.restBase = stripSlash(settings.restUri().toString());
    }

    @Override
    public Venue venue() {
        return market.venue();
    }

    /** The websocket URI of the (first) connection. */
    public URI streamUri() {
        return streamUris.get(0);
    }

    /** The connections' URIs, one per connection the adapter opens. */
    public List<URI> streamUris() {
        return List.copyOf(streamUris);
    }

    /** How the streams are spread over connections. */
    public List<BinanceConnectionPlan.Connection> connectionPlan() {
        return plan;
    }

    /** {@code SUBSCRIBE} messages sent so far, over all connections and reconnects. */
    public long subscribeMessagesSent() {
        return subscribeMessages.get();
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("adapter closed");
            }
            if (started) {
                return;
            }
            started = true;
            io = Executors.newCachedThreadPool(WebSocketSession.daemonThreads("tp-" + threadName + "-io", true));
            WebSocketSession.Settings ws = WebSocketSession.Settings.from(settings);
            http = HttpClient.newBuilder().executor(io).connectTimeout(ws.connectTimeout()).build();
            rest = new RestClient(http, restPolicy, () -> closed);
            for (int i = 0; i < plan.size(); i++) {
                String name = plan.size() == 1 ? threadName : threadName + "-" + (i + 1);
                URI uri = streamUris.get(i);
                sessions.add(new WebSocketSession(name, () -> uri, ws, http, new Feed(i)));
            }
            sessions.forEach(WebSocketSession::start);
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (!started) {
                return;
            }
            // Interrupt a recovery blocked in a REST call first, so the session's close need not wait for it.
            io.shutdownNow();
            sessions.forEach(WebSocketSession::close);
            try {
                io.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if ((Object) http instanceof AutoCloseable ac) {
                try {
                    ac.close();
                } catch (Exception e) {
                    log.debug("closing the HTTP client failed", e);
                }
            }
        }
    }

    /** True while every websocket connection is open. */
    public boolean isConnected() {
        synchronized (lifecycle) {
            return !sessions.isEmpty() && sessions.stream().allMatch(WebSocketSession::isConnected);
        }
    }

    /** Last trade id delivered for a canonical symbol, or -1 before any. */
    public long lastTradeId(String canonicalSymbol) {
        return symbols.values().stream().filter(s -> s.canonical.equals(canonicalSymbol)).findFirst()
                .map(s -> s.lastId).orElseThrow(() -> new IllegalArgumentException("not subscribed: " + canonicalSymbol));
    }

    /** Live trades dropped because they had been delivered already. */
    public long duplicatesDropped() {
        return duplicates.get();
    }

    /** Trades delivered from REST recovery. */
    public long tradesRecovered() {
        return recovered.get();
    }

    /** GAP events emitted. */
    public long gapsReported() {
        return gaps.get();
    }

    /** Frames handed to {@link VenueEventListener#onRejected}. */
    public long framesRejected() {
        return rejected.get();
    }

    /** Book resynchronizations after a gap or a reconnect, over all symbols. */
    public long bookResyncs() {
        long n = 0;
        for (SymbolState st : symbols.values()) {
            if (st.book != null) {
                n += st.book.resyncs();
            }
        }
        return n;
    }

    /** The channels subscribed to. */
    public Set<Channel> channels() {
        return channels;
    }

    /** One connection's handler: its symbols' subscriptions, recovery and resets. */
    private final class Feed implements WebSocketSession.Handler {
        private final BinanceConnectionPlan.Connection connection;
        private final URI uri;
        private final String label;
        private final SubscribePacer pacer;

        Feed(int index) {
            this.connection = plan.get(index);
            this.uri = streamUris.get(index);
            this.label = plan.size() == 1 ? "" : " (connection " + (index + 1) + " of " + plan.size() + ", "
                    + connection.venueSymbols().size() + " symbols)";
            this.pacer = new SubscribePacer(limits.maxMessagesPerSecond());
        }

        @Override
        public void onOpen(WebSocketSession s) throws Exception {
            status(FeedState.CONNECTED, null, "connected to " + uri + label, null, null);
            // Subscribe before catching up: frames of the new streams wait in the socket meanwhile, so no trade
            // falls between the REST catch-up and the live stream.
            for (List<String> batch : connection.subscribeBatches()) {
                if (closed) {
                    return;
                }
                pacer.awaitTurn();
                String request = "{\"method\":\"SUBSCRIBE\",\"params\":[\"" + String.join("\",\"", batch)
                        + "\"],\"id\":" + requestIds.incrementAndGet() + "}";
                try {
                    s.send(request).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("subscribing to " + batch.size() + " streams failed: " + e, e);
                }
                subscribeMessages.incrementAndGet();
            }
            if (!channels.contains(Channel.TRADES)) {
                return;
            }
            for (String venueSymbol : connection.venueSymbols()) {
                SymbolState st = symbols.get(venueSymbol);
                if (st.lastId >= 0 && !closed) {
                    catchUp(st);
                }
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            onFrame(text, receiveTimeMicros);
        }

        @Override
        public void onDisconnected(String reason) {
            status(FeedState.DISCONNECTED, null, reason + label, null, null);
            for (String venueSymbol : connection.venueSymbols()) {
                SymbolState st = symbols.get(venueSymbol);
                if (st.book != null) {
                    st.book.reset("after the connection was lost (" + reason + ")");
                }
            }
        }
    }

    private void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), "MalformedFrame", receiveMicros);
            return;
        }
        if (frame instanceof TradeEvent trade) {
            SymbolState st = symbols.get(trade.venueSymbol());
            if (st == null) {
                reject(text, "field 's' is '" + trade.venueSymbol() + "', which is not subscribed", "UnknownSymbol",
                        receiveMicros);
                return;
            }
            if (channels.contains(Channel.TRADES)) {
                onLiveTrade(st, trade, receiveMicros);
            }
        } else if (frame instanceof DepthEvent depth) {
            SymbolState st = symbols.get(depth.venueSymbol());
            if (st == null) {
                reject(text, "field 's' is '" + depth.venueSymbol() + "', which is not subscribed", "UnknownSymbol",
                        receiveMicros);
                return;
            }
            if (st.book != null && !closed) {
                st.book.onDiff(depth, receiveMicros);
            }
        } else if (frame instanceof BookTickerEvent q) {
            SymbolState st = symbols.get(q.venueSymbol());
            if (st == null) {
                reject(text, "field 's' is '" + q.venueSymbol() + "', which is not subscribed", "UnknownSymbol",
                        receiveMicros);
                return;
            }
            if (channels.contains(Channel.QUOTES) && !closed) {
                Instant receive = Micros.toInstant(receiveMicros);
                listener.onQuote(new Quote(venueId, st.canonical, st.venueSymbol,
                        q.eventTimeMillis() >= 0 ? Instant.ofEpochMilli(q.eventTimeMillis()) : receive, receive,
                        q.bidPrice(), q.bidSize(), q.askPrice(), q.askSize(), q.updateId()));
            }
        } else if (frame instanceof LiquidationEvent l) {
            SymbolState st = symbols.get(l.venueSymbol());
            if (st == null) {
                reject(text, "field 'o.s' is '" + l.venueSymbol() + "', which is not subscribed", "UnknownSymbol",
                        receiveMicros);
                return;
            }
            if (channels.contains(Channel.LIQUIDATIONS) && !closed) {
                listener.onLiquidation(liquidation(market, st.canonical, l, receiveMicros));
            }
        } else if (frame instanceof MarkPriceEvent m) {
            SymbolState st = symbols.get(m.venueSymbol());
            if (st == null) {
                reject(text, "field 's' is '" + m.venueSymbol() + "', which is not subscribed", "UnknownSymbol",
                        receiveMicros);
                return;
            }
            if (channels.contains(Channel.FUNDING) && !closed) {
                listener.onFunding(funding(market, st.canonical, m, receiveMicros));
            }
        } else if (frame instanceof VenueError err) {
            log.warn("Binance answered with error {}: {} (request id {})", err.code(), err.message(), err.id());
            reject(text, "venue error " + err.code() + ": " + err.message(), "VenueError", receiveMicros);
        } else if (frame instanceof Ack ack) {
            log.debug("Binance acknowledged request {}: {}", ack.id(), ack.result());
        } else if (frame instanceof Notice notice) {
            // serverShutdown: the venue closes the connection shortly, and the session reconnects.
            log.info("Binance notice: {}", notice.eventType());
        }
    }

    private void onLiveTrade(SymbolState st, TradeEvent trade, long receiveMicros) {
        long id = trade.tradeId();
        long last = st.lastId;
        if (last >= 0) {
            if (id <= last) {
                duplicates.incrementAndGet();
                return;
            }
            if (id > last + 1) {
                recover(st, id - 1, "live trade " + id + " arrived after " + last);
            }
        }
        deliver(st, trade, receiveMicros);
    }

    /** Fetches from the last delivered id up to the venue's latest trade; failures are reported by the next gap. */
    private void catchUp(SymbolState st) {
        long before = st.lastId;
        try {
            while (!closed) {
                List<TradeEvent> page = fetch(st, st.lastId + 1, REST_PAGE);
                long receiveMicros = Micros.now();
                for (TradeEvent t : page) {
                    if (t.tradeId() <= st.lastId) {
                        continue;
                    }
                    if (t.tradeId() > st.lastId + 1) {
                        gap(st, st.lastId + 1, t.tradeId() - 1, "not in the venue's trade history");
                    }
                    deliver(st, t, receiveMicros);
                    recovered.incrementAndGet();
                }
                if (page.size() < REST_PAGE) {
                    break;
                }
            }
        } catch (RestClient.RestException | MalformedFrameException e) {
            log.warn("catching up {} after trade {} failed ({}); the next live trade shows the gap's extent and"
                    + " recovery is tried again", st.venueSymbol, st.lastId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (st.lastId > before) {
            log.info("caught up {} trades of {} ({}..{}) after connecting", st.lastId - before, st.venueSymbol,
                    before + 1, st.lastId);
        }
    }

    /** Delivers the trades after the last delivered one up to {@code to}, or reports what it could not. */
    private void recover(SymbolState st, long to, String why) {
        long from = st.lastId + 1;
        String failure = null;
        try {
            while (st.lastId < to && !closed) {
                long next = st.lastId + 1;
                List<TradeEvent> page = fetch(st, next, (int) Math.min(REST_PAGE, to - next + 1));
                long receiveMicros = Micros.now();
                boolean progressed = false;
                for (TradeEvent t : page) {
                    if (t.tradeId() <= st.lastId) {
                        continue;
                    }
                    if (t.tradeId() > to) {
                        break;
                    }
                    if (t.tradeId() > st.lastId + 1) {
                        gap(st, st.lastId + 1, t.tradeId() - 1, "not in the venue's trade history");
                    }
                    deliver(st, t, receiveMicros);
                    recovered.incrementAndGet();
                    progressed = true;
                }
                if (!progressed) {
                    failure = page.isEmpty() ? "the venue returned no trades from id " + next
                            : "the venue's trade history has no trades " + next + ".." + to;
                    break;
                }
            }
        } catch (RestClient.RestException e) {
            failure = e.getMessage();
        } catch (MalformedFrameException e) {
            failure = "unreadable historicalTrades answer: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (st.lastId < to) {
            gap(st, st.lastId + 1, to, "trades missed (" + why + ") and not recovered over REST: " + failure);
        } else {
            log.info("recovered {} trades of {} ({}..{}): {}", to - from + 1, st.venueSymbol, from, to, why);
        }
    }

    private List<TradeEvent> fetch(SymbolState st, long fromId, int limit)
            throws RestClient.RestException, MalformedFrameException, InterruptedException {
        URI uri = URI.create(restBase + market.tradeHistoryPath() + "?symbol=" + st.venueSymbol + "&fromId=" + fromId
                + "&limit=" + limit);
        return parser.parseTradeHistory(rest.get(uri), st.venueSymbol);
    }

    /** A forceOrder as a Liquidation event; the order's side is kept (SELL closes a long). */
    static Liquidation liquidation(BinanceMarket market, String canonical, LiquidationEvent l, long receiveMicros) {
        return new Liquidation(market.venue().name(), canonical, l.venueSymbol(),
                Instant.ofEpochMilli(l.eventTimeMillis()), Micros.toInstant(receiveMicros),
                l.side().equals("BUY") ? Side.BUY : Side.SELL, l.price(), l.quantity(), null);
    }

    /** A markPriceUpdate as a Funding event. */
    static Funding funding(BinanceMarket market, String canonical, MarkPriceEvent m, long receiveMicros) {
        return new Funding(market.venue().name(), canonical, m.venueSymbol(),
                Instant.ofEpochMilli(m.eventTimeMillis()), Micros.toInstant(receiveMicros), m.markPrice(),
                m.indexPrice(), m.fundingRate(),
                m.nextFundingTimeMillis() < 0 ? null : Instant.ofEpochMilli(m.nextFundingTimeMillis()));
    }

    private DepthSnapshot fetchSnapshot(String venueSymbol) throws Exception {
        if (closed) {
            throw new InterruptedException("closing");
        }
        URI uri = URI.create(restBase + market.depthPath() + "?symbol=" + venueSymbol + "&limit=" + SNAPSHOT_LIMIT);
        return parser.parseDepthSnapshot(rest.get(uri));
    }

    /** Book events of one symbol to the listener. */
    private final class BookOutput implements BinanceBookSync.Output {
        private final SymbolState st;

        BookOutput(SymbolState st) {
            this.st = st;
        }

        @Override
        public void book(io.tickerplant.model.avro.BookUpdate update) {
            if (!closed) {
                listener.onBook(update);
            }
        }

        @Override
        public void status(FeedState state, String detail, String fromId, String toId) {
            if (closed) {
                return;
            }
            if (state == FeedState.GAP) {
                gaps.incrementAndGet();
                log.warn("GAP: {}", detail);
            } else {
                log.info("{}: {}", state, detail);
            }
            Instant now = Micros.toInstant(Micros.now());
            listener.onFeedStatus(new FeedStatus(venueId, st.canonical, st.venueSymbol, now, now, state, detail,
                    BinanceBookSync.channel(), fromId, toId));
        }
    }

    private void deliver(SymbolState st, TradeEvent e, long receiveMicros) {
        st.lastId = e.tradeId();
        if (closed) {
            return;
        }
        // m: the buyer was the maker, so the taker (aggressor) sold.
        listener.onTrade(new Trade(venueId, st.canonical, st.venueSymbol, Instant.ofEpochMilli(e.tradeTimeMillis()),
                Micros.toInstant(receiveMicros), Long.toString(e.tradeId()), e.price(), e.size(),
                e.buyerIsMaker() ? Side.SELL : Side.BUY));
    }

    private void gap(SymbolState st, long fromId, long toId, String why) {
        st.lastId = toId;
        if (closed) {
            return;
        }
        gaps.incrementAndGet();
        String detail = (toId - fromId + 1) + " trade(s) " + fromId + ".." + toId + " of " + st.venueSymbol
                + " lost: " + why;
        log.warn("GAP: {}", detail);
        status(FeedState.GAP, st, detail, Long.toString(fromId), Long.toString(toId));
    }

    private void status(FeedState state, SymbolState st, String detail, String fromId, String toId) {
        if (closed) {
            return;
        }
        Instant now = Micros.toInstant(Micros.now());
        // Connection events concern every channel of the connection: no channel.
        listener.onFeedStatus(new FeedStatus(venueId, st == null ? null : st.canonical,
                st == null ? null : st.venueSymbol, now, now, state, detail, st == null ? null : CHANNEL,
                fromId, toId));
    }

    private void reject(String raw, String reason, String errorClass, long receiveMicros) {
        rejected.incrementAndGet();
        log.warn("rejected {} frame: {}", venueId, reason);
        if (!closed) {
            listener.onRejected(new RejectedFrame(venueId, raw, reason, errorClass, receiveMicros));
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** For logs. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + symbols.keySet();
    }

    /** Serializes listener calls coming from several connections' threads. */
    private static final class SerializedListener implements VenueEventListener {
        private final VenueEventListener delegate;

        SerializedListener(VenueEventListener delegate) {
            this.delegate = Objects.requireNonNull(delegate, "listener");
        }

        @Override
        public synchronized void onTrade(Trade trade) {
            delegate.onTrade(trade);
        }

        @Override
        public synchronized void onQuote(Quote quote) {
            delegate.onQuote(quote);
        }

        @Override
        public synchronized void onBook(io.tickerplant.model.avro.BookUpdate update) {
            delegate.onBook(update);
        }

        @Override
        public synchronized void onLiquidation(Liquidation liquidation) {
            delegate.onLiquidation(liquidation);
        }

        @Override
        public synchronized void onFunding(Funding funding) {
            delegate.onFunding(funding);
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            delegate.onFeedStatus(status);
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            delegate.onRejected(frame);
        }
    }
}
