package io.tickerplant.venues.kraken;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kraken spot websocket v2 frames ({@code wss://ws.kraken.com/v2}) with Jackson's streaming parser: the
 * {@code trade}, {@code ticker}, {@code book}, {@code instrument}, {@code heartbeat} and {@code status} channels and
 * the answers to {@code subscribe}, {@code unsubscribe} and {@code ping}.
 *
 * <p>Kraken v2 sends prices and quantities as JSON <em>numbers</em> carrying the pair's full precision
 * ({@code 0.10000000}); the parser takes the number's literal text, never a double, so the exact digits survive.
 * Strings holding numbers are accepted too. A frame that is not what Kraken documents fails with
 * {@link MalformedFrameException} naming the field and the bad value. Stateless and thread-safe.
 */
public final class KrakenParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();

    /** A frame the adapter cannot use, with a one-line reason. */
    public static final class MalformedFrameException extends Exception {
        public MalformedFrameException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a frame turned out to be. */
    public sealed interface Frame permits Trades, Ticker, Book, Instruments, Heartbeat, Status, MethodAnswer {
    }

    /** Taker side of a trade. */
    public enum TakerSide { BUY, SELL }

    /**
     * One trade.
     *
     * @param tradeId sequence number, unique and contiguous per book
     * @param timeMicros trade time, epoch microseconds
     */
    public record TradeEvent(String symbol, long tradeId, Decimal price, Decimal qty, TakerSide side,
                             long timeMicros) {
    }

    /** A {@code trade} message: the last trades on subscribing ({@code snapshot}), then each new one. */
    public record Trades(boolean snapshot, List<TradeEvent> trades) implements Frame {
    }

    /**
     * A {@code ticker} message: best bid and ask (and more, which is skipped).
     *
     * @param timeMicros {@code timestamp} where sent, else -1 (older frames have none)
     */
    public record Ticker(String symbol, Decimal bid, Decimal bidQty, Decimal ask, Decimal askQty, long timeMicros)
            implements Frame {
    }

    /**
     * One symbol's {@code book} snapshot or update: the levels as sent (qty 0 removes a level), and the CRC32 of the
     * top 10 levels after applying them.
     *
     * @param timeMicros {@code timestamp} (updates), or -1 (snapshots carry none)
     */
    public record BookData(String symbol, List<BookLevel> bids, List<BookLevel> asks, long checksum,
                           long timeMicros) {
    }

    /** A {@code book} message. */
    public record Book(boolean snapshot, List<BookData> books) implements Frame {
    }

    /** Precisions of one pair, from the {@code instrument} channel. */
    public record Precision(int price, int qty) {
        public Precision {
            if (price < 0 || price > 18 || qty < 0 || qty > 18) {
                throw new IllegalArgumentException("precisions out of range: price " + price + ", qty " + qty);
            }
        }
    }

    /** An {@code instrument} message: per v2 symbol ({@code BTC/USD}), its precisions. */
    public record Instruments(boolean snapshot, Map<String, Precision> pairs) implements Frame {
    }

    /** A {@code heartbeat}: about once a second while subscribed. */
    public record Heartbeat() implements Frame {
    }

    /** A {@code status} message: the engine's state ({@code online}, {@code maintenance}, ...). */
    public record Status(String system, String apiVersion) implements Frame {
    }

    /**
     * The answer to a request: {@code subscribe}, {@code unsubscribe}, {@code pong}.
     *
     * @param channel {@code result.channel} where given
     * @param symbol {@code result.symbol} or the top-level {@code symbol} of an error, where given
     * @param error the error text when {@code success} is false
     */
    public record MethodAnswer(String method, boolean success, String channel, String symbol, String error,
                               Long reqId) implements Frame {
    }

    /** Parses one websocket frame. */
    public Frame parse(String frame) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("frame is not a JSON object");
            }
            String channel = null;
            String type = null;
            List<Item> items = null;
            Map<String, Precision> pairs = null;
            String method = null;
            Boolean success = null;
            String error = null;
            String symbol = null;
            Long reqId = null;
            String resultChannel = null;
            String resultSymbol = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "channel" -> channel = string(p, v, "channel");
                    case "type" -> type = string(p, v, "type");
                    case "data" -> {
                        if (v == JsonToken.START_ARRAY) {
                            items = new ArrayList<>(1);
                            while ((v = p.nextToken()) == JsonToken.START_OBJECT) {
                                items.add(Item.read(p, items.size()));
                            }
                            if (v != JsonToken.END_ARRAY) {
                                throw new MalformedFrameException("field 'data' is not an array of objects");
                            }
                        } else if (v == JsonToken.START_OBJECT) {
                            pairs = instrumentData(p);
                        } else {
                            throw new MalformedFrameException("field 'data' is neither an array nor an object: "
                                    + shown(p, v));
                        }
                    }
                    case "method" -> method = string(p, v, "method");
                    case "success" -> success = bool(p, v, "success");
                    case "error" -> error = v.isStructStart() ? skipAndSay(p) : p.getText();
                    case "symbol" -> symbol = v == JsonToken.VALUE_STRING ? p.getText() : skipAndSay(p);
                    case "req_id" -> reqId = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "result" -> {
                        if (v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken rv = p.nextToken();
                                if (f.equals("channel") && rv == JsonToken.VALUE_STRING) {
                                    resultChannel = p.getText();
                                } else if (f.equals("symbol") && rv == JsonToken.VALUE_STRING) {
                                    resultSymbol = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("frame is not a single JSON object");
            }
            if (method != null) {
                if (success == null && !method.equals("pong")) {
                    throw new MalformedFrameException("answer to '" + method + "' has no field 'success'");
                }
                return new MethodAnswer(method, success == null || success, resultChannel,
                        resultSymbol != null ? resultSymbol : symbol, error, reqId);
            }
            if (channel == null) {
                throw new MalformedFrameException("field 'channel' is missing (and it is no answer to a request)");
            }
            return switch (channel) {
                case "heartbeat" -> new Heartbeat();
                case "trade" -> trades(type, items);
                case "ticker" -> ticker(items);
                case "book" -> book(type, items);
                case "instrument" -> {
                    if (pairs == null) {
                        throw new MalformedFrameException("instrument message: field 'data' is not an object");
                    }
                    yield new Instruments("snapshot".equals(type), pairs);
                }
                case "status" -> {
                    Item first = items == null || items.isEmpty() ? null : items.get(0);
                    yield new Status(first == null ? null : first.system, first == null ? null : first.apiVersion);
                }
                default -> throw new MalformedFrameException("unexpected channel '" + channel + "'");
            };
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame: " + e.getMessage());
        }
    }

    private static boolean snapshotType(String type, String channel) throws MalformedFrameException {
        if (type == null) {
            throw new MalformedFrameException(channel + " message: field 'type' is missing");
        }
        return switch (type) {
            case "snapshot" -> true;
            case "update" -> false;
            default -> throw new MalformedFrameException(channel + " message: field 'type' is '" + type
                    + "', expected snapshot or update");
        };
    }

    private static List<Item> data(List<Item> items, String channel) throws MalformedFrameException {
        if (items == null) {
            throw new MalformedFrameException(channel + " message: field 'data' is missing");
        }
        return items;
    }

    private static Trades trades(String type, List<Item> items) throws MalformedFrameException {
        boolean snapshot = snapshotType(type, "trade");
        List<TradeEvent> out = new ArrayList<>(data(items, "trade").size());
        for (Item i : items) {
            String f = "data[" + i.index + "].";
            require(i.symbol != null, f + "symbol");
            require(i.tradeId != Long.MIN_VALUE, f + "trade_id");
            require(i.price != null, f + "price");
            require(i.qty != null, f + "qty");
            require(i.side != null, f + "side");
            require(i.timeMicros != Long.MIN_VALUE, f + "timestamp");
            positive(i.price, f + "price");
            positive(i.qty, f + "qty");
            TakerSide side = switch (i.side) {
                case "buy" -> TakerSide.BUY;
                case "sell" -> TakerSide.SELL;
                default -> throw new MalformedFrameException("field '" + f + "side' is '" + i.side
                        + "', expected buy or sell");
            };
            out.add(new TradeEvent(i.symbol, i.tradeId, i.price, i.qty, side, i.timeMicros));
        }
        return new Trades(snapshot, out);
    }

    private static Ticker ticker(List<Item> items) throws MalformedFrameException {
        if (data(items, "ticker").size() != 1) {
            throw new MalformedFrameException("ticker message: field 'data' holds " + items.size()
                    + " elements, expected 1");
        }
        Item i = items.get(0);
        require(i.symbol != null, "data[0].symbol");
        require(i.bid != null, "data[0].bid");
        require(i.bidQty != null, "data[0].bid_qty");
        require(i.ask != null, "data[0].ask");
        require(i.askQty != null, "data[0].ask_qty");
        return new Ticker(i.symbol, i.bid, i.bidQty, i.ask, i.askQty,
                i.timeMicros == Long.MIN_VALUE ? -1 : i.timeMicros);
    }

    private static Book book(String type, List<Item> items) throws MalformedFrameException {
        boolean snapshot = snapshotType(type, "book");
        List<BookData> out = new ArrayList<>(data(items, "book").size());
        for (Item i : items) {
            String f = "data[" + i.index + "].";
            require(i.symbol != null, f + "symbol");
            require(i.bids != null, f + "bids");
            require(i.asks != null, f + "asks");
            require(i.checksum != Long.MIN_VALUE, f + "checksum");
            if (i.checksum < 0 || i.checksum > 0xFFFF_FFFFL) {
                throw new MalformedFrameException("field '" + f + "checksum' is " + i.checksum
                        + ", not an unsigned 32-bit CRC");
            }
            out.add(new BookData(i.symbol, i.bids, i.asks, i.checksum,
                    i.timeMicros == Long.MIN_VALUE ? -1 : i.timeMicros));
        }
        return new Book(snapshot, out);
    }

    /** {@code {"assets":[...],"pairs":[{"symbol":"BTC/USD","price_precision":1,"qty_precision":8,...}]}}. */
    private static Map<String, Precision> instrumentData(JsonParser p) throws IOException, MalformedFrameException {
        Map<String, Precision> out = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (!f.equals("pairs")) {
                p.skipChildren();
                continue;
            }
            if (v != JsonToken.START_ARRAY) {
                throw new MalformedFrameException("field 'data.pairs' is not an array: " + shown(p, v));
            }
            int index = 0;
            while ((v = p.nextToken()) == JsonToken.START_OBJECT) {
                String symbol = null;
                long price = Long.MIN_VALUE;
                long qty = Long.MIN_VALUE;
                String at = "data.pairs[" + index++ + "].";
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken pv = p.nextToken();
                    switch (name) {
                        case "symbol" -> symbol = string(p, pv, at + "symbol");
                        case "price_precision" -> price = integer(p, pv, at + "price_precision");
                        case "qty_precision" -> qty = integer(p, pv, at + "qty_precision");
                        default -> p.skipChildren();
                    }
                }
                require(symbol != null, at + "symbol");
                require(price != Long.MIN_VALUE, at + "price_precision");
                require(qty != Long.MIN_VALUE, at + "qty_precision");
                if (price < 0 || price > 18 || qty < 0 || qty > 18) {
                    throw new MalformedFrameException("field '" + at + "price_precision' or 'qty_precision' is out"
                            + " of range 0..18: " + price + ", " + qty);
                }
                out.put(symbol, new Precision((int) price, (int) qty));
            }
            if (v != JsonToken.END_ARRAY) {
                throw new MalformedFrameException("field 'data.pairs' is not an array of objects");
            }
        }
        return out;
    }

    /** The fields of one {@code data} element of any channel, read in any order; checked per channel. */
    private static final class Item {
        int index;
        String symbol;
        long tradeId = Long.MIN_VALUE;
        Decimal price;
        Decimal qty;
        String side;
        long timeMicros = Long.MIN_VALUE;
        Decimal bid;
        Decimal bidQty;
        Decimal ask;
        Decimal askQty;
        List<BookLevel> bids;
        List<BookLevel> asks;
        long checksum = Long.MIN_VALUE;
        String system;
        String apiVersion;

        static Item read(JsonParser p, int index) throws IOException, MalformedFrameException {
            Item i = new Item();
            i.index = index;
            String at = "data[" + index + "].";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "symbol" -> i.symbol = string(p, v, at + "symbol");
                    case "trade_id" -> i.tradeId = integer(p, v, at + "trade_id");
                    case "price" -> i.price = decimal(p, v, at + "price");
                    case "qty" -> i.qty = decimal(p, v, at + "qty");
                    case "side" -> i.side = string(p, v, at + "side");
                    case "timestamp" -> i.timeMicros = timestamp(p, v, at + "timestamp");
                    case "bid" -> i.bid = decimal(p, v, at + "bid");
                    case "bid_qty" -> i.bidQty = decimal(p, v, at + "bid_qty");
                    case "ask" -> i.ask = decimal(p, v, at + "ask");
                    case "ask_qty" -> i.askQty = decimal(p, v, at + "ask_qty");
                    case "bids" -> i.bids = levels(p, v, at + "bids");
                    case "asks" -> i.asks = levels(p, v, at + "asks");
                    case "checksum" -> i.checksum = integer(p, v, at + "checksum");
                    case "system" -> i.system = v == JsonToken.VALUE_STRING ? p.getText() : skipAndSay(p);
                    case "api_version" -> i.apiVersion = v == JsonToken.VALUE_STRING ? p.getText() : skipAndSay(p);
                    default -> p.skipChildren();
                }
            }
            return i;
        }
    }

    /** {@code [{"price":45283.5,"qty":0.10000000}, ...]}. */
    private static List<BookLevel> levels(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of levels: " + shown(p, v));
        }
        List<BookLevel> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String at = field + "[" + out.size() + "].";
            Decimal price = null;
            Decimal qty = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken lv = p.nextToken();
                switch (name) {
                    case "price" -> price = decimal(p, lv, at + "price");
                    case "qty" -> qty = decimal(p, lv, at + "qty");
                    default -> p.skipChildren();
                }
            }
            require(price != null, at + "price");
            require(qty != null, at + "qty");
            positive(price, at + "price");
            if (qty.getUnscaled() < 0) {
                throw new MalformedFrameException("field '" + at + "qty' is negative: "
                        + Decimals.toPlainString(qty));
            }
            out.add(new BookLevel(price, qty));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of {price, qty} objects");
        }
        return out;
    }

    /**
     * RFC 3339 in UTC as Kraken writes it ({@code 2023-10-06T17:35:55.440295Z}) to epoch microseconds; the fixed
     * form is read by hand because it is on every trade, other forms go through {@link Instant#parse}.
     */
    static long parseTimestamp(String s) {
        int n = s.length();
        if (n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            long micros = 0;
            boolean ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24
                    && minute >= 0 && minute < 60 && second >= 0 && second < 60;
            if (ok && n > 20) {
                if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                    ok = false;
                } else {
                    int frac = digits(s, 20, n - 21);
                    ok = frac >= 0;
                    int fd = n - 21;
                    long f = frac;
                    for (int k = fd; k < 6; k++) {
                        f *= 10;
                    }
                    for (int k = 6; k < fd; k++) {
                        f /= 10;
                    }
                    micros = f;
                }
            } else if (ok && n != 20) {
                ok = false;
            }
            if (ok) {
                long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                return ((days * 24 + hour) * 60 + minute) * 60_000_000L + second * 1_000_000L + micros;
            }
        }
        Instant i = Instant.parse(s);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long timestamp(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        String s = string(p, v, field);
        try {
            return parseTimestamp(s);
        } catch (java.time.DateTimeException e) {
            throw new MalformedFrameException("field '" + field + "' is not an RFC 3339 time: '" + s + "'");
        }
    }

    private static void require(boolean present, String field) throws MalformedFrameException {
        if (!present) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
    }

    private static void positive(Decimal d, String field) throws MalformedFrameException {
        if (d.getUnscaled() <= 0) {
            throw new MalformedFrameException("field '" + field + "' must be above zero: " + Decimals.toPlainString(d));
        }
    }

    private static String skipAndSay(JsonParser p) throws IOException {
        p.skipChildren();
        return "(structure)";
    }

    private static String string(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a string: " + shown(p, v));
        }
        return p.getText();
    }

    private static boolean bool(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw new MalformedFrameException("field '" + field + "' is not a boolean: " + shown(p, v));
        }
        return v == JsonToken.VALUE_TRUE;
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

    /** A number's literal text (or a numeric string), exactly. */
    private static Decimal decimal(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a number: " + shown(p, v));
        }
        String text = p.getText();
        try {
            return Decimals.parse(text);
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal number: '" + text + "'");
        }
    }

    private static String shown(JsonParser p, JsonToken v) throws IOException {
        if (v == null) {
            return "end of input";
        }
        if (v.isStructStart()) {
            p.skipChildren();
            return v == JsonToken.START_OBJECT ? "an object" : "an array";
        }
        String text = p.getText();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
