package io.tickerplant.venues.bybit;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bybit v5 public market data: one websocket per category ({@code /v5/public/spot} for {@code BASE-QUOTE},
 * {@code /v5/public/linear} for {@code BASE-QUOTE-PERP}), subscribing with {@code {"op":"subscribe","args":[..]}}
 * to {@code publicTrade} (trades), {@code orderbook.50} (book), {@code orderbook.1} on spot and {@code tickers} on
 * linear (quotes), {@code tickers} on linear (funding) and {@code allLiquidation} on linear (liquidations), per the
 * configured channels.
 *
 * <p><b>Books.</b> Bybit has no REST snapshot that splices into the stream: the stream itself starts every
 * subscription with a snapshot. So a break in the update ids (GAP) is repaired by unsubscribing and subscribing the
 * topic again, and a lost connection by the subscription of the next one; {@link BybitBookSync} publishes RESYNC and
 * a fresh snapshot once it arrives.
 *
 * <p><b>Keepalive.</b> Bybit expects {@code {"op":"ping"}} every 20 s and answers with a pong; the adapter sends
 * it at that period (or a third of the silence timeout, when shorter, so that a quiet symbol never looks dead to
 * the session's silence watchdog).
 *
 * <p><b>Trades.</b> Bybit trade ids are not contiguous (UUIDs on derivatives), so a lost trade cannot be
 * detected from the ids; a lost connection is reported as DISCONNECTED and the trades made meanwhile are not
 * recovered.
 *
 * <p>Events of both connections reach the listener one at a time (the adapter serializes them).
 */
public final class BybitAdapter implements VenueAdapter {

    private static final Logger log = LoggerFactory.getLogger(BybitAdapter.class);

    /** Depth of the book subscription: 50 levels, pushed every 20 ms on both categories. */
    public static final int BOOK_DEPTH = 50;
    /** Bybit spot refuses subscribe requests with more than 10 args. */
    static final int MAX_ARGS_PER_REQUEST = 10;
    /** Bybit's recommended heartbeat period. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(20);

    private static final String VENUE = Venue.BYBIT.name();

    /** One category's connection. */
    private final class Connection implements WebSocketSession.Handler {
        final BybitCategory category;
        final URI uri;
        final List<String> topics;
        final BybitFeed feed;
        WebSocketSession session;

        Connection(BybitCategory category, URI uri, List<String> topics, Map<String, String> symbols) {
            this.category = category;
            this.uri = uri;
            this.topics = List.copyOf(topics);
            this.feed = new BybitFeed(category, channels, settings.effectiveBookSnapshotInterval(), events,
                    this::resubscribe, symbols);
            this.feed.onAnswers(a -> {
                if (!a.success()) {
                    log.warn("Bybit {} refused '{}': {}", category.path(), a.op(), a.retMsg());
                }
            });
        }

        @Override
        public void onOpen(WebSocketSession s) {
            status(FeedState.CONNECTED, "connected to " + uri + "; subscribing to " + topics.size() + " topics");
            for (int i = 0; i < topics.size(); i += MAX_ARGS_PER_REQUEST) {
                s.send(request("subscribe", topics.subList(i, Math.min(topics.size(), i + MAX_ARGS_PER_REQUEST))));
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            if (!closed) {
                feed.onFrame(text, receiveTimeMicros);
            }
        }

        @Override
        public void onDisconnected(String reason) {
            status(FeedState.DISCONNECTED, category.path() + ": " + reason);
            feed.onDisconnected(reason);
        }

        /** A fresh snapshot of one topic: Bybit answers "already subscribed" unless it is unsubscribed first. */
        void resubscribe(String topic) {
            WebSocketSession s = session;
            if (s == null || closed) {
                return;
            }
            resubscribes.incrementAndGet();
            s.send(request("unsubscribe", List.of(topic)));
            s.send(request("subscribe", List.of(topic)));
        }

        void ping() {
            WebSocketSession s = session;
            if (s != null && s.isConnected()) {
                s.send("{\"op\":\"ping\",\"req_id\":\"" + pings.incrementAndGet() + "\"}");
            }
        }

        private void status(FeedState state, String detail) {
            Instant now = Micros.toInstant(Micros.now());
            // Connection events concern every channel and symbol of the connection.
            events.onFeedStatus(new FeedStatus(VENUE, null, null, now, now, state, detail, null, null, null));
        }
    }

    private final AdapterSettings settings;
    private final Set<Channel> channels;
    private final VenueEventListener events;
    private final Map<BybitCategory, Connection> connections = new EnumMap<>(BybitCategory.class);
    private final Duration pingInterval;
    private final AtomicLong pings = new AtomicLong();
    private final AtomicLong resubscribes = new AtomicLong();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService pinger;
    private volatile boolean closed;
    private boolean started;

    public BybitAdapter(AdapterSettings settings, VenueEventListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.channels = Set.copyOf(settings.effectiveChannels());
        this.events = new Serialized(Objects.requireNonNull(listener, "listener"));
        Objects.requireNonNull(settings.websocketUri(), "websocketUri");
        if (settings.instruments() == null || settings.instruments().isEmpty()) {
            throw new IllegalArgumentException("no instruments to subscribe to");
        }
        Map<BybitCategory, Map<String, String>> symbols = new EnumMap<>(BybitCategory.class);
        Map<BybitCategory, Set<String>> topics = new EnumMap<>(BybitCategory.class);
        for (Instrument i : settings.instruments()) {
            BybitSymbols.problem(i).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            BybitCategory c = BybitCategory.of(i);
            String s = BybitSymbols.toVenue(i);
            if (symbols.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(s, i.symbol()) != null) {
                throw new IllegalArgumentException(i + " is listed twice");
            }
            topics.computeIfAbsent(c, k -> new LinkedHashSet<>()).addAll(topics(c, s, channels));
        }
        topics.forEach((c, t) -> {
            if (!t.isEmpty()) {
                connections.put(c, new Connection(c, c.websocket(settings.websocketUri()), new ArrayList<>(t),
                        symbols.get(c)));
            }
        });
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("none of the channels " + channels + " applies to "
                    + settings.instruments() + " (liquidations and funding exist for perpetuals only)");
        }
        Duration third = settings.silenceTimeout() == null ? PING_INTERVAL : settings.silenceTimeout().dividedBy(3);
        this.pingInterval = third.compareTo(PING_INTERVAL) < 0 ? third : PING_INTERVAL;
    }

    /** The topics of one symbol for the channels, in a fixed order. */
    static List<String> topics(BybitCategory category, String venueSymbol, Set<Channel> channels) {
        List<String> out = new ArrayList<>(5);
        if (channels.contains(Channel.TRADES)) {
            out.add("publicTrade." + venueSymbol);
        }
        if (channels.contains(Channel.BOOK)) {
            out.add("orderbook." + BOOK_DEPTH + "." + venueSymbol);
        }
        if (category == BybitCategory.SPOT) {
            if (channels.contains(Channel.QUOTES)) {
                out.add("orderbook.1." + venueSymbol);
            }
        } else {
            if (channels.contains(Channel.QUOTES) || channels.contains(Channel.FUNDING)) {
                out.add("tickers." + venueSymbol);
            }
            if (channels.contains(Channel.LIQUIDATIONS)) {
                out.add("allLiquidation." + venueSymbol);
            }
        }
        return out;
    }

    static String request(String op, List<String> args) {
        return "{\"op\":\"" + op + "\",\"args\":[" + args.stream().map(a -> "\"" + a + "\"")
                .collect(Collectors.joining(",")) + "]}";
    }

    @Override
    public Venue venue() {
        return Venue.BYBIT;
    }

    /** The websocket URIs connected to, per category. */
    public Map<BybitCategory, URI> websocketUris() {
        Map<BybitCategory, URI> out = new EnumMap<>(BybitCategory.class);
        connections.forEach((c, conn) -> out.put(c, conn.uri));
        return out;
    }

    /** The topics subscribed to, per category. */
    public Map<BybitCategory, List<String>> topics() {
        Map<BybitCategory, List<String>> out = new EnumMap<>(BybitCategory.class);
        connections.forEach((c, conn) -> out.put(c, conn.topics));
        return out;
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
            WebSocketSession.Settings ws = WebSocketSession.Settings.from(settings);
            for (Connection c : connections.values()) {
                c.session = new WebSocketSession("bybit-" + c.category.path(), () -> c.uri, ws, null, c);
            }
            pinger = Executors.newSingleThreadScheduledExecutor(WebSocketSession.daemonThreads("tp-bybit-ping", false));
            long period = Math.max(10, pingInterval.toMillis());
            pinger.scheduleAtFixedRate(() -> connections.values().forEach(Connection::ping), period, period,
                    TimeUnit.MILLISECONDS);
            connections.values().forEach(c -> c.session.start());
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (pinger != null) {
                pinger.shutdownNow();
            }
            for (Connection c : connections.values()) {
                if (c.session != null) {
                    c.session.close();
                }
            }
            if (pinger != null) {
                try {
                    pinger.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** True while every connection is open. */
    public boolean isConnected() {
        return connections.values().stream().allMatch(c -> c.session != null && c.session.isConnected());
    }

    /** Pings sent so far. */
    public long pingsSent() {
        return pings.get();
    }

    /** Pong answers received so far. */
    public long pongsReceived() {
        return connections.values().stream().mapToLong(c -> c.feed.pongs()).sum();
    }

    /** Topics resubscribed to repair a book. */
    public long resubscriptions() {
        return resubscribes.get();
    }

    /** Frames handed to {@link VenueEventListener#onRejected}. */
    public long framesRejected() {
        return connections.values().stream().mapToLong(c -> c.feed.rejected()).sum();
    }

    /** Book resynchronizations, over every book. */
    public long bookResyncs() {
        return connections.values().stream().mapToLong(c -> c.feed.resyncs()).sum();
    }

    /** Book gaps, over every book. */
    public long bookGaps() {
        return connections.values().stream().mapToLong(c -> c.feed.gaps()).sum();
    }

    /** The channels subscribed to. */
    public Set<Channel> channels() {
        return channels;
    }

    @Override
    public String toString() {
        return "BybitAdapter" + topics();
    }

    /**
     * The listener behind a lock: the two connections deliver on their own threads, the listener contract is one
     * call at a time. Nothing reaches it once the adapter is closing.
     */
    private final class Serialized implements VenueEventListener {
        private final VenueEventListener d;

        Serialized(VenueEventListener d) {
            this.d = d;
        }

        @Override
        public synchronized void onTrade(Trade trade) {
            if (!closed) {
                d.onTrade(trade);
            }
        }

        @Override
        public synchronized void onQuote(Quote quote) {
            if (!closed) {
                d.onQuote(quote);
            }
        }

        @Override
        public synchronized void onBook(BookUpdate update) {
            if (!closed) {
                d.onBook(update);
            }
        }

        @Override
        public synchronized void onLiquidation(Liquidation liquidation) {
            if (!closed) {
                d.onLiquidation(liquidation);
            }
        }

        @Override
        public synchronized void onFunding(Funding funding) {
            if (!closed) {
                d.onFunding(funding);
            }
        }

        @Override
        public synchronized void onFeedStatus(FeedStatus status) {
            if (!closed) {
                d.onFeedStatus(status);
            }
        }

        @Override
        public synchronized void onRejected(RejectedFrame frame) {
            if (!closed) {
                log.warn("rejected Bybit frame: {}", frame.reason());
                d.onRejected(frame);
            }
        }
    }
}
