package io.tickerplant.venues.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.kraken.KrakenParser.Book;
import io.tickerplant.venues.kraken.KrakenParser.BookData;
import io.tickerplant.venues.kraken.KrakenParser.Frame;
import io.tickerplant.venues.kraken.KrakenParser.Instruments;
import io.tickerplant.venues.kraken.KrakenParser.MalformedFrameException;
import io.tickerplant.venues.kraken.KrakenParser.Precision;
import io.tickerplant.venues.kraken.KrakenParser.Ticker;
import io.tickerplant.venues.kraken.KrakenParser.TradeEvent;
import io.tickerplant.venues.kraken.KrakenParser.Trades;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded Kraken frames through the adapter's own parser and book sync, without a network. Both websocket
 * protocols are read:
 *
 * <ul>
 *   <li><b>v2</b> ({@code wss://ws.kraken.com/v2}, what the live adapter speaks): object frames, parsed by
 *       {@link KrakenParser}; precisions from recorded {@code instrument} frames, the book depth from the recorded
 *       subscribe request (Kraken's default 10 without one).</li>
 *   <li><b>v1</b> ({@code wss://ws.kraken.com}, older recordings): array frames
 *       {@code [channelID, payload..., channelName, pair]} of the {@code trade}, {@code ticker} and
 *       {@code book-N} channels. The v1 book checksum (updates only) is the same CRC32 as v2, but over the digits
 *       as sent ({@code 354.15000000}), not formatted to the pair's {@code pair_decimals} from REST
 *       {@code AssetPairs}: that is what 4269 recorded v1 checksums of 2021 match. v1 trades carry no trade id: the id is made of the
 *       trade's time and its index in the frame ({@code 1618678133.365913-0}), which is unique within a recording.</li>
 * </ul>
 *
 * A book whose checksum fails cannot be resubscribed in a replay: it reports the GAP and waits for the next
 * recorded snapshot. Not thread-safe.
 */
public final class KrakenReplayer implements VenueReplayer {

    private static final String VENUE = Venue.KRAKEN.name();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Kraken's default v2 book depth, when the recording holds no subscribe request naming one. */
    private static final int DEFAULT_V2_DEPTH = 10;

    private final VenueEventListener listener;
    private final int snapshotInterval;
    private final KrakenParser parser = new KrakenParser();
    private final Map<String, KrakenBookSync> books = new HashMap<>();
    private final Map<String, Precision> precisions = new HashMap<>();
    private final Map<String, Integer> unsynced = new HashMap<>();
    private final Map<String, Long> lastTradeIds = new HashMap<>();
    private int v2Depth = DEFAULT_V2_DEPTH;

    /** @param snapshotInterval deltas between periodic book snapshots; 0 for the default */
    public KrakenReplayer(VenueEventListener listener, int snapshotInterval) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.snapshotInterval = snapshotInterval > 0 ? snapshotInterval
                : AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL;
    }

    @Override
    public void onMessage(CapturedMessage m) {
        switch (m.kind()) {
            case RECEIVED -> onFrame(m.text(), m.receiveMicros());
            case SENT -> onSent(m.text());
            default -> {
                // Connections carry no market data; REST answers (AssetPairs) are not needed (see above).
            }
        }
    }

    private void onSent(String text) {
        // The depth of a recorded v2 book subscription decides where the book is truncated.
        try {
            JsonNode n = JSON.readTree(text);
            JsonNode params = n.path("params");
            if ("subscribe".equals(n.path("method").asText()) && "book".equals(params.path("channel").asText())
                    && params.path("depth").isInt()) {
                v2Depth = params.path("depth").asInt();
            }
        } catch (Exception e) {
            // A sent frame that is not JSON says nothing about the book.
        }
    }

    /** One recorded websocket frame, v1 or v2. */
    public void onFrame(String text, long receiveMicros) {
        String t = text.stripLeading();
        if (t.startsWith("[")) {
            onV1(text, receiveMicros);
        } else if (t.startsWith("{\"event\"") || t.contains("\"event\":")) {
            // v1 control messages: heartbeat, systemStatus, subscriptionStatus, pong.
            onV1Event(text, receiveMicros);
        } else {
            onV2(text, receiveMicros);
        }
    }

    private void onV2(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), receiveMicros);
            return;
        }
        if (frame instanceof Trades trades) {
            for (TradeEvent e : trades.trades()) {
                Long last = lastTradeIds.get(e.symbol());
                if (last != null && e.tradeId() <= last) {
                    continue;
                }
                if (last != null && e.tradeId() > last + 1) {
                    status(e.symbol(), FeedState.GAP, "trades " + (last + 1) + ".." + (e.tradeId() - 1)
                            + " of " + e.symbol() + " not in the recording", "trades", Long.toString(last + 1),
                            Long.toString(e.tradeId() - 1));
                }
                lastTradeIds.put(e.symbol(), e.tradeId());
                trade(e.symbol(), Long.toString(e.tradeId()), e.price(), e.qty(),
                        e.side() == KrakenParser.TakerSide.BUY ? Side.BUY : Side.SELL, e.timeMicros(), receiveMicros);
            }
        } else if (frame instanceof Ticker q) {
            quote(q.symbol(), q.bid(), q.bidQty(), q.ask(), q.askQty(), q.timeMicros(), receiveMicros);
        } else if (frame instanceof Book b) {
            for (BookData d : b.books()) {
                KrakenBookSync sync = book(d.symbol(), v2Depth, false);
                if (b.snapshot()) {
                    sync.onSnapshot(d.bids(), d.asks(), d.checksum(), d.timeMicros(), receiveMicros);
                } else {
                    onUpdate(d.symbol(), sync, d.bids(), d.asks(), d.checksum(), d.timeMicros(), receiveMicros);
                }
            }
        } else if (frame instanceof Instruments i) {
            precisions.putAll(i.pairs());
            i.pairs().forEach((s, p) -> {
                KrakenBookSync sync = books.get(s);
                if (sync != null) {
                    sync.precision(p);
                }
            });
        }
    }

    private void onV1Event(String text, long receiveMicros) {
        try {
            JsonNode n = JSON.readTree(text);
            String event = n.path("event").asText("");
            switch (event) {
                case "heartbeat", "systemStatus", "subscriptionStatus", "pong" -> {
                    if (event.equals("subscriptionStatus") && "error".equals(n.path("status").asText())) {
                        reject(text, "v1 subscription error: " + n.path("errorMessage").asText(), receiveMicros);
                    }
                }
                default -> reject(text, "v1 event '" + event + "' is not a market-data message", receiveMicros);
            }
        } catch (Exception e) {
            reject(text, "not valid JSON: " + e.getMessage(), receiveMicros);
        }
    }

    /** {@code [channelID, payload..., channelName, pair]}. */
    private void onV1(String text, long receiveMicros) {
        try {
            JsonNode n = JSON.readTree(text);
            int size = n.size();
            if (size < 4 || !n.get(size - 1).isTextual() || !n.get(size - 2).isTextual()) {
                throw new MalformedFrameException("v1 frame is not [channelID, payload, channelName, pair]");
            }
            String pair = n.get(size - 1).asText();
            String channel = n.get(size - 2).asText();
            if (channel.equals("trade")) {
                v1Trades(pair, n.get(1), receiveMicros);
            } else if (channel.equals("ticker")) {
                JsonNode p = n.get(1);
                quote(pair, v1Decimal(p.path("b").path(0), "b[0]"), v1Decimal(p.path("b").path(2), "b[2]"),
                        v1Decimal(p.path("a").path(0), "a[0]"), v1Decimal(p.path("a").path(2), "a[2]"), -1,
                        receiveMicros);
            } else if (channel.startsWith("book-")) {
                v1Book(pair, Integer.parseInt(channel.substring(5)), n, receiveMicros);
            } else {
                throw new MalformedFrameException("v1 channel '" + channel + "' is not replayed (trade, ticker and"
                        + " book-N are)");
            }
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), receiveMicros);
        } catch (Exception e) {
            reject(text, "unreadable v1 frame: " + e.getMessage(), receiveMicros);
        }
    }

    private void v1Trades(String pair, JsonNode trades, long receiveMicros) throws MalformedFrameException {
        if (!trades.isArray()) {
            throw new MalformedFrameException("v1 trade payload is not an array");
        }
        int index = 0;
        for (JsonNode t : trades) {
            String at = "trade[" + index + "]";
            Decimal price = v1Decimal(t.path(0), at + " price");
            Decimal volume = v1Decimal(t.path(1), at + " volume");
            String time = t.path(2).asText("");
            long micros = v1Time(time, at);
            String side = t.path(3).asText("");
            if (!side.equals("b") && !side.equals("s")) {
                throw new MalformedFrameException("field '" + at + " side' is '" + side + "', expected b or s");
            }
            trade(pair, time + "-" + index, price, volume, side.equals("b") ? Side.BUY : Side.SELL, micros,
                    receiveMicros);
            index++;
        }
    }

    private void v1Book(String pair, int depth, JsonNode n, long receiveMicros) throws MalformedFrameException {
        KrakenBookSync sync = book(pair, depth, true);
        List<BookLevel> bids = new ArrayList<>();
        List<BookLevel> asks = new ArrayList<>();
        boolean snapshot = false;
        long checksum = KrakenBookSync.NO_CHECKSUM;
        long latest = -1;
        for (int i = 1; i < n.size() - 2; i++) {
            JsonNode d = n.get(i);
            if (!d.isObject()) {
                throw new MalformedFrameException("v1 book payload " + i + " is not an object");
            }
            for (var it = d.fields(); it.hasNext(); ) {
                var e = it.next();
                switch (e.getKey()) {
                    case "as" -> {
                        snapshot = true;
                        latest = Math.max(latest, v1Levels(e.getValue(), "as", asks));
                    }
                    case "bs" -> {
                        snapshot = true;
                        latest = Math.max(latest, v1Levels(e.getValue(), "bs", bids));
                    }
                    case "a" -> latest = Math.max(latest, v1Levels(e.getValue(), "a", asks));
                    case "b" -> latest = Math.max(latest, v1Levels(e.getValue(), "b", bids));
                    case "c" -> {
                        try {
                            checksum = Long.parseLong(e.getValue().asText());
                        } catch (NumberFormatException x) {
                            throw new MalformedFrameException("field 'c' is not a checksum: '"
                                    + e.getValue().asText() + "'");
                        }
                    }
                    default -> {
                        // Unknown keys carry nothing for the book.
                    }
                }
            }
        }
        if (snapshot) {
            sync.onSnapshot(bids, asks, checksum, latest, receiveMicros);
        } else {
            onUpdate(pair, sync, bids, asks, checksum, latest, receiveMicros);
        }
    }

    private void onUpdate(String symbol, KrakenBookSync sync, List<BookLevel> bids, List<BookLevel> asks,
                          long checksum, long eventMicros, long receiveMicros) {
        if (sync.snapshots() == 0) {
            unsynced.merge(symbol, 1, Integer::sum);
        }
        sync.onUpdate(bids, asks, checksum, eventMicros, receiveMicros);
    }

    /** {@code [[price, volume, time(, "r")], ...]} in order; returns the latest level time, epoch micros. */
    private static long v1Levels(JsonNode levels, String field, List<BookLevel> out) throws MalformedFrameException {
        if (!levels.isArray()) {
            throw new MalformedFrameException("field '" + field + "' is not an array of levels");
        }
        long latest = -1;
        int i = 0;
        for (JsonNode l : levels) {
            String at = field + "[" + i++ + "]";
            out.add(new BookLevel(v1Decimal(l.path(0), at + " price"), v1Decimal(l.path(1), at + " volume")));
            latest = Math.max(latest, v1Time(l.path(2).asText(""), at));
        }
        return latest;
    }

    private static Decimal v1Decimal(JsonNode n, String field) throws MalformedFrameException {
        if (!n.isTextual()) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal string: " + n);
        }
        try {
            return Decimals.parse(n.asText());
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal: '" + n.asText() + "'");
        }
    }

    /** v1 times are epoch seconds with microseconds, as text: {@code 1618678133.365913}. */
    private static long v1Time(String s, String field) throws MalformedFrameException {
        try {
            return new BigDecimal(s).movePointRight(6).longValue();
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + " time' is not epoch seconds: '" + s + "'");
        }
    }

    private KrakenBookSync book(String venueSymbol, int depth, boolean v1) {
        return books.computeIfAbsent(venueSymbol, s -> new KrakenBookSync(VENUE, canonical(s), s, depth,
                snapshotInterval, v1 ? null : precisions.get(s), v1, new KrakenBookSync.Output() {
                    @Override
                    public void book(io.tickerplant.model.avro.BookUpdate update) {
                        listener.onBook(update);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        KrakenReplayer.this.status(s, state, detail, KrakenBookSync.channel(), fromId, toId);
                    }

                    @Override
                    public void resubscribe(String why) {
                        // A recording cannot be asked for a new snapshot: the next recorded one resyncs the book.
                    }
                }));
    }

    private void trade(String venueSymbol, String id, Decimal price, Decimal qty, Side side, long eventMicros,
                       long receiveMicros) {
        listener.onTrade(new Trade(VENUE, canonical(venueSymbol), venueSymbol, Micros.toInstant(eventMicros),
                Micros.toInstant(receiveMicros), id, price, qty, side));
    }

    private void quote(String venueSymbol, Decimal bid, Decimal bidQty, Decimal ask, Decimal askQty,
                       long eventMicros, long receiveMicros) {
        Instant receive = Micros.toInstant(receiveMicros);
        listener.onQuote(new Quote(VENUE, canonical(venueSymbol), venueSymbol,
                eventMicros >= 0 ? Micros.toInstant(eventMicros) : receive, receive, bid, bidQty, ask, askQty, null));
    }

    private void status(String venueSymbol, FeedState state, String detail, String channel, String fromId,
                        String toId) {
        Instant now = Micros.toInstant(Micros.now());
        listener.onFeedStatus(new FeedStatus(VENUE, canonical(venueSymbol), venueSymbol, now, now, state, detail,
                channel, fromId, toId));
    }

    private void reject(String raw, String reason, long receiveMicros) {
        listener.onRejected(new RejectedFrame(VENUE, raw, reason, "MalformedFrame", receiveMicros));
    }

    /** Updates of books that had never been synchronized by a snapshot when they arrived, per symbol. */
    @Override
    public Map<String, Integer> unsyncedDiffs() {
        return Map.copyOf(unsynced);
    }

    private static String canonical(String venueSymbol) {
        try {
            return KrakenSymbols.toCanonical(venueSymbol).symbol();
        } catch (IllegalArgumentException e) {
            return venueSymbol;
        }
    }
}
