package io.tickerplant.venues.binance;

import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.binance.BinanceTradeParser.BookTickerEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthSnapshot;
import io.tickerplant.venues.binance.BinanceTradeParser.Frame;
import io.tickerplant.venues.binance.BinanceTradeParser.LiquidationEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.MalformedFrameException;
import io.tickerplant.venues.binance.BinanceTradeParser.MarkPriceEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.TradeEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded Binance spot or USD-M futures frames through the adapter's own parser and book sync, without a network: websocket frames
 * and recorded {@code /api/v3/depth} ({@code /fapi/v1/depth}) answers are fed in receive-time order, and the events reach a
 * {@link VenueEventListener} as they would from the live adapter. Every symbol found is accepted.
 *
 * <p>When a book needs a snapshot, it gets the latest recorded one of its symbol received up to the frame being
 * replayed (each used once); without one, its diffs wait, as they would while a live snapshot request runs. Trade
 * id gaps are reported as GAP (a replay cannot recover them). Not thread-safe.
 */
public final class BinanceReplayer implements VenueReplayer {

    private final BinanceMarket market;
    private final String venue;
    private final VenueEventListener listener;
    private final int snapshotInterval;
    private final BinanceTradeParser parser;
    private final Map<String, BinanceBookSync> books = new HashMap<>();
    private final Map<String, Deque<DepthSnapshot>> snapshots = new HashMap<>();
    private final Map<String, Long> lastTradeIds = new HashMap<>();

    /** @param snapshotInterval deltas between periodic book snapshots; 0 for the default */
    public BinanceReplayer(VenueEventListener listener, int snapshotInterval) {
        this(BinanceMarket.SPOT, listener, snapshotInterval);
    }

    /** @param market whose frames and book rule the recording holds */
    public BinanceReplayer(BinanceMarket market, VenueEventListener listener, int snapshotInterval) {
        this.market = Objects.requireNonNull(market, "market");
        this.venue = market.venue().name();
        this.parser = new BinanceTradeParser(market);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.snapshotInterval = snapshotInterval > 0 ? snapshotInterval : AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL;
    }

    @Override
    public void onMessage(CapturedMessage m) {
        switch (m.kind()) {
            case RECEIVED -> onFrame(m.text(), m.receiveMicros());
            case HTTP -> {
                java.net.URI u = java.net.URI.create(m.connection());
                String symbol = query(u, "symbol");
                if (u.getPath().endsWith("/depth") && symbol != null) {
                    onDepthSnapshot(symbol, m.text(), m.receiveMicros());
                }
            }
            default -> {
                // Connections and subscribe requests carry no market data.
            }
        }
    }

    private static String query(java.net.URI u, String name) {
        String q = u.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return kv.substring(eq + 1);
            }
        }
        return null;
    }

    /** A recorded {@code GET /api/v3/depth} answer; malformed answers are rejected like frames. */
    public void onDepthSnapshot(String venueSymbol, String body, long receiveMicros) {
        try {
            snapshots.computeIfAbsent(venueSymbol, k -> new ArrayDeque<>()).addLast(parser.parseDepthSnapshot(body));
        } catch (MalformedFrameException e) {
            listener.onRejected(new RejectedFrame(venue, body, "depth snapshot: " + e.getMessage(), "MalformedFrame",
                    receiveMicros));
        }
    }

    /** One recorded websocket frame. */
    public void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            listener.onRejected(new RejectedFrame(venue, text, e.getMessage(), "MalformedFrame", receiveMicros));
            return;
        }
        if (frame instanceof TradeEvent t) {
            trade(t, receiveMicros);
        } else if (frame instanceof BookTickerEvent q) {
            Instant receive = Micros.toInstant(receiveMicros);
            listener.onQuote(new Quote(venue, canonical(q.venueSymbol()), q.venueSymbol(),
                    q.eventTimeMillis() >= 0 ? Instant.ofEpochMilli(q.eventTimeMillis()) : receive, receive,
                    q.bidPrice(), q.bidSize(), q.askPrice(), q.askSize(), q.updateId()));
        } else if (frame instanceof DepthEvent d) {
            book(d.venueSymbol()).onDiff(d, receiveMicros);
        } else if (frame instanceof LiquidationEvent l) {
            listener.onLiquidation(BinanceAdapter.liquidation(market, canonical(l.venueSymbol()), l, receiveMicros));
        } else if (frame instanceof MarkPriceEvent mp) {
            listener.onFunding(BinanceAdapter.funding(market, canonical(mp.venueSymbol()), mp, receiveMicros));
        }
    }

    private void trade(TradeEvent t, long receiveMicros) {
        String canonical = canonical(t.venueSymbol());
        Long last = lastTradeIds.put(t.venueSymbol(), t.tradeId());
        if (last != null && t.tradeId() > last + 1) {
            Instant now = Micros.toInstant(receiveMicros);
            listener.onFeedStatus(new FeedStatus(venue, canonical, t.venueSymbol(), now, now, FeedState.GAP,
                    "trades " + (last + 1) + ".." + (t.tradeId() - 1) + " not in the recording", "trades",
                    Long.toString(last + 1), Long.toString(t.tradeId() - 1)));
        }
        listener.onTrade(new Trade(venue, canonical, t.venueSymbol(), Instant.ofEpochMilli(t.tradeTimeMillis()),
                Micros.toInstant(receiveMicros), Long.toString(t.tradeId()), t.price(), t.size(),
                t.buyerIsMaker() ? Side.SELL : Side.BUY));
    }

    private BinanceBookSync book(String venueSymbol) {
        return books.computeIfAbsent(venueSymbol, s -> new BinanceBookSync(market, venue, canonical(s), s,
                snapshotInterval,
                symbol -> {
                    Deque<DepthSnapshot> q = snapshots.get(symbol);
                    return q == null ? null : q.pollFirst();
                }, new BinanceBookSync.Output() {
                    @Override
                    public void book(io.tickerplant.model.avro.BookUpdate update) {
                        listener.onBook(update);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        Instant now = Micros.toInstant(Micros.now());
                        listener.onFeedStatus(new FeedStatus(venue, canonical(s), s, now, now, state, detail,
                                BinanceBookSync.channel(), fromId, toId));
                    }
                }));
    }

    /** Diffs of books that never got a usable snapshot, per symbol: what the recording cannot rebuild. */
    @Override
    public Map<String, Integer> unsyncedDiffs() {
        Map<String, Integer> out = new HashMap<>();
        books.forEach((s, b) -> {
            if (!b.isSynced()) {
                out.put(s, b.buffered());
            }
        });
        return out;
    }

    private String canonical(String venueSymbol) {
        try {
            Instrument i = market.toCanonical(venueSymbol);
            return i.symbol();
        } catch (IllegalArgumentException e) {
            return venueSymbol;
        }
    }
}
