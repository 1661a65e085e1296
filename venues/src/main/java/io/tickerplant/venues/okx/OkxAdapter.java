package io.tickerplant.venues.okx;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.WebSocketSession;
import io.tickerplant.venues.okx.OkxParser.BookData;
import io.tickerplant.venues.okx.OkxParser.Event;
import io.tickerplant.venues.okx.OkxParser.Frame;
import io.tickerplant.venues.okx.OkxParser.InstrumentInfo;
import io.tickerplant.venues.okx.OkxParser.MalformedFrameException;
import io.tickerplant.venues.okx.OkxParser.Pong;
import io.tickerplant.venues.okx.OkxParser.Push;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OKX v5 public market data over one websocket ({@code /ws/v5/public}): trades, best bid/ask ({@code bbo-tbt}),
 * the 400-level book ({@code books}), liquidations ({@code liquidation-orders}, instType SWAP) and funding
 * ({@code funding-rate} and {@code mark-price}), per the configured channels.
 *
 * <p><b>Keepalive.</b> OKX closes a connection that sent nothing for 30 s and answers the text {@code ping} with
 * {@code pong}: the adapter sends {@code ping} whenever nothing arrived for {@link #pingAfter}, and the session's
 * silence watchdog reconnects when even the pong does not come.
 *
 * <p><b>Swaps count contracts.</b> Trade, quote and liquidation sizes of a swap are converted to the base asset with
 * the instrument's {@code ctVal} from {@code GET /api/v5/public/instruments?instType=SWAP} (fetched once, before the
 * first subscription, and retried on every connect until it succeeds; 429 honours {@code Retry-After}). Book levels
 * stay in contracts, because OKX's checksum is computed over them.
 *
 * <p><b>Books.</b> Each book is kept by an {@link OkxBookSync}; on a gap or a checksum failure it resubscribes that
 * one book ({@code unsubscribe} then {@code subscribe}) to get a fresh snapshot.
 *
 * <p><b>Trades.</b> Ids at or below the last delivered one are dropped (resumed from
 * {@link AdapterSettings#resumeAfterTradeId()}). OKX's trades channel does not replay what was missed while
 * disconnected: after a reconnect, a first live trade id beyond the next expected one is published as a GAP with the
 * id range.
 *
 * <p><b>Funding.</b> {@code funding-rate} and {@code mark-price} each become their own Funding event carrying only the
 * fields of that channel (rate and next settlement time; mark price): no event repeats a stale value of the other.
 */
public final class OkxAdapter implements VenueAdapter {

    private static final Logger log = LoggerFactory.getLogger(OkxAdapter.class);
    private static final String VENUE = Venue.OKX.name();
    /** Subscription args per request, well inside OKX's 64 KB request limit. */
    static final int ARGS_PER_REQUEST = 50;
    /** OKX closes a connection idle for 30 s; ping well before. */
    static final Duration MAX_PING_AFTER = Duration.ofSeconds(20);

    /** Per-instrument state; touched only from session handler calls, which never overlap. */
    private static final class SymbolState {
        final String instId;
        final String canonical;
        final boolean swap;
        long lastTradeId;
        boolean afterReconnect;
        OkxBookSync book;

        SymbolState(String instId, String canonical, boolean swap, long lastTradeId) {
            this.instId = instId;
            this.canonical = canonical;
            this.swap = swap;
            this.lastTradeId = lastTradeId;
        }
    }

    private final AdapterSettings settings;
    private final Set<Channel> channels;
    private final VenueEventListener listener;
    private final RestClient.Policy restPolicy;
    private final Map<String, SymbolState> symbols = new LinkedHashMap<>();
    private final OkxParser parser = new OkxParser();
    private final OkxEvents events;
    private final URI streamUri;
    private final String restBase;
    private final boolean anySwap;
    private final Duration pingAfter;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile Map<String, InstrumentInfo> contracts;
    private volatile long lastReceiveNanos = System.nanoTime();
    private ExecutorService io;
    private ScheduledExecutorService pinger;
    private HttpClient http;
    private RestClient rest;
    private WebSocketSession session;
    private volatile boolean closed;

    public OkxAdapter(AdapterSettings settings, VenueEventListener listener) {
        this(settings, listener, RestClient.Policy.defaults());
    }

    /** @param restPolicy retries of the instruments request */
    public OkxAdapter(AdapterSettings settings, VenueEventListener listener, RestClient.Policy restPolicy) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.restPolicy = Objects.requireNonNull(restPolicy, "restPolicy");
        this.channels = Set.copyOf(settings.effectiveChannels());
        Objects.requireNonNull(settings.websocketUri(), "websocketUri");
        Objects.requireNonNull(settings.restUri(), "restUri");
        if (settings.instruments() == null || settings.instruments().isEmpty()) {
            throw new IllegalArgumentException("no instruments to subscribe to");
        }
        Map<String, String> resume = settings.resumeAfterTradeId() == null ? Map.of() : settings.resumeAfterTradeId();
        boolean swaps = false;
        for (Instrument i : settings.instruments()) {
            OkxSymbols.problem(i).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            String instId = OkxSymbols.toVenue(i);
            String id = resume.get(i.symbol());
            long last = -1;
            if (id != null) {
                try {
                    last = Long.parseLong(id.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("resume trade id of " + i + " is not an OKX trade id: '"
                            + id + "'");
                }
            }
            SymbolState st = new SymbolState(instId, i.symbol(), i.perpetual(), last);
            if (channels.contains(Channel.BOOK)) {
                st.book = new OkxBookSync(VENUE, i.symbol(), instId, settings.effectiveBookSnapshotInterval(),
                        this::resubscribeBook, new BookOutput(st));
            }
            swaps |= i.perpetual();
            symbols.put(instId, st);
        }
        this.anySwap = swaps;
        this.events = new OkxEvents(VENUE, listener, this::contractValue);
        this.streamUri = URI.create(stripSlash(settings.websocketUri().toString()) + "/ws/v5/public");
        this.restBase = stripSlash(settings.restUri().toString());
        Duration half = settings.silenceTimeout().dividedBy(2);
        this.pingAfter = half.compareTo(MAX_PING_AFTER) < 0 ? half : MAX_PING_AFTER;
    }

    @Override
    public Venue venue() {
        return Venue.OKX;
    }

    /** The websocket URI the adapter connects to. */
    public URI streamUri() {
        return streamUri;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("adapter closed");
            }
            if (session != null) {
                return;
            }
            io = Executors.newCachedThreadPool(WebSocketSession.daemonThreads("tp-okx-io", true));
            WebSocketSession.Settings ws = WebSocketSession.Settings.from(settings);
            http = HttpClient.newBuilder().executor(io).connectTimeout(ws.connectTimeout()).build();
            rest = new RestClient(http, restPolicy, () -> closed);
            session = new WebSocketSession("okx", () -> streamUri, ws, http, new Feed());
            pinger = Executors.newSingleThreadScheduledExecutor(WebSocketSession.daemonThreads("tp-okx-ping", false));
            long period = Math.max(10, pingAfter.toMillis() / 4);
            pinger.scheduleWithFixedDelay(this::pingIfQuiet, period, period, TimeUnit.MILLISECONDS);
            session.start();
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (session == null) {
                return;
            }
            pinger.shutdownNow();
            // Interrupt an instruments request first, so the session's close need not wait for it.
            io.shutdownNow();
            session.close();
            try {
                io.awaitTermination(5, TimeUnit.SECONDS);
                pinger.awaitTermination(5, TimeUnit.SECONDS);
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

    /** True while the websocket is open. */
    public boolean isConnected() {
        WebSocketSession s = session;
        return s != null && s.isConnected();
    }

    public long framesRejected() {
        return rejected.get();
    }

    public long gapsReported() {
        return gaps.get();
    }

    /** Text pings sent because the connection was quiet. */
    public long pingsSent() {
        return pingsSent.get();
    }

    public long pongsReceived() {
        return pongs.get();
    }

    /** Book resynchronizations over all instruments. */
    public long bookResyncs() {
        return symbols.values().stream().filter(s -> s.book != null).mapToLong(s -> s.book.resyncs()).sum();
    }

    /** Book checksum failures over all instruments. */
    public long checksumFailures() {
        return symbols.values().stream().filter(s -> s.book != null).mapToLong(s -> s.book.checksumFailures()).sum();
    }

    /** The channels subscribed to. */
    public Set<Channel> channels() {
        return channels;
    }

    /** The subscription args for the configured channels, as OKX expects them in {@code op: subscribe}. */
    List<String> subscriptionArgs() {
        List<String> args = new ArrayList<>();
        for (SymbolState st : symbols.values()) {
            if (channels.contains(Channel.TRADES)) {
                args.add(arg("trades", st.instId));
            }
            if (channels.contains(Channel.QUOTES)) {
                args.add(arg("bbo-tbt", st.instId));
            }
            if (channels.contains(Channel.BOOK)) {
                args.add(arg("books", st.instId));
            }
            if (st.swap && channels.contains(Channel.FUNDING)) {
                args.add(arg("funding-rate", st.instId));
                args.add(arg("mark-price", st.instId));
            }
        }
        if (anySwap && channels.contains(Channel.LIQUIDATIONS)) {
            args.add("{\"channel\":\"liquidation-orders\",\"instType\":\"SWAP\"}");
        }
        return args;
    }

    private static String arg(String channel, String instId) {
        return "{\"channel\":\"" + channel + "\",\"instId\":\"" + instId + "\"}";
    }

    static String request(String op, List<String> args) {
        return "{\"op\":\"" + op + "\",\"args\":[" + String.join(",", args) + "]}";
    }

    private void pingIfQuiet() {
        try {
            WebSocketSession s = session;
            if (s != null && s.isConnected() && System.nanoTime() - lastReceiveNanos > pingAfter.toNanos()) {
                pingsSent.incrementAndGet();
                s.send("ping");
            }
        } catch (RuntimeException e) {
            log.debug("sending ping failed", e);
        }
    }

    private final class Feed implements WebSocketSession.Handler {
        @Override
        public void onOpen(WebSocketSession s) {
            lastReceiveNanos = System.nanoTime();
            if (anySwap && contracts == null) {
                loadContracts();
            }
            status(FeedState.CONNECTED, null, "connected to " + streamUri, null, null);
            List<String> args = subscriptionArgs();
            for (int i = 0; i < args.size(); i += ARGS_PER_REQUEST) {
                s.send(request("subscribe", args.subList(i, Math.min(args.size(), i + ARGS_PER_REQUEST))));
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            lastReceiveNanos = System.nanoTime();
            onFrame(text, receiveTimeMicros);
        }

        @Override
        public void onDisconnected(String reason) {
            status(FeedState.DISCONNECTED, null, reason, null, null);
            for (SymbolState st : symbols.values()) {
                st.afterReconnect = true;
                if (st.book != null) {
                    st.book.reset(reason);
                }
            }
        }
    }

    private void loadContracts() {
        try {
            Map<String, InstrumentInfo> m = parser.parseInstruments(
                    rest.get(URI.create(restBase + "/api/v5/public/instruments?instType=SWAP")));
            contracts = m;
            log.info("loaded {} OKX swap contract values", m.size());
        } catch (RestClient.RestException | MalformedFrameException e) {
            log.warn("OKX swap instruments could not be loaded ({}); swap trades, quotes and liquidations are"
                    + " rejected until they are, which is tried again on the next connect", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The contract value of a swap, or null when it is not known. */
    private InstrumentInfo contractValue(String instId) {
        Map<String, InstrumentInfo> m = contracts;
        return m == null ? null : m.get(instId);
    }

    private void resubscribeBook(String instId) {
        WebSocketSession s = session;
        if (s == null || closed) {
            return;
        }
        List<String> args = List.of(arg("books", instId));
        s.send(request("unsubscribe", args));
        s.send(request("subscribe", args));
    }

    private void onFrame(String text, long receiveMicros) {
        if (closed) {
            return;
        }
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), "MalformedFrame", receiveMicros);
            return;
        }
        if (frame instanceof Pong) {
            pongs.incrementAndGet();
        } else if (frame instanceof Event ev) {
            onEvent(ev, text, receiveMicros);
        } else if (frame instanceof Push push) {
            onPush(push, text, receiveMicros);
        }
    }

    private void onEvent(Event ev, String text, long receiveMicros) {
        switch (ev.event()) {
            case "subscribe", "unsubscribe" -> log.debug("OKX {} {} {}", ev.event(), ev.channel(), ev.instId());
            case "error" -> {
                log.warn("OKX answered with error {}: {}", ev.code(), ev.msg());
                reject(text, "venue error " + ev.code() + ": " + ev.msg(), "VenueError", receiveMicros);
            }
            // A service upgrade notice: the venue closes the connection shortly, and the session reconnects.
            case "notice" -> log.info("OKX notice {}: {}", ev.code(), ev.msg());
            default -> log.debug("OKX event {}", ev.event());
        }
    }

    private void onPush(Push push, String text, long receiveMicros) {
        String channel = push.channel();
        if (channel.equals("liquidation-orders")) {
            List<OkxParser.Data> mine = push.data().stream()
                    .filter(d -> symbols.containsKey(((OkxParser.LiquidationData) d).instId())).toList();
            if (!mine.isEmpty() && channels.contains(Channel.LIQUIDATIONS)) {
                events.deliver(new Push(channel, null, push.instType(), push.action(), mine), text, receiveMicros,
                        this::canonical);
            }
            return;
        }
        SymbolState st = push.instId() == null ? null : symbols.get(push.instId());
        if (st == null) {
            reject(text, "field 'arg.instId' is '" + push.instId() + "', which is not subscribed", "UnknownSymbol",
                    receiveMicros);
            return;
        }
        if (channel.equals("books")) {
            if (st.book == null) {
                return;
            }
            boolean snapshot = "snapshot".equals(push.action());
            if (!snapshot && !"update".equals(push.action())) {
                reject(text, "field 'action' is '" + push.action() + "', expected snapshot or update",
                        "MalformedFrame", receiveMicros);
                return;
            }
            for (OkxParser.Data d : push.data()) {
                if (snapshot) {
                    st.book.onSnapshot((BookData) d, receiveMicros);
                } else {
                    st.book.onUpdate((BookData) d, receiveMicros);
                }
            }
            return;
        }
        if (channel.equals("trades")) {
            List<OkxParser.Data> fresh = new ArrayList<>(push.data().size());
            for (OkxParser.Data d : push.data()) {
                OkxParser.TradeData t = (OkxParser.TradeData) d;
                long id = numericId(t.tradeId());
                if (id >= 0 && st.lastTradeId >= 0) {
                    if (id <= st.lastTradeId) {
                        continue;
                    }
                    if (st.afterReconnect && id > st.lastTradeId + 1) {
                        tradeGap(st, st.lastTradeId + 1, id - 1);
                    }
                }
                st.afterReconnect = false;
                if (id >= 0) {
                    st.lastTradeId = id;
                }
                fresh.add(t);
            }
            if (fresh.isEmpty()) {
                return;
            }
            push = new Push(channel, push.instId(), push.instType(), push.action(), fresh);
        }
        events.deliver(push, text, receiveMicros, this::canonical);
    }

    private String canonical(String instId) {
        SymbolState st = symbols.get(instId);
        return st == null ? OkxSymbols.canonicalOrEmpty(instId).orElse(instId) : st.canonical;
    }

    private static long numericId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void tradeGap(SymbolState st, long from, long to) {
        gaps.incrementAndGet();
        String detail = (to - from + 1) + " trade(s) " + from + ".." + to + " of " + st.instId
                + " made while disconnected: OKX's trades channel does not replay them";
        log.warn("GAP: {}", detail);
        status(FeedState.GAP, st, detail, Long.toString(from), Long.toString(to));
    }

    /** Book events of one instrument to the listener. */
    private final class BookOutput implements OkxBookSync.Output {
        private final SymbolState st;

        BookOutput(SymbolState st) {
            this.st = st;
        }

        @Override
        public void book(BookUpdate update) {
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
            listener.onFeedStatus(new FeedStatus(VENUE, st.canonical, st.instId, now, now, state, detail,
                    OkxBookSync.channel(), fromId, toId));
        }
    }

    private void status(FeedState state, SymbolState st, String detail, String fromId, String toId) {
        if (closed) {
            return;
        }
        Instant now = Micros.toInstant(Micros.now());
        listener.onFeedStatus(new FeedStatus(VENUE, st == null ? null : st.canonical, st == null ? null : st.instId,
                now, now, state, detail, st == null ? null : Channel.TRADES.configName(), fromId, toId));
    }

    private void reject(String raw, String reason, String errorClass, long receiveMicros) {
        rejected.incrementAndGet();
        log.warn("rejected OKX frame: {}", reason);
        if (!closed) {
            listener.onRejected(new RejectedFrame(VENUE, raw, reason, errorClass, receiveMicros));
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "OkxAdapter" + symbols.keySet();
    }
}
