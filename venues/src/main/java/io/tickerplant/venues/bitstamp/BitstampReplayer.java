package io.tickerplant.venues.bitstamp;

import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.bitstamp.BitstampParser.BookSnapshot;
import io.tickerplant.venues.bitstamp.BitstampParser.DiffEvent;
import io.tickerplant.venues.bitstamp.BitstampParser.Frame;
import io.tickerplant.venues.bitstamp.BitstampParser.MalformedFrameException;
import io.tickerplant.venues.bitstamp.BitstampParser.Subscribed;
import io.tickerplant.venues.bitstamp.BitstampParser.TradeEvent;
import io.tickerplant.venues.bitstamp.BitstampParser.VenueError;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded Bitstamp v2 frames through the adapter's own parser and book sync, without a network: websocket frames
 * and recorded {@code /api/v2/order_book/<pair>} answers are fed in receive-time order, and the events (trades,
 * book snapshots and deltas, derived quotes, GAP/RESYNC) reach a {@link VenueEventListener} as they would live.
 * Every pair found is accepted.
 *
 * <p>A book syncs on the venue's subscription acknowledgement or on its first diff, from the oldest recorded
 * snapshot of its pair received up to that point (each used once); without one, its diffs wait, as they would
 * while a live snapshot request runs. Trade ids are not contiguous on Bitstamp, so a replay cannot see lost trades;
 * a trade id not above the previous one is reported as a GAP (out of order). Not thread-safe.
 */
public final class BitstampReplayer implements VenueReplayer {

    private static final String VENUE = Venue.BITSTAMP.name();
    private static final String ORDER_BOOK_PATH = "/api/v2/order_book/";

    private final VenueEventListener listener;
    private final int snapshotInterval;
    private final BitstampParser parser = new BitstampParser();
    private final Map<String, BitstampBookSync> books = new HashMap<>();
    private final Map<String, Deque<BookSnapshot>> snapshots = new HashMap<>();
    private final Map<String, Long> lastTradeIds = new HashMap<>();

    /** @param snapshotInterval deltas between periodic book snapshots; 0 for the default */
    public BitstampReplayer(VenueEventListener listener, int snapshotInterval) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.snapshotInterval = snapshotInterval > 0 ? snapshotInterval : AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL;
    }

    @Override
    public void onMessage(CapturedMessage m) {
        switch (m.kind()) {
            case RECEIVED -> onFrame(m.text(), m.receiveMicros());
            case HTTP -> {
                String pair = orderBookPair(m.connection());
                if (pair != null) {
                    onOrderBook(pair, m.text(), m.receiveMicros());
                }
            }
            default -> {
                // Connections and subscribe requests carry no market data.
            }
        }
    }

    /** The pair of an {@code /api/v2/order_book/<pair>[/]} URL, or null for any other URL. */
    static String orderBookPair(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null || !path.startsWith(ORDER_BOOK_PATH)) {
            return null;
        }
        String pair = path.substring(ORDER_BOOK_PATH.length());
        if (pair.endsWith("/")) {
            pair = pair.substring(0, pair.length() - 1);
        }
        return pair.isEmpty() || pair.contains("/") ? null : pair;
    }

    /** A recorded {@code GET /api/v2/order_book/<pair>} answer; malformed answers are rejected like frames. */
    public void onOrderBook(String pair, String body, long receiveMicros) {
        try {
            snapshots.computeIfAbsent(pair, k -> new ArrayDeque<>()).addLast(parser.parseOrderBook(body));
        } catch (MalformedFrameException e) {
            listener.onRejected(new RejectedFrame(VENUE, body, "order_book snapshot: " + e.getMessage(),
                    "MalformedFrame", receiveMicros));
        }
    }

    /** One recorded websocket frame. */
    public void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            listener.onRejected(new RejectedFrame(VENUE, text, e.getMessage(), "MalformedFrame", receiveMicros));
            return;
        }
        if (frame instanceof TradeEvent t) {
            trade(t, receiveMicros);
        } else if (frame instanceof DiffEvent d) {
            book(d.pair()).onDiff(d, receiveMicros);
        } else if (frame instanceof Subscribed s && s.subscribed()
                && s.channel().startsWith(BitstampSymbols.DIFF_BOOK_PREFIX)) {
            book(s.channel().substring(BitstampSymbols.DIFF_BOOK_PREFIX.length())).onSubscribed(receiveMicros);
        } else if (frame instanceof VenueError err) {
            listener.onRejected(new RejectedFrame(VENUE, text, "venue error on channel '" + err.channel() + "': "
                    + err.message(), "VenueError", receiveMicros));
        }
    }

    private void trade(TradeEvent t, long receiveMicros) {
        String canonical = BitstampSymbols.canonicalOrPair(t.pair());
        Long last = lastTradeIds.get(t.pair());
        if (last != null && t.id() <= last) {
            Instant now = Micros.toInstant(receiveMicros);
            listener.onFeedStatus(new FeedStatus(VENUE, canonical, t.pair(), now, now, FeedState.GAP,
                    "trade " + t.id() + " of " + t.pair() + " arrived after trade " + last + " (out of order or"
                    + " repeated)", BitstampAdapter.TRADES_CHANNEL, Long.toString(t.id()), Long.toString(t.id())));
            return;
        }
        lastTradeIds.put(t.pair(), t.id());
        listener.onTrade(new Trade(VENUE, canonical, t.pair(), Micros.toInstant(t.microtimestamp()),
                Micros.toInstant(receiveMicros), Long.toString(t.id()), t.price(), t.amount(),
                t.takerSells() ? Side.SELL : Side.BUY));
    }

    private BitstampBookSync book(String pair) {
        return books.computeIfAbsent(pair, s -> new BitstampBookSync(VENUE, BitstampSymbols.canonicalOrPair(s), s,
                snapshotInterval, p -> {
                    Deque<BookSnapshot> q = snapshots.get(p);
                    return q == null ? null : q.pollFirst();
                }, new BitstampBookSync.Output() {
                    @Override
                    public void book(BookUpdate update) {
                        listener.onBook(update);
                    }

                    @Override
                    public void quote(Quote quote) {
                        listener.onQuote(quote);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        Instant now = Micros.toInstant(Micros.now());
                        listener.onFeedStatus(new FeedStatus(VENUE, BitstampSymbols.canonicalOrPair(s), s, now, now,
                                state, detail, BitstampBookSync.channel(), fromId, toId));
                    }
                }));
    }

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
}
