package io.tickerplant.venues.coinbase;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.WebSocketSession;
import io.tickerplant.venues.coinbase.CoinbaseParser.TradeItem;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coinbase Advanced Trade market data over one websocket ({@code wss://advanced-trade-ws.coinbase.com}): trades
 * ({@code market_trades}), best bid/ask ({@code ticker} → Quote) and the L2 book ({@code level2}, messages
 * {@code l2_data} → BookUpdate), per the configured channels. Each channel is its own subscribe message, and
 * {@code heartbeats} is always subscribed too: Coinbase closes a subscription that has sent nothing for 60-90 s,
 * and the heartbeat every second keeps quiet products open and feeds the silence watchdog.
 *
 * <p>The meaning of the messages (sequence check, trade de-duplication and recovery, books) is {@link CoinbaseFeed},
 * shared with the replayer; this class owns the connection: subscribing on every (re)connect, resubscribing
 * {@code level2}/{@code market_trades} after a sequence gap (unsubscribe then subscribe, which Coinbase answers with
 * a fresh snapshot), and fetching missed trades from {@code GET /api/v3/brokerage/market/products/{id}/ticker}
 * (public, rate limited: 429 with Retry-After is honoured by {@link RestClient}).
 *
 * <p>On every reconnect the {@code market_trades} snapshot (the product's latest trades) is compared with the last
 * delivered trade id: trades made while disconnected are delivered from it, older ones fetched over REST, and
 * what cannot be had is a GAP with the exact id range.
 */
public final class CoinbaseAdapter implements VenueAdapter {

    private static final Logger log = LoggerFactory.getLogger(CoinbaseAdapter.class);

    private final AdapterSettings settings;
    private final Set<Channel> channels;
    private final VenueEventListener listener;
    private final RestClient.Policy restPolicy;
    private final List<String> productIds = new ArrayList<>();
    private final CoinbaseFeed feed;
    private final CoinbaseParser restParser = new CoinbaseParser();
    private final URI streamUri;
    private final String restBase;
    private final Object lifecycle = new Object();
    private ExecutorService io;
    private HttpClient http;
    private RestClient rest;
    private WebSocketSession session;
    private volatile boolean closed;

    public CoinbaseAdapter(AdapterSettings settings, VenueEventListener listener) {
        this(settings, listener, RestClient.Policy.defaults());
    }

    /** @param restPolicy retries of the trade recovery requests */
    public CoinbaseAdapter(AdapterSettings settings, VenueEventListener listener, RestClient.Policy restPolicy) {
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
        Map<String, String> subscribed = new LinkedHashMap<>();
        Map<String, Long> resumeAfter = new HashMap<>();
        for (Instrument i : settings.instruments()) {
            String productId = CoinbaseSymbols.toVenue(i);
            subscribed.put(productId, i.symbol());
            productIds.add(productId);
            String id = resume.get(i.symbol());
            if (id != null) {
                long n = CoinbaseParser.numericId(id.trim());
                if (n < 0) {
                    throw new IllegalArgumentException("resume trade id of " + i + " is not a Coinbase trade id: '"
                            + id + "'");
                }
                resumeAfter.put(productId, n);
            }
        }
        this.feed = new CoinbaseFeed(new Guarded(), channels, settings.effectiveBookSnapshotInterval(),
                new Network(), subscribed, resumeAfter);
        this.streamUri = settings.websocketUri();
        String r = settings.restUri().toString();
        this.restBase = r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    @Override
    public Venue venue() {
        return Venue.COINBASE;
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
            io = Executors.newCachedThreadPool(WebSocketSession.daemonThreads("tp-coinbase-io", true));
            WebSocketSession.Settings ws = WebSocketSession.Settings.from(settings);
            http = HttpClient.newBuilder().executor(io).connectTimeout(ws.connectTimeout()).build();
            rest = new RestClient(http, restPolicy, () -> closed);
            session = new WebSocketSession("coinbase", () -> streamUri, ws, http, new Handler());
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
            // Interrupt a recovery blocked in a REST call first, so the session's close need not wait for it.
            io.shutdownNow();
            session.close();
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

    /** True while the websocket is open. */
    public boolean isConnected() {
        WebSocketSession s = session;
        return s != null && s.isConnected();
    }

    /** The channels subscribed to (besides heartbeats). */
    public Set<Channel> channels() {
        return channels;
    }

    /** Last trade id delivered for a canonical symbol, or -1 before any. */
    public long lastTradeId(String canonicalSymbol) {
        return feed.lastTradeId(CoinbaseSymbols.toVenue(Instrument.parse(canonicalSymbol)));
    }

    /** Trades dropped because they had been delivered already (snapshots overlap live trades). */
    public long duplicatesDropped() {
        return feed.duplicates.get();
    }

    /** Trades delivered from REST recovery. */
    public long tradesRecovered() {
        return feed.recovered.get();
    }

    /** GAP events emitted (connection, book and trade gaps). */
    public long gapsReported() {
        return feed.gaps.get();
    }

    /** Frames handed to {@link VenueEventListener#onRejected}. */
    public long framesRejected() {
        return feed.rejected.get();
    }

    /** Book resynchronizations after a gap or a reconnect, over all products. */
    public long bookResyncs() {
        return feed.bookResyncs();
    }

    /** The subscribe messages of one (re)connection, in order: one per channel, heartbeats last. */
    List<String> subscribeMessages() {
        List<String> out = new ArrayList<>();
        if (channels.contains(Channel.TRADES)) {
            out.add(request("subscribe", "market_trades", productIds));
        }
        if (channels.contains(Channel.QUOTES)) {
            out.add(request("subscribe", "ticker", productIds));
        }
        if (channels.contains(Channel.BOOK)) {
            out.add(request("subscribe", "level2", productIds));
        }
        out.add(request("subscribe", "heartbeats", List.of()));
        return out;
    }

    /** {@code {"type":"subscribe","product_ids":[...],"channel":"level2"}}; heartbeats need no products. */
    static String request(String type, String channel, List<String> products) {
        StringBuilder sb = new StringBuilder(64).append("{\"type\":\"").append(type).append('"');
        if (!products.isEmpty()) {
            sb.append(",\"product_ids\":[");
            for (int i = 0; i < products.size(); i++) {
                sb.append(i == 0 ? "\"" : ",\"").append(products.get(i)).append('"');
            }
            sb.append(']');
        }
        return sb.append(",\"channel\":\"").append(channel).append("\"}").toString();
    }

    private final class Handler implements WebSocketSession.Handler {
        @Override
        public void onOpen(WebSocketSession s) {
            feed.connectionOpened();
            feed.connectionStatus(FeedState.CONNECTED, "connected to " + streamUri + "; subscribing "
                    + channels.stream().map(Channel::configName).sorted().toList() + " for " + productIds);
            for (String m : subscribeMessages()) {
                send(s, m);
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            feed.onFrame(text, receiveTimeMicros);
        }

        @Override
        public void onDisconnected(String reason) {
            feed.connectionStatus(FeedState.DISCONNECTED, reason);
            feed.connectionLost(reason);
        }
    }

    private static void send(WebSocketSession s, String message) {
        // Sends are queued in call order; a failed send means the connection is going, and the reconnect
        // subscribes again.
        s.send(message).exceptionally(e -> {
            log.warn("sending {} failed: {}", message, e.toString());
            return null;
        });
    }

    private final class Network implements CoinbaseFeed.Actions {
        @Override
        public void resubscribe(String channel, List<String> products) {
            WebSocketSession s = session;
            if (s == null || closed) {
                return;
            }
            log.info("resubscribing {} for {}", channel, products);
            send(s, request("unsubscribe", channel, products));
            send(s, request("subscribe", channel, products));
        }

        @Override
        public List<TradeItem> recentTrades(String productId, int limit) throws Exception {
            if (closed) {
                throw new InterruptedException("closing");
            }
            URI uri = URI.create(restBase + "/api/v3/brokerage/market/products/" + productId + "/ticker?limit="
                    + limit);
            return restParser.parseRestTrades(rest.get(uri));
        }
    }

    /** The listener, silent once the adapter is closed. */
    private final class Guarded implements VenueEventListener {
        @Override
        public void onTrade(Trade trade) {
            if (!closed) {
                listener.onTrade(trade);
            }
        }

        @Override
        public void onQuote(Quote quote) {
            if (!closed) {
                listener.onQuote(quote);
            }
        }

        @Override
        public void onBook(BookUpdate update) {
            if (!closed) {
                listener.onBook(update);
            }
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            if (!closed) {
                listener.onFeedStatus(status);
            }
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            if (!closed) {
                listener.onRejected(frame);
            }
        }
    }

    @Override
    public String toString() {
        return "CoinbaseAdapter" + productIds;
    }
}
