package io.tickerplant.venues.bitstamp;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
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
import io.tickerplant.venues.bitstamp.BitstampParser.BookSnapshot;
import io.tickerplant.venues.bitstamp.BitstampParser.DiffEvent;
import io.tickerplant.venues.bitstamp.BitstampParser.Frame;
import io.tickerplant.venues.bitstamp.BitstampParser.Heartbeat;
import io.tickerplant.venues.bitstamp.BitstampParser.MalformedFrameException;
import io.tickerplant.venues.bitstamp.BitstampParser.ReconnectRequest;
import io.tickerplant.venues.bitstamp.BitstampParser.Subscribed;
import io.tickerplant.venues.bitstamp.BitstampParser.TradeEvent;
import io.tickerplant.venues.bitstamp.BitstampParser.Transaction;
import io.tickerplant.venues.bitstamp.BitstampParser.VenueError;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * Bitstamp market data over one websocket API v2 connection ({@code wss://ws.bitstamp.net}): one
 * {@code bts:subscribe} per channel, {@code live_trades_<pair>} for trades and {@code diff_order_book_<pair>} plus
 * REST snapshots for the L2 book and the quotes derived from it, per the configured channels.
 *
 * <p><b>Keepalive.</b> Bitstamp sends no websocket pings; the adapter sends {@code {"event":"bts:heartbeat"}}
 * every third of the silence timeout (at most every 15 s), and the venue's answer keeps the silence watchdog fed
 * on quiet pairs. {@code bts:request_reconnect} makes the adapter reconnect at once; the reconnect is handled
 * like any other: DISCONNECTED, CONNECTED, book GAP window + RESYNC, and missed trades recovered over REST.
 *
 * <p><b>Trades.</b> Bitstamp trade ids increase but are not contiguous, so a trade lost inside a connection
 * cannot be seen; a lost connection can. After every reconnect (and at the first connect when resuming from a
 * stored id), once the venue acknowledges {@code live_trades_<pair>}, the adapter fetches
 * {@code GET /api/v2/transactions/<pair>/?time=minute|hour|day} (the shortest window that covers the outage) and
 * delivers every trade after the last delivered id, oldest first, before the live trades waiting in the socket;
 * a live trade at or below the last delivered id is a duplicate and dropped. REST trades carry Bitstamp's
 * whole-second {@code date} as event time. What cannot be recovered (REST failure, an outage longer than a day)
 * is a {@code GAP} with the id after the last delivered one as {@code fromId} and the time window in the detail.
 *
 * <p><b>Books and quotes.</b> See {@link BitstampBookSync}. The REST snapshot is fetched on the I/O thread when the
 * venue acknowledges the diff subscription; frames wait in the socket meanwhile, which is the buffering Bitstamp
 * asks for. Quotes need the book, so the QUOTES channel alone subscribes to the diffs too, without publishing them.
 */
public final class BitstampAdapter implements VenueAdapter {

    private static final Logger log = LoggerFactory.getLogger(BitstampAdapter.class);
    private static final String VENUE = Venue.BITSTAMP.name();
    /** FeedStatus channel of trade events. */
    public static final String TRADES_CHANNEL = Channel.TRADES.configName();
    static final String HEARTBEAT = "{\"event\":\"bts:heartbeat\"}";
    private static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);

    /** Per-pair state; touched only from session handler calls, which never overlap. */
    private static final class PairState {
        final String pair;
        final String canonical;
        volatile long lastId;
        boolean catchUpPending;
        BitstampBookSync book;

        PairState(String pair, String canonical, long lastId) {
            this.pair = pair;
            this.canonical = canonical;
            this.lastId = lastId;
        }
    }

    private final AdapterSettings settings;
    private final Set<Channel> channels;
    private final VenueEventListener listener;
    private final RestClient.Policy restPolicy;
    private final Map<String, PairState> pairs = new LinkedHashMap<>();
    private final BitstampParser parser = new BitstampParser();
    private final String restBase;
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong recovered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong reconnectRequests = new AtomicLong();
    private final AtomicLong heartbeatsAnswered = new AtomicLong();
    private final Object lifecycle = new Object();
    /** Local time the last connection was lost, epoch microseconds, or -1 while none was. */
    private long disconnectedAtMicros = -1;
    private ExecutorService io;
    private ScheduledExecutorService heartbeats;
    private HttpClient http;
    private RestClient rest;
    private WebSocketSession session;
    private volatile boolean closed;

    public BitstampAdapter(AdapterSettings settings, VenueEventListener listener) {
        this(settings, listener, RestClient.Policy.defaults());
    }

    /** @param restPolicy retries of the snapshot and recovery requests */
    public BitstampAdapter(AdapterSettings settings, VenueEventListener listener, RestClient.Policy restPolicy) {
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
        for (Instrument i : settings.instruments()) {
            BitstampSymbols.problem(i).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            String pair = BitstampSymbols.toVenue(i);
            String id = resume.get(i.symbol());
            long last = -1;
            if (id != null) {
                try {
                    last = Long.parseLong(id.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("resume trade id of " + i + " is not a Bitstamp trade id: '"
                            + id + "'");
                }
            }
            PairState st = new PairState(pair, i.symbol(), last);
            st.catchUpPending = last >= 0;
            if (channels.contains(Channel.BOOK) || channels.contains(Channel.QUOTES)) {
                st.book = new BitstampBookSync(VENUE, i.symbol(), pair, settings.effectiveBookSnapshotInterval(),
                        this::fetchSnapshot, new BookOutput(st));
            }
            pairs.put(pair, st);
        }
        this.restBase = stripSlash(settings.restUri().toString());
    }

    @Override
    public Venue venue() {
        return Venue.BITSTAMP;
    }

    /** The channel names subscribed to, in order: {@code live_trades_btcusd}, {@code diff_order_book_btcusd}. */
    public List<String> subscriptions() {
        List<String> out = new ArrayList<>();
        for (PairState st : pairs.values()) {
            if (channels.contains(Channel.TRADES)) {
                out.add(BitstampSymbols.TRADES_PREFIX + st.pair);
            }
            if (st.book != null) {
                out.add(BitstampSymbols.DIFF_BOOK_PREFIX + st.pair);
            }
        }
        return out;
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
            io = Executors.newCachedThreadPool(WebSocketSession.daemonThreads("tp-bitstamp-io", true));
            heartbeats = Executors.newSingleThreadScheduledExecutor(
                    WebSocketSession.daemonThreads("tp-bitstamp-heartbeat", false));
            WebSocketSession.Settings ws = WebSocketSession.Settings.from(settings);
            http = HttpClient.newBuilder().executor(io).connectTimeout(ws.connectTimeout()).build();
            rest = new RestClient(http, restPolicy, () -> closed);
            URI uri = settings.websocketUri();
            session = new WebSocketSession("bitstamp", () -> uri, ws, http, new Feed());
            long period = Math.max(50, Math.min(MAX_HEARTBEAT_INTERVAL.toMillis(),
                    settings.silenceTimeout().toMillis() / 3));
            heartbeats.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
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
            heartbeats.shutdownNow();
            // Interrupt a REST call in progress first, so the session's close need not wait for it.
            io.shutdownNow();
            session.close();
            try {
                heartbeats.awaitTermination(5, TimeUnit.SECONDS);
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

    private void heartbeat() {
        WebSocketSession s = session;
        if (s != null && s.isConnected() && !closed) {
            s.send(HEARTBEAT);
        }
    }

    /** True while the websocket is open. */
    public boolean isConnected() {
        WebSocketSession s = session;
        return s != null && s.isConnected();
    }

    /** Last trade id delivered for a canonical symbol, or -1 before any. */
    public long lastTradeId(String canonicalSymbol) {
        return pairs.values().stream().filter(s -> s.canonical.equals(canonicalSymbol)).findFirst()
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

    /** {@code bts:request_reconnect} frames obeyed. */
    public long reconnectRequests() {
        return reconnectRequests.get();
    }

    /** Answers to the adapter's {@code bts:heartbeat}. */
    public long heartbeatsAnswered() {
        return heartbeatsAnswered.get();
    }

    /** Book resynchronizations after a gap or a reconnect, over all pairs. */
    public long bookResyncs() {
        long n = 0;
        for (PairState st : pairs.values()) {
            if (st.book != null) {
                n += st.book.resyncs();
            }
        }
        return n;
    }

    private final class Feed implements WebSocketSession.Handler {
        @Override
        public void onOpen(WebSocketSession s) throws Exception {
            status(FeedState.CONNECTED, null, "connected to " + settings.websocketUri(), null, null);
            if (disconnectedAtMicros >= 0 && channels.contains(Channel.TRADES)) {
                for (PairState st : pairs.values()) {
                    st.catchUpPending = st.lastId >= 0;
                }
            }
            for (String channel : subscriptions()) {
                // Bitstamp takes one channel per bts:subscribe. Waiting for each send keeps them in order.
                s.send("{\"event\":\"bts:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}")
                        .get(settings.silenceTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            onFrame(text, receiveTimeMicros);
        }

        @Override
        public void onDisconnected(String reason) {
            disconnectedAtMicros = Micros.now();
            status(FeedState.DISCONNECTED, null, reason, null, null);
            for (PairState st : pairs.values()) {
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
            PairState st = pairs.get(trade.pair());
            if (st == null) {
                reject(text, "field 'channel' names pair '" + trade.pair() + "', which is not subscribed",
                        "UnknownSymbol", receiveMicros);
            } else if (channels.contains(Channel.TRADES)) {
                onLiveTrade(st, trade, receiveMicros);
            }
        } else if (frame instanceof DiffEvent diff) {
            PairState st = pairs.get(diff.pair());
            if (st == null) {
                reject(text, "field 'channel' names pair '" + diff.pair() + "', which is not subscribed",
                        "UnknownSymbol", receiveMicros);
            } else if (st.book != null && !closed) {
                st.book.onDiff(diff, receiveMicros);
            }
        } else if (frame instanceof Subscribed sub) {
            onSubscribed(sub, receiveMicros);
        } else if (frame instanceof Heartbeat) {
            heartbeatsAnswered.incrementAndGet();
        } else if (frame instanceof ReconnectRequest) {
            reconnectRequests.incrementAndGet();
            log.info("Bitstamp asked for a reconnect (bts:request_reconnect); reconnecting");
            session.reconnect("the venue asked for a reconnect (bts:request_reconnect)");
        } else if (frame instanceof VenueError err) {
            log.warn("Bitstamp answered with an error on channel '{}': {} (code {})", err.channel(), err.message(),
                    err.code());
            reject(text, "venue error on channel '" + err.channel() + "': " + err.message(), "VenueError",
                    receiveMicros);
        }
    }

    private void onSubscribed(Subscribed sub, long receiveMicros) {
        if (!sub.subscribed() || closed) {
            return;
        }
        String channel = sub.channel();
        if (channel.startsWith(BitstampSymbols.DIFF_BOOK_PREFIX)) {
            PairState st = pairs.get(channel.substring(BitstampSymbols.DIFF_BOOK_PREFIX.length()));
            if (st != null && st.book != null) {
                st.book.onSubscribed(receiveMicros);
            }
        } else if (channel.startsWith(BitstampSymbols.TRADES_PREFIX)) {
            PairState st = pairs.get(channel.substring(BitstampSymbols.TRADES_PREFIX.length()));
            if (st != null && st.catchUpPending) {
                st.catchUpPending = false;
                catchUp(st);
            }
        }
    }

    private void onLiveTrade(PairState st, TradeEvent trade, long receiveMicros) {
        if (trade.id() <= st.lastId) {
            duplicates.incrementAndGet();
            return;
        }
        deliver(st, Long.toString(trade.id()), trade.id(), Micros.toInstant(trade.microtimestamp()), trade.price(),
                trade.amount(), trade.takerSells(), receiveMicros);
    }

    /**
     * Delivers the trades made since the last delivered one, from the shortest REST window covering the outage;
     * runs when the venue has acknowledged the trade subscription, so later trades are in the socket.
     */
    private void catchUp(PairState st) {
        long now = Micros.now();
        long outageMicros = disconnectedAtMicros >= 0 ? now - disconnectedAtMicros : Long.MAX_VALUE;
        String window = outageMicros < 50_000_000L ? "minute" : outageMicros < 3_300_000_000L ? "hour" : "day";
        String span = disconnectedAtMicros >= 0 ? "since " + Micros.toInstant(disconnectedAtMicros) + " ("
                + outageMicros / 1000 + " ms)" : "since the resume point";
        long before = st.lastId;
        try {
            URI uri = URI.create(restBase + "/api/v2/transactions/" + st.pair + "/?time=" + window);
            List<Transaction> rows = new ArrayList<>(parser.parseTransactions(rest.get(uri)));
            rows.sort(Comparator.comparingLong(Transaction::tid));
            long receiveMicros = Micros.now();
            for (Transaction t : rows) {
                if (t.tid() > st.lastId && !closed) {
                    deliver(st, Long.toString(t.tid()), t.tid(), Instant.ofEpochSecond(t.dateSeconds()), t.price(),
                            t.amount(), t.takerSells(), receiveMicros);
                    recovered.incrementAndGet();
                }
            }
            if (disconnectedAtMicros >= 0 && outageMicros > 86_000_000_000L) {
                tradeGap(st, before, "trades of " + st.pair + " " + span + " may be lost: Bitstamp's transactions"
                        + " endpoint reaches back one day only; recovered " + (st.lastId - before > 0 ? "the last day"
                        : "nothing"));
            } else if (st.lastId > before) {
                log.info("recovered trades of {} after id {} up to {} {}", st.pair, before, st.lastId, span);
            }
        } catch (RestClient.RestException | MalformedFrameException e) {
            tradeGap(st, before, "trades of " + st.pair + " made while disconnected " + span
                    + " could not be recovered over REST: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BookSnapshot fetchSnapshot(String pair) throws Exception {
        if (closed) {
            throw new InterruptedException("closing");
        }
        URI uri = URI.create(restBase + "/api/v2/order_book/" + pair + "/");
        return parser.parseOrderBook(rest.get(uri));
    }

    /** Book events of one pair to the listener. */
    private final class BookOutput implements BitstampBookSync.Output {
        private final PairState st;

        BookOutput(PairState st) {
            this.st = st;
        }

        @Override
        public void book(BookUpdate update) {
            if (!closed && channels.contains(Channel.BOOK)) {
                listener.onBook(update);
            }
        }

        @Override
        public void quote(Quote quote) {
            if (!closed && channels.contains(Channel.QUOTES)) {
                listener.onQuote(quote);
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
            listener.onFeedStatus(new FeedStatus(VENUE, st.canonical, st.pair, now, now, state, detail,
                    BitstampBookSync.channel(), fromId, toId));
        }
    }

    private void deliver(PairState st, String id, long numericId, Instant eventTime,
                         io.tickerplant.model.avro.Decimal price, io.tickerplant.model.avro.Decimal size,
                         boolean takerSells, long receiveMicros) {
        st.lastId = numericId;
        if (closed) {
            return;
        }
        listener.onTrade(new Trade(VENUE, st.canonical, st.pair, eventTime, Micros.toInstant(receiveMicros), id,
                price, size, takerSells ? Side.SELL : Side.BUY));
    }

    private void tradeGap(PairState st, long lastDelivered, String detail) {
        if (closed) {
            return;
        }
        gaps.incrementAndGet();
        log.warn("GAP: {}", detail);
        status(FeedState.GAP, st, detail, Long.toString(lastDelivered + 1), null);
    }

    private void status(FeedState state, PairState st, String detail, String fromId, String toId) {
        if (closed) {
            return;
        }
        Instant now = Micros.toInstant(Micros.now());
        // Connection events concern every channel of the connection: no channel.
        listener.onFeedStatus(new FeedStatus(VENUE, st == null ? null : st.canonical, st == null ? null : st.pair,
                now, now, state, detail, st == null ? null : TRADES_CHANNEL, fromId, toId));
    }

    private void reject(String raw, String reason, String errorClass, long receiveMicros) {
        rejected.incrementAndGet();
        log.warn("rejected Bitstamp frame: {}", reason);
        if (!closed) {
            listener.onRejected(new RejectedFrame(VENUE, raw, reason, errorClass, receiveMicros));
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "BitstampAdapter" + pairs.keySet();
    }
}
