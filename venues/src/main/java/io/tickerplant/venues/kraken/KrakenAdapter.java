package io.tickerplant.venues.kraken;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.WebSocketSession;
import io.tickerplant.venues.kraken.KrakenParser.Book;
import io.tickerplant.venues.kraken.KrakenParser.BookData;
import io.tickerplant.venues.kraken.KrakenParser.Frame;
import io.tickerplant.venues.kraken.KrakenParser.Instruments;
import io.tickerplant.venues.kraken.KrakenParser.MalformedFrameException;
import io.tickerplant.venues.kraken.KrakenParser.MethodAnswer;
import io.tickerplant.venues.kraken.KrakenParser.Precision;
import io.tickerplant.venues.kraken.KrakenParser.Status;
import io.tickerplant.venues.kraken.KrakenParser.Ticker;
import io.tickerplant.venues.kraken.KrakenParser.TradeEvent;
import io.tickerplant.venues.kraken.KrakenParser.Trades;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kraken spot market data over one websocket v2 connection ({@code wss://ws.kraken.com/v2}): trades, best bid/ask
 * (the {@code ticker} channel with {@code event_trigger: bbo}) and the L2 book with its CRC32 checksums.
 *
 * <p><b>Trades.</b> Kraken v2 trade ids are contiguous per book. The trade subscription asks for a snapshot (the
 * last 50 trades), so after every (re)connect the trades made while away arrive again, up to 50: ids at or below the
 * last delivered one are dropped as duplicates, and a jump in ids is reported as a GAP with the exact range. Kraken
 * has no REST endpoint that pages trades by v2 id, so a longer outage is reported, not recovered.
 *
 * <p><b>Books.</b> The checksum needs each pair's {@code price_precision} and {@code qty_precision}, which the
 * {@code instrument} channel gives on the same connection; the book subscription goes out once they are known. Each
 * book is kept by a {@link KrakenBookSync}; a checksum mismatch makes the adapter unsubscribe and resubscribe that
 * symbol's book, so Kraken sends a fresh snapshot.
 *
 * <p><b>Liveness.</b> Kraken sends a {@code heartbeat} about once a second while subscribed; when nothing arrives
 * for {@link #PING_AFTER} the adapter sends {@code {"method":"ping"}} (answered with {@code pong}); the session's
 * silence watchdog reconnects when even that stays unanswered.
 */
public final class KrakenAdapter implements VenueAdapter {

    private static final Logger log = LoggerFactory.getLogger(KrakenAdapter.class);
    private static final String VENUE = Venue.KRAKEN.name();

    /** Book depth subscribed to: one of Kraken's 10, 25, 100, 500, 1000. 25 keeps a margin below the checked 10. */
    public static final int BOOK_DEPTH = 25;
    /** Quiet time after which the adapter pings (heartbeats normally arrive every second). */
    static final Duration PING_AFTER = Duration.ofSeconds(5);

    /** Per-symbol state; touched only from session handler calls, which never overlap. */
    private static final class SymbolState {
        final String venueSymbol;
        final String canonical;
        volatile long lastTradeId;
        KrakenBookSync book;

        SymbolState(String venueSymbol, String canonical, long lastTradeId) {
            this.venueSymbol = venueSymbol;
            this.canonical = canonical;
            this.lastTradeId = lastTradeId;
        }
    }

    private final AdapterSettings settings;
    private final Set<Channel> channels;
    private final VenueEventListener listener;
    private final Map<String, SymbolState> symbols = new LinkedHashMap<>();
    private final KrakenParser parser = new KrakenParser();
    private final URI uri;
    private final Duration pingAfter;
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();
    private final Object lifecycle = new Object();
    private WebSocketSession session;
    private ScheduledExecutorService pinger;
    private volatile long lastMessageNanos = System.nanoTime();
    /** The book subscription of the current connection went out. */
    private boolean bookSubscribed;
    private volatile boolean closed;

    public KrakenAdapter(AdapterSettings settings, VenueEventListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.channels = Set.copyOf(settings.effectiveChannels());
        Objects.requireNonNull(settings.websocketUri(), "websocketUri");
        if (settings.instruments() == null || settings.instruments().isEmpty()) {
            throw new IllegalArgumentException("no instruments to subscribe to");
        }
        Map<String, String> resume = settings.resumeAfterTradeId() == null ? Map.of() : settings.resumeAfterTradeId();
        for (Instrument i : settings.instruments()) {
            String venueSymbol = KrakenSymbols.toVenue(i);
            String id = resume.get(i.symbol());
            long last = -1;
            if (id != null) {
                try {
                    last = Long.parseLong(id.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("resume trade id of " + i + " is not a Kraken v2 trade id: '"
                            + id + "'");
                }
            }
            SymbolState st = new SymbolState(venueSymbol, i.symbol(), last);
            if (channels.contains(Channel.BOOK)) {
                st.book = new KrakenBookSync(VENUE, i.symbol(), venueSymbol, BOOK_DEPTH,
                        settings.effectiveBookSnapshotInterval(), null, new BookOutput(st));
            }
            symbols.put(venueSymbol, st);
        }
        this.uri = v2(settings.websocketUri());
        Duration quiet = settings.silenceTimeout() == null ? PING_AFTER : settings.silenceTimeout().dividedBy(3);
        this.pingAfter = quiet.compareTo(PING_AFTER) < 0 ? quiet : PING_AFTER;
    }

    /** The base URI with {@code /v2} appended unless it already ends in it. */
    private static URI v2(URI base) {
        String s = base.toString();
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s.endsWith("/v2") ? s : s + "/v2");
    }

    @Override
    public Venue venue() {
        return Venue.KRAKEN;
    }

    /** The websocket URI the adapter connects to. */
    public URI uri() {
        return uri;
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
            session = new WebSocketSession("kraken", () -> uri, WebSocketSession.Settings.from(settings), null,
                    new Feed());
            pinger = Executors.newSingleThreadScheduledExecutor(WebSocketSession.daemonThreads("tp-kraken-ping",
                    false));
            long period = Math.max(10, pingAfter.toMillis() / 2);
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
            session.close();
        }
    }

    /** True while the websocket is open. */
    public boolean isConnected() {
        WebSocketSession s = session;
        return s != null && s.isConnected();
    }

    /** Last trade id delivered for a canonical symbol, or -1 before any. */
    public long lastTradeId(String canonicalSymbol) {
        return symbols.values().stream().filter(s -> s.canonical.equals(canonicalSymbol)).findFirst()
                .map(s -> s.lastTradeId).orElseThrow(() -> new IllegalArgumentException("not subscribed: "
                        + canonicalSymbol));
    }

    /** Trades dropped because they had been delivered already (snapshots after a reconnect repeat them). */
    public long duplicatesDropped() {
        return duplicates.get();
    }

    /** GAP events emitted. */
    public long gapsReported() {
        return gaps.get();
    }

    /** Frames handed to {@link VenueEventListener#onRejected}. */
    public long framesRejected() {
        return rejected.get();
    }

    /** Pings sent because the connection was quiet. */
    public long pingsSent() {
        return pingsSent.get();
    }

    /** Book resynchronizations over all symbols. */
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

    private void pingIfQuiet() {
        try {
            WebSocketSession s = session;
            if (closed || s == null || !s.isConnected()) {
                return;
            }
            if (System.nanoTime() - lastMessageNanos >= pingAfter.toNanos()) {
                pingsSent.incrementAndGet();
                s.send("{\"method\":\"ping\",\"req_id\":" + requestIds.incrementAndGet() + "}");
            }
        } catch (RuntimeException e) {
            log.debug("ping failed", e);
        }
    }

    private final class Feed implements WebSocketSession.Handler {
        @Override
        public void onOpen(WebSocketSession s) {
            lastMessageNanos = System.nanoTime();
            bookSubscribed = false;
            status(FeedState.CONNECTED, null, null, "connected to " + uri, null, null);
            List<String> all = symbols.keySet().stream().toList();
            if (channels.contains(Channel.TRADES)) {
                s.send(subscribe("trade", all, ",\"snapshot\":true"));
            }
            if (channels.contains(Channel.QUOTES)) {
                s.send(subscribe("ticker", all, ",\"event_trigger\":\"bbo\",\"snapshot\":true"));
            }
            if (channels.contains(Channel.BOOK)) {
                boolean known = symbols.values().stream().allMatch(st -> st.book.precision() != null);
                if (known) {
                    subscribeBooks(s);
                } else {
                    // The checksum needs the precisions: the book waits for the instrument snapshot.
                    s.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\",\"snapshot\":true},"
                            + "\"req_id\":" + requestIds.incrementAndGet() + "}");
                }
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            lastMessageNanos = System.nanoTime();
            onFrame(text, receiveTimeMicros);
        }

        @Override
        public void onDisconnected(String reason) {
            status(FeedState.DISCONNECTED, null, null, reason, null, null);
            for (SymbolState st : symbols.values()) {
                if (st.book != null) {
                    st.book.reset("after the connection was lost (" + reason + ")");
                }
            }
        }
    }

    private String subscribe(String channel, List<String> venueSymbols, String extra) {
        return request("subscribe", channel, venueSymbols, extra);
    }

    private String request(String method, String channel, List<String> venueSymbols, String extra) {
        StringBuilder sb = new StringBuilder(96).append("{\"method\":\"").append(method)
                .append("\",\"params\":{\"channel\":\"").append(channel).append("\",\"symbol\":[");
        for (int i = 0; i < venueSymbols.size(); i++) {
            sb.append(i == 0 ? "\"" : ",\"").append(venueSymbols.get(i)).append('"');
        }
        return sb.append(']').append(extra).append("},\"req_id\":").append(requestIds.incrementAndGet()).append('}')
                .toString();
    }

    private void subscribeBooks(WebSocketSession s) {
        bookSubscribed = true;
        s.send(subscribe("book", symbols.keySet().stream().toList(), ",\"depth\":" + BOOK_DEPTH
                + ",\"snapshot\":true"));
    }

    private void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), "MalformedFrame", receiveMicros);
            return;
        }
        if (frame instanceof Trades trades) {
            for (TradeEvent t : trades.trades()) {
                SymbolState st = symbols.get(t.symbol());
                if (st == null) {
                    reject(text, "field 'symbol' is '" + t.symbol() + "', which is not subscribed", "UnknownSymbol",
                            receiveMicros);
                    return;
                }
                if (channels.contains(Channel.TRADES)) {
                    onTrade(st, t, receiveMicros);
                }
            }
        } else if (frame instanceof Book book) {
            for (BookData d : book.books()) {
                SymbolState st = symbols.get(d.symbol());
                if (st == null || st.book == null) {
                    reject(text, "field 'symbol' is '" + d.symbol() + "', which has no book subscribed",
                            "UnknownSymbol", receiveMicros);
                    return;
                }
                if (closed) {
                    return;
                }
                if (book.snapshot()) {
                    st.book.onSnapshot(d.bids(), d.asks(), d.checksum(), d.timeMicros(), receiveMicros);
                } else {
                    st.book.onUpdate(d.bids(), d.asks(), d.checksum(), d.timeMicros(), receiveMicros);
                }
            }
        } else if (frame instanceof Ticker q) {
            SymbolState st = symbols.get(q.symbol());
            if (st == null) {
                reject(text, "field 'symbol' is '" + q.symbol() + "', which is not subscribed", "UnknownSymbol",
                        receiveMicros);
                return;
            }
            if (channels.contains(Channel.QUOTES) && !closed) {
                Instant receive = Micros.toInstant(receiveMicros);
                listener.onQuote(new Quote(VENUE, st.canonical, st.venueSymbol,
                        q.timeMicros() >= 0 ? Micros.toInstant(q.timeMicros()) : receive, receive,
                        q.bid(), q.bidQty(), q.ask(), q.askQty(), null));
            }
        } else if (frame instanceof Instruments instruments) {
            onInstruments(instruments);
        } else if (frame instanceof MethodAnswer answer) {
            if (!answer.success()) {
                log.warn("Kraken refused {} of {} {}: {}", answer.method(), answer.channel(), answer.symbol(),
                        answer.error());
                reject(text, "venue error on " + answer.method() + (answer.symbol() == null ? "" : " of "
                        + answer.symbol()) + ": " + answer.error(), "VenueError", receiveMicros);
            } else {
                log.debug("Kraken answered {} {} {}", answer.method(), answer.channel(), answer.symbol());
            }
        } else if (frame instanceof Status st) {
            log.info("Kraken status: system {}, api {}", st.system(), st.apiVersion());
        }
        // Heartbeats only show that the connection is alive, which receiving them already did.
    }

    private void onInstruments(Instruments instruments) {
        if (!channels.contains(Channel.BOOK)) {
            return;
        }
        for (SymbolState st : symbols.values()) {
            Precision p = instruments.pairs().get(st.venueSymbol);
            if (p != null) {
                st.book.precision(p);
            }
        }
        if (!bookSubscribed && instruments.snapshot()) {
            List<String> unknown = symbols.values().stream().filter(st -> st.book.precision() == null)
                    .map(st -> st.venueSymbol).toList();
            if (!unknown.isEmpty()) {
                // Subscribing anyway would only yield checksums that cannot be verified: say why, once.
                for (SymbolState st : symbols.values()) {
                    if (unknown.contains(st.venueSymbol)) {
                        bookStatus(st, FeedState.STALE, "book " + st.venueSymbol + " not subscribed: the instrument"
                                + " snapshot lists no precisions for it (is the pair listed?)", null, null);
                    }
                }
            }
            WebSocketSession s = session;
            if (s != null) {
                bookSubscribed = true;
                List<String> known = symbols.values().stream().filter(st -> st.book.precision() != null)
                        .map(st -> st.venueSymbol).toList();
                if (!known.isEmpty()) {
                    s.send(subscribe("book", known, ",\"depth\":" + BOOK_DEPTH + ",\"snapshot\":true"));
                }
                // Precisions change rarely; the instrument feed (large in production) is not needed any more.
                s.send("{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"instrument\"},\"req_id\":"
                        + requestIds.incrementAndGet() + "}");
            }
        }
    }

    private void onTrade(SymbolState st, TradeEvent t, long receiveMicros) {
        long id = t.tradeId();
        long last = st.lastTradeId;
        if (last >= 0) {
            if (id <= last) {
                duplicates.incrementAndGet();
                return;
            }
            if (id > last + 1) {
                gaps.incrementAndGet();
                String detail = (id - last - 1) + " trade(s) " + (last + 1) + ".." + (id - 1) + " of "
                        + st.venueSymbol + " lost: trade " + id + " followed " + last
                        + " (more trades than Kraken's 50-trade snapshot were missed, or frames were lost)";
                log.warn("GAP: {}", detail);
                status(FeedState.GAP, st, Channel.TRADES.configName(), detail, Long.toString(last + 1),
                        Long.toString(id - 1));
            }
        }
        st.lastTradeId = id;
        if (closed) {
            return;
        }
        listener.onTrade(new Trade(VENUE, st.canonical, st.venueSymbol, Micros.toInstant(t.timeMicros()),
                Micros.toInstant(receiveMicros), Long.toString(id), t.price(), t.qty(),
                t.side() == KrakenParser.TakerSide.BUY ? Side.BUY : Side.SELL));
    }

    /** Book events of one symbol to the listener, and its resubscriptions to the venue. */
    private final class BookOutput implements KrakenBookSync.Output {
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
            if (state == FeedState.GAP) {
                gaps.incrementAndGet();
                log.warn("GAP: {}", detail);
            } else {
                log.info("{}: {}", state, detail);
            }
            bookStatus(st, state, detail, fromId, toId);
        }

        @Override
        public void resubscribe(String why) {
            WebSocketSession s = session;
            if (s == null || closed) {
                return;
            }
            log.info("resubscribing the book of {}: {}", st.venueSymbol, why);
            // Sends are queued in order: the unsubscribe reaches Kraken before the new subscribe.
            s.send(request("unsubscribe", "book", List.of(st.venueSymbol), ",\"depth\":" + BOOK_DEPTH));
            s.send(subscribe("book", List.of(st.venueSymbol), ",\"depth\":" + BOOK_DEPTH + ",\"snapshot\":true"));
        }
    }

    private void bookStatus(SymbolState st, FeedState state, String detail, String fromId, String toId) {
        status(state, st, KrakenBookSync.channel(), detail, fromId, toId);
    }

    private void status(FeedState state, SymbolState st, String channel, String detail, String fromId, String toId) {
        if (closed) {
            return;
        }
        Instant now = Micros.toInstant(Micros.now());
        listener.onFeedStatus(new FeedStatus(VENUE, st == null ? null : st.canonical,
                st == null ? null : st.venueSymbol, now, now, state, detail, channel, fromId, toId));
    }

    private void reject(String raw, String reason, String errorClass, long receiveMicros) {
        rejected.incrementAndGet();
        log.warn("rejected Kraken frame: {}", reason);
        if (!closed) {
            listener.onRejected(new RejectedFrame(VENUE, raw, reason, errorClass, receiveMicros));
        }
    }

    /** For logs. */
    @Override
    public String toString() {
        return "KrakenAdapter" + symbols.keySet();
    }
}
