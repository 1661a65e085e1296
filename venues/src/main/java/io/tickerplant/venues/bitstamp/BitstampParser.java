package io.tickerplant.venues.bitstamp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Bitstamp websocket API v2 frames with Jackson's streaming parser: {@code trade} events of
 * {@code live_trades_<pair>}, {@code data} events of {@code diff_order_book_<pair>}, the control events
 * {@code bts:subscription_succeeded}, {@code bts:unsubscription_succeeded}, {@code bts:heartbeat},
 * {@code bts:request_reconnect} and {@code bts:error}; and the REST answers of {@code GET /api/v2/order_book/<pair>/}
 * and {@code GET /api/v2/transactions/<pair>/}.
 *
 * <p>Bitstamp sends {@code data} before {@code event} and {@code channel}, so the data fields are read into one
 * holder first and interpreted once the whole object is known. Prices and sizes come from the exact strings
 * ({@code price_str}, {@code amount_str}, the level arrays); a frame with only the float fields ({@code price},
 * {@code amount}) is read from the number's literal text, never through a double.
 *
 * <p>A frame that is not what Bitstamp documents fails with {@link MalformedFrameException} whose message names
 * the field and what was wrong with it. Stateless and thread-safe.
 */
public final class BitstampParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();

    /** A frame the adapter cannot use, with a one-line reason. */
    public static final class MalformedFrameException extends Exception {
        public MalformedFrameException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a frame turned out to be. */
    public sealed interface Frame permits TradeEvent, DiffEvent, Subscribed, Heartbeat, ReconnectRequest, VenueError {
    }

    /**
     * One trade of {@code live_trades_<pair>}.
     *
     * @param takerSells Bitstamp's {@code type}: 0 a buy, 1 a sell, from the taker's side
     * @param microtimestamp trade time, epoch microseconds
     */
    public record TradeEvent(String pair, long id, Decimal price, Decimal amount, boolean takerSells,
                             long microtimestamp) implements Frame {
    }

    /** One change set of {@code diff_order_book_<pair>}: levels with their new size, zero removes a level. */
    public record DiffEvent(String pair, long microtimestamp, List<BookLevel> bids, List<BookLevel> asks)
            implements Frame {
    }

    /** {@code bts:subscription_succeeded} (subscribed true) or {@code bts:unsubscription_succeeded}. */
    public record Subscribed(String channel, boolean subscribed) implements Frame {
    }

    /** The answer to the client's {@code bts:heartbeat}. */
    public record Heartbeat(String status) implements Frame {
    }

    /** {@code bts:request_reconnect}: the venue asks the client to reconnect (maintenance, rebalancing). */
    public record ReconnectRequest() implements Frame {
    }

    /** {@code bts:error}, e.g. a bad subscription string. */
    public record VenueError(String channel, String code, String message) implements Frame {
    }

    /** A {@code GET /api/v2/order_book/<pair>/} answer: the book as of {@code microtimestamp}. */
    public record BookSnapshot(long microtimestamp, List<BookLevel> bids, List<BookLevel> asks) {
    }

    /** One row of {@code GET /api/v2/transactions/<pair>/}: {@code date} is in whole seconds. */
    public record Transaction(long tid, long dateSeconds, Decimal price, Decimal amount, boolean takerSells) {
    }

    /** Parses one websocket frame. */
    public Frame parse(String frame) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("frame is not a JSON object");
            }
            String event = null;
            String channel = null;
            Fields data = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "event" -> event = string(p, v, "event");
                    case "channel" -> channel = string(p, v, "channel");
                    case "data" -> {
                        if (v == JsonToken.START_OBJECT) {
                            data = new Fields();
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                data.read(p, p.nextToken(), f);
                            }
                        } else {
                            // bts:request_reconnect carries "data": ""; nothing to read.
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("frame is not a single JSON object");
            }
            if (event == null) {
                throw new MalformedFrameException("field 'event' is missing");
            }
            return switch (event) {
                case "trade" -> trade(channel, data);
                case "data" -> diff(channel, data);
                case "bts:subscription_succeeded" -> new Subscribed(require(channel, "channel"), true);
                case "bts:unsubscription_succeeded" -> new Subscribed(require(channel, "channel"), false);
                case "bts:heartbeat" -> new Heartbeat(data == null ? null : data.status);
                case "bts:request_reconnect" -> new ReconnectRequest();
                case "bts:error" -> new VenueError(channel, data == null ? null : data.code,
                        data == null ? null : data.message);
                default -> throw new MalformedFrameException("field 'event' is '" + event
                        + "', not a Bitstamp v2 event the adapter uses");
            };
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame: " + e.getMessage());
        }
    }

    private static TradeEvent trade(String channel, Fields d) throws MalformedFrameException {
        String pair = pair(channel, BitstampSymbols.TRADES_PREFIX, "trade");
        if (d == null) {
            throw new MalformedFrameException("field 'data' is missing or not an object");
        }
        require(d.id != Long.MIN_VALUE, "data.id");
        Decimal price = require(d.priceStr != null ? d.priceStr : d.price, "data.price_str");
        Decimal amount = require(d.amountStr != null ? d.amountStr : d.amount, "data.amount_str");
        positive(price, "data.price_str");
        positive(amount, "data.amount_str");
        require(d.type != Integer.MIN_VALUE, "data.type");
        if (d.type != 0 && d.type != 1) {
            throw new MalformedFrameException("field 'data.type' is " + d.type + "; expected 0 (buy) or 1 (sell)");
        }
        return new TradeEvent(pair, d.id, price, amount, d.type == 1, time(d, "data.microtimestamp"));
    }

    private static DiffEvent diff(String channel, Fields d) throws MalformedFrameException {
        String pair = pair(channel, BitstampSymbols.DIFF_BOOK_PREFIX, "data");
        if (d == null) {
            throw new MalformedFrameException("field 'data' is missing or not an object");
        }
        require(d.bids != null, "data.bids");
        require(d.asks != null, "data.asks");
        return new DiffEvent(pair, time(d, "data.microtimestamp"), d.bids, d.asks);
    }

    private static long time(Fields d, String field) throws MalformedFrameException {
        if (d.microtimestamp != Long.MIN_VALUE) {
            return d.microtimestamp;
        }
        if (d.timestamp != Long.MIN_VALUE) {
            // Older frames carry only whole seconds.
            return d.timestamp * 1_000_000L;
        }
        throw new MalformedFrameException("field '" + field + "' is missing");
    }

    private static String pair(String channel, String prefix, String event) throws MalformedFrameException {
        if (channel == null) {
            throw new MalformedFrameException("field 'channel' is missing");
        }
        if (!channel.startsWith(prefix) || channel.length() == prefix.length()) {
            throw new MalformedFrameException("field 'channel' is '" + channel + "'; a '" + event
                    + "' event is expected on " + prefix + "<pair> only");
        }
        return channel.substring(prefix.length());
    }

    /** Parses a {@code GET /api/v2/order_book/<pair>/} answer. */
    public BookSnapshot parseOrderBook(String body) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("order_book answer is not a JSON object");
            }
            Fields d = new Fields();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                d.read(p, p.nextToken(), f);
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("order_book answer is not a single JSON object");
            }
            require(d.bids != null, "bids");
            require(d.asks != null, "asks");
            return new BookSnapshot(time(d, "microtimestamp"), d.bids, d.asks);
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    /** Parses a {@code GET /api/v2/transactions/<pair>/} answer (newest first, as Bitstamp sends it). */
    public List<Transaction> parseTransactions(String body) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedFrameException("transactions answer is not a JSON array");
            }
            List<Transaction> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                Fields d = new Fields();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    d.read(p, p.nextToken(), f);
                }
                require(d.tid != Long.MIN_VALUE, "tid");
                require(d.date != Long.MIN_VALUE, "date");
                Decimal price = require(d.price, "price");
                Decimal amount = require(d.amount, "amount");
                positive(price, "price");
                positive(amount, "amount");
                if (d.type != 0 && d.type != 1) {
                    throw new MalformedFrameException("field 'type' is " + (d.type == Integer.MIN_VALUE ? "missing"
                            : d.type) + "; expected 0 (buy) or 1 (sell)");
                }
                out.add(new Transaction(d.tid, d.date, price, amount, d.type == 1));
            }
            if (t != JsonToken.END_ARRAY || p.nextToken() != null) {
                throw new MalformedFrameException("transactions answer is not an array of objects");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    /** Every field any Bitstamp payload has, read in any order. */
    private static final class Fields {
        long id = Long.MIN_VALUE;
        long tid = Long.MIN_VALUE;
        long date = Long.MIN_VALUE;
        long timestamp = Long.MIN_VALUE;
        long microtimestamp = Long.MIN_VALUE;
        Decimal price;
        Decimal priceStr;
        Decimal amount;
        Decimal amountStr;
        int type = Integer.MIN_VALUE;
        List<BookLevel> bids;
        List<BookLevel> asks;
        String status;
        String code;
        String message;

        void read(JsonParser p, JsonToken v, String name) throws IOException, MalformedFrameException {
            switch (name) {
                case "id" -> id = integer(p, v, "id");
                case "tid" -> tid = integer(p, v, "tid");
                case "date" -> date = integer(p, v, "date");
                case "timestamp" -> timestamp = integer(p, v, "timestamp");
                case "microtimestamp" -> microtimestamp = integer(p, v, "microtimestamp");
                case "price" -> price = decimal(p, v, "price");
                case "price_str" -> priceStr = decimal(p, v, "price_str");
                case "amount" -> amount = decimal(p, v, "amount");
                case "amount_str" -> amountStr = decimal(p, v, "amount_str");
                case "type" -> type = (int) integer(p, v, "type");
                case "bids" -> bids = levels(p, v, "bids");
                case "asks" -> asks = levels(p, v, "asks");
                case "status" -> status = text(p, v);
                case "code" -> code = text(p, v);
                case "message" -> message = text(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static void require(boolean present, String field) throws MalformedFrameException {
        if (!present) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
    }

    private static <T> T require(T value, String field) throws MalformedFrameException {
        if (value == null) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
        return value;
    }

    private static void positive(Decimal d, String field) throws MalformedFrameException {
        if (d.getUnscaled() <= 0) {
            throw new MalformedFrameException("field '" + field + "' is not positive: '"
                    + Decimals.toPlainString(d) + "'");
        }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isStructStart()) {
            p.skipChildren();
            return "(structure)";
        }
        return p.getText();
    }

    private static String string(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a string: " + shown(p, v));
        }
        return p.getText();
    }

    /** An integer, as a JSON number or as a string of digits ({@code "microtimestamp": "1641343699596000"}). */
    private static long integer(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new MalformedFrameException("field '" + field + "' is out of range: " + p.getText());
            }
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new MalformedFrameException("field '" + field + "' is not an integer: '" + s + "'");
            }
        }
        throw new MalformedFrameException("field '" + field + "' is not an integer: " + shown(p, v));
    }

    /** A decimal from a string, or from a JSON number's literal text (exact: no double on the way). */
    private static Decimal decimal(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal: " + shown(p, v));
        }
        String text = p.getText();
        Decimal d;
        try {
            d = Decimals.parse(text);
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal: '" + text + "'");
        }
        if (d.getUnscaled() < 0) {
            throw new MalformedFrameException("field '" + field + "' is negative: '" + text + "'");
        }
        return d;
    }

    /** {@code [["price","size"],...]}; Bitstamp's detail book adds an order id after the size, which is skipped. */
    private static List<BookLevel> levels(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of levels: " + shown(p, v));
        }
        List<BookLevel> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
            String at = field + "[" + out.size() + "]";
            Decimal price = decimal(p, p.nextToken(), at + " price");
            if (price.getUnscaled() == 0) {
                throw new MalformedFrameException("field '" + at + " price' is not positive: '"
                        + Decimals.toPlainString(price) + "'");
            }
            Decimal size = decimal(p, p.nextToken(), at + " size");
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedFrameException("field '" + field + "' ends early");
                }
                p.skipChildren();
            }
            out.add(new BookLevel(price, size));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of [price, size] arrays");
        }
        return out;
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
