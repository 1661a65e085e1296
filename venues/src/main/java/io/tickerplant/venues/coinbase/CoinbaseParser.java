package io.tickerplant.venues.coinbase;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coinbase Advanced Trade market-data messages ({@code wss://advanced-trade-ws.coinbase.com}), read with Jackson's
 * streaming parser in one pass and in any field order: every message is {@code {channel, client_id, timestamp,
 * sequence_num, events:[...]}}, and the events of each channel are told apart by the arrays they carry
 * ({@code trades}, {@code tickers}, {@code updates}, {@code subscriptions}, {@code heartbeat_counter}), so nothing
 * needs the channel name before the events are read. Channels tickerplant does not use (candles, status,
 * ticker_batch) still yield a {@link Message}, because their {@code sequence_num} counts on the connection too.
 *
 * <p>Prices and sizes are decimal strings, kept exactly. A frame that does not fit is a {@link MalformedFrameException}
 * naming the field and the value. Frames of the legacy Coinbase Exchange feed ({@code {"type":"l2update",...}},
 * no {@code channel}) are rejected as such. Stateless, so one instance may be shared by one thread at a time.
 */
public final class CoinbaseParser {

    private static final JsonFactory JSON = new JsonFactory();

    /** A frame that cannot be turned into events; the message says which field and what value. */
    public static final class MalformedFrameException extends Exception {
        public MalformedFrameException(String message) {
            super(message, null, false, false);
        }
    }

    /** What a frame is. */
    public sealed interface Frame permits Message, VenueError {
    }

    /** {@code {"type":"error","message":...}}: the venue refused a request. */
    public record VenueError(String message) implements Frame {
    }

    /**
     * One channel message.
     *
     * @param channel {@code market_trades}, {@code ticker}, {@code l2_data}, {@code heartbeats},
     *     {@code subscriptions}, or another channel whose events are skipped
     * @param sequence {@code sequence_num}: counts every message on the connection, across channels
     * @param timestampMicros the message's {@code timestamp}, epoch microseconds
     */
    public record Message(String channel, long sequence, long timestampMicros, List<Event> events) implements Frame {
    }

    /**
     * One element of {@code events}; which lists are filled depends on the channel.
     *
     * @param type {@code snapshot} or {@code update} (null for heartbeats and subscriptions)
     * @param productId for l2_data events; trades and tickers carry their own
     * @param heartbeatCounter for heartbeats, else -1
     * @param subscriptions for the subscriptions channel: channel to product ids, else null
     */
    public record Event(String type, String productId, List<TradeItem> trades, List<TickerItem> tickers,
                        List<BookLevel> bids, List<BookLevel> asks, long lastEventTimeMicros, long heartbeatCounter,
                        Map<String, List<String>> subscriptions) {

        public boolean isSnapshot() {
            return "snapshot".equals(type);
        }
    }

    /**
     * One market trade as sent.
     *
     * @param side the wire's {@code side}, {@code BUY} or {@code SELL}: the <em>maker's</em> side (see
     *     {@link #takerBuys()})
     */
    public record TradeItem(String productId, String tradeId, Decimal price, Decimal size, long timeMicros,
                            String side) {

        /**
         * True when the aggressor bought. Coinbase's {@code side} is the resting (maker) order's side, as on the
         * legacy Exchange feed's {@code match} ("the side field indicates the maker order side"): in real
         * recordings, SELL trades print at the best ask and BUY trades at the best bid. So SELL means a taker
         * lifted the ask.
         */
        public boolean takerBuys() {
            return "SELL".equals(side);
        }

        /** The trade id as a number, or -1 when it is not one (trade ids of spot products are integers). */
        public long numericId() {
            return CoinbaseParser.numericId(tradeId);
        }
    }

    /** The best bid and offer of one product, from a {@code ticker} event. */
    public record TickerItem(String productId, Decimal price, Decimal bidPrice, Decimal bidSize, Decimal askPrice,
                             Decimal askSize) {
    }

    /** Parses one websocket frame. */
    public Frame parse(String text) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("not a JSON object");
            }
            String channel = null;
            String type = null;
            String message = null;
            long sequence = Long.MIN_VALUE;
            long timestamp = Long.MIN_VALUE;
            List<Event> events = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "channel" -> channel = string(p, v, "channel");
                    case "sequence_num" -> sequence = integer(p, v, "sequence_num");
                    case "timestamp" -> timestamp = time(p, v, "timestamp");
                    case "events" -> events = events(p, v);
                    case "type" -> type = v == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
                    case "message" -> message = v == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("not a single JSON object");
            }
            if (channel == null) {
                if ("error".equals(type)) {
                    return new VenueError(message == null ? "(no message)" : message);
                }
                if (type != null) {
                    throw new MalformedFrameException("legacy Coinbase Exchange feed message type '" + type
                            + "'; tickerplant speaks Advanced Trade (messages with channel and events)");
                }
                throw new MalformedFrameException("field 'channel' is missing");
            }
            require(sequence != Long.MIN_VALUE, "sequence_num");
            require(timestamp != Long.MIN_VALUE, "timestamp");
            require(events != null, "events");
            if (sequence < 0) {
                throw new MalformedFrameException("field 'sequence_num' is negative: " + sequence);
            }
            return new Message(channel, sequence, timestamp, events);
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame: " + e.getMessage());
        }
    }

    /**
     * Parses a {@code GET /api/v3/brokerage/market/products/{id}/ticker} answer: its {@code trades}, newest first
     * as the venue sends them.
     */
    public List<TradeItem> parseRestTrades(String body) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("ticker answer is not a JSON object");
            }
            List<TradeItem> trades = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("trades")) {
                    trades = trades(p, v, "trades");
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new MalformedFrameException("ticker answer is not a single JSON object");
            }
            require(trades != null, "trades");
            return trades;
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    private static List<Event> events(JsonParser p, JsonToken v) throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field 'events' is not an array: " + shown(p, v));
        }
        List<Event> out = new ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            out.add(event(p, "events[" + out.size() + "]"));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field 'events' is not an array of objects");
        }
        return out;
    }

    private static Event event(JsonParser p, String at) throws IOException, MalformedFrameException {
        String type = null;
        String productId = null;
        List<TradeItem> trades = List.of();
        List<TickerItem> tickers = List.of();
        List<BookLevel> bids = List.of();
        List<BookLevel> asks = List.of();
        long[] lastEventTime = {Long.MIN_VALUE};
        long counter = -1;
        Map<String, List<String>> subscriptions = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "type" -> type = string(p, v, at + ".type");
                case "product_id" -> productId = string(p, v, at + ".product_id");
                case "trades" -> trades = trades(p, v, at + ".trades");
                case "tickers" -> tickers = tickers(p, v, at + ".tickers");
                case "updates" -> {
                    bids = new ArrayList<>();
                    asks = new ArrayList<>();
                    levels(p, v, at + ".updates", bids, asks, lastEventTime);
                }
                case "heartbeat_counter" -> counter = counter(p, v, at + ".heartbeat_counter");
                case "subscriptions" -> subscriptions = subscriptions(p, v, at + ".subscriptions");
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedFrameException("field '" + at + "' is not an object");
        }
        return new Event(type, productId, trades, tickers, bids, asks, lastEventTime[0], counter, subscriptions);
    }

    private static List<TradeItem> trades(JsonParser p, JsonToken v, String at)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + at + "' is not an array: " + shown(p, v));
        }
        List<TradeItem> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String here = at + "[" + out.size() + "]";
            String productId = null;
            String tradeId = null;
            Decimal price = null;
            Decimal size = null;
            long time = Long.MIN_VALUE;
            String side = null;
            JsonToken ft;
            while ((ft = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                switch (f) {
                    case "product_id" -> productId = string(p, fv, here + ".product_id");
                    case "trade_id" -> tradeId = string(p, fv, here + ".trade_id");
                    case "price" -> price = decimal(p, fv, here + ".price", true);
                    case "size" -> size = decimal(p, fv, here + ".size", true);
                    case "time" -> time = time(p, fv, here + ".time");
                    case "side" -> {
                        side = string(p, fv, here + ".side");
                        if (!side.equals("BUY") && !side.equals("SELL")) {
                            throw new MalformedFrameException("field '" + here + ".side' is neither BUY nor SELL: '"
                                    + side + "'");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (ft != JsonToken.END_OBJECT) {
                throw new MalformedFrameException("field '" + here + "' is not an object");
            }
            require(productId != null, here + ".product_id");
            require(tradeId != null && !tradeId.isEmpty(), here + ".trade_id");
            require(price != null, here + ".price");
            require(size != null, here + ".size");
            require(time != Long.MIN_VALUE, here + ".time");
            require(side != null, here + ".side");
            out.add(new TradeItem(productId, tradeId, price, size, time, side));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + at + "' is not an array of trade objects");
        }
        return out;
    }

    private static List<TickerItem> tickers(JsonParser p, JsonToken v, String at)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + at + "' is not an array: " + shown(p, v));
        }
        List<TickerItem> out = new ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String here = at + "[" + out.size() + "]";
            String productId = null;
            Decimal price = null;
            Decimal bid = null;
            Decimal bidQty = null;
            Decimal ask = null;
            Decimal askQty = null;
            JsonToken ft;
            while ((ft = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                switch (f) {
                    case "product_id" -> productId = string(p, fv, here + ".product_id");
                    case "price" -> price = decimal(p, fv, here + ".price", true);
                    case "best_bid" -> bid = decimal(p, fv, here + ".best_bid", false);
                    case "best_bid_quantity" -> bidQty = decimal(p, fv, here + ".best_bid_quantity", false);
                    case "best_ask" -> ask = decimal(p, fv, here + ".best_ask", false);
                    case "best_ask_quantity" -> askQty = decimal(p, fv, here + ".best_ask_quantity", false);
                    default -> p.skipChildren();
                }
            }
            if (ft != JsonToken.END_OBJECT) {
                throw new MalformedFrameException("field '" + here + "' is not an object");
            }
            require(productId != null, here + ".product_id");
            require(bid != null, here + ".best_bid");
            require(bidQty != null, here + ".best_bid_quantity");
            require(ask != null, here + ".best_ask");
            require(askQty != null, here + ".best_ask_quantity");
            out.add(new TickerItem(productId, price, bid, bidQty, ask, askQty));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + at + "' is not an array of ticker objects");
        }
        return out;
    }

    /** {@code [{side, event_time, price_level, new_quantity}, ...]}; side {@code bid} or {@code offer}. */
    private static void levels(JsonParser p, JsonToken v, String at, List<BookLevel> bids, List<BookLevel> asks,
                               long[] lastEventTime) throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + at + "' is not an array: " + shown(p, v));
        }
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String here = at + "[" + i++ + "]";
            String side = null;
            Decimal price = null;
            Decimal qty = null;
            JsonToken ft;
            while ((ft = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                switch (f) {
                    case "side" -> side = string(p, fv, here + ".side");
                    case "price_level" -> price = decimal(p, fv, here + ".price_level", true);
                    case "new_quantity" -> qty = decimal(p, fv, here + ".new_quantity", false);
                    case "event_time" -> lastEventTime[0] = Math.max(lastEventTime[0], time(p, fv,
                            here + ".event_time"));
                    default -> p.skipChildren();
                }
            }
            if (ft != JsonToken.END_OBJECT) {
                throw new MalformedFrameException("field '" + here + "' is not an object");
            }
            require(side != null, here + ".side");
            require(price != null, here + ".price_level");
            require(qty != null, here + ".new_quantity");
            switch (side) {
                case "bid" -> bids.add(new BookLevel(price, qty));
                case "offer", "ask" -> asks.add(new BookLevel(price, qty));
                default -> throw new MalformedFrameException("field '" + here + ".side' is neither bid nor offer: '"
                        + side + "'");
            }
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + at + "' is not an array of level objects");
        }
    }

    private static Map<String, List<String>> subscriptions(JsonParser p, JsonToken v, String at)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_OBJECT) {
            throw new MalformedFrameException("field '" + at + "' is not an object: " + shown(p, v));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String channel = p.currentName();
            JsonToken lv = p.nextToken();
            List<String> products = new ArrayList<>();
            if (lv == JsonToken.START_ARRAY) {
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    products.add(string(p, e, at + "." + channel));
                }
            } else {
                p.skipChildren();
            }
            out.put(channel, products);
        }
        return out;
    }

    /** Production sends an integer, the prose docs a string: both are accepted. */
    private static long counter(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v == JsonToken.VALUE_STRING) {
            long n = numericId(p.getText());
            if (n < 0) {
                throw new MalformedFrameException("field '" + field + "' is not a counter: '" + p.getText() + "'");
            }
            return n;
        }
        return integer(p, v, field);
    }

    /** A non-negative decimal integer without sign or spaces, or -1. */
    static long numericId(String s) {
        int n = s.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void require(boolean present, String field) throws MalformedFrameException {
        if (!present) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
    }

    private static String skipped(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private static String string(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a string: " + shown(p, v));
        }
        return p.getText();
    }

    private static long integer(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedFrameException("field '" + field + "' is not an integer: " + shown(p, v));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new MalformedFrameException("field '" + field + "' is out of range: " + p.getText());
        }
        return p.getLongValue();
    }

    private static long time(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a time string: " + shown(p, v));
        }
        String text = p.getText();
        long micros = CoinbaseTime.parseMicros(text);
        if (micros == Long.MIN_VALUE) {
            throw new MalformedFrameException("field '" + field + "' is not an RFC 3339 UTC time: '" + text + "'");
        }
        return micros;
    }

    /** @param positive true: must be above zero (prices, trade sizes); false: zero allowed (a removed level) */
    private static Decimal decimal(JsonParser p, JsonToken v, String field, boolean positive)
            throws IOException, MalformedFrameException {
        // Coinbase sends decimals as strings, exactly; a bare JSON number would mean the format changed.
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal string: " + shown(p, v));
        }
        String text = p.getText();
        Decimal d;
        try {
            d = Decimals.parse(text);
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal: '" + text + "'");
        }
        if (positive ? d.getUnscaled() <= 0 : d.getUnscaled() < 0) {
            throw new MalformedFrameException("field '" + field + "' is " + (positive ? "not positive" : "negative")
                    + ": '" + text + "'");
        }
        return d;
    }

    private static String shown(JsonParser p, JsonToken v) throws IOException {
        if (v == null) {
            return "end of input";
        }
        if (v.isStructStart()) {
            p.skipChildren();
            return v == JsonToken.START_OBJECT ? "an object" : "an array";
        }
        return v == JsonToken.VALUE_STRING ? "'" + p.getText() + "'" : p.getText();
    }
}
