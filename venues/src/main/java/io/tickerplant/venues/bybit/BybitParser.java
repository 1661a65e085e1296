package io.tickerplant.venues.bybit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Bybit v5 public websocket frames with Jackson's streaming parser: {@code publicTrade}, {@code orderbook}
 * (snapshot and delta), {@code tickers} (snapshot and delta), {@code allLiquidation}, and the answers to
 * {@code subscribe}, {@code unsubscribe} and {@code ping}. Prices and sizes are parsed exactly from the venue's
 * strings.
 *
 * <p>The fast path reads {@code data} as it streams by, which needs the {@code topic} first (as Bybit sends it);
 * a frame whose {@code data} comes before its {@code topic} is buffered and read afterwards, so field order never
 * changes the result.
 *
 * <p>A frame that is not what Bybit documents fails with {@link MalformedFrameException} naming the field and
 * the bad value; topics tickerplant does not take (klines, the retired v2 API's topics) fail with a reason that
 * says so. Stateless and thread-safe.
 */
public final class BybitParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    /** Topics of Bybit's retired v2 websocket API ({@code /realtime}, {@code /realtime_public}). */
    private static final Set<String> LEGACY_TOPICS = Set.of("orderBookL2_25", "orderBookL2_200", "orderBook_200",
            "orderBook_200.100ms", "trade", "instrument_info", "klineV2", "candle", "insurance", "liquidation",
            "wallet", "position", "execution", "order", "stop_order");

    /** A frame the adapter cannot use, with a one-line reason and a short classification. */
    public static final class MalformedFrameException extends Exception {
        private final String code;

        public MalformedFrameException(String reason) {
            this(reason, "MalformedFrame");
        }

        public MalformedFrameException(String reason, String code) {
            super(reason, null, false, false);
            this.code = code;
        }

        /** {@code MalformedFrame}, {@code UnsupportedTopic} or {@code LegacyProtocol}. */
        public String code() {
            return code;
        }
    }

    /** What a frame turned out to be. */
    public sealed interface Frame permits Trades, Book, Ticker, Liquidations, OpAnswer {
    }

    /** One trade of a {@code publicTrade} frame: {@code i} id, {@code S} taker side, {@code T} fill time. */
    public record TradeEvent(String venueSymbol, String tradeId, Decimal price, Decimal size, Side takerSide,
                             long timeMillis) {
    }

    /** A {@code publicTrade.SYMBOL} frame, trades in matching order. */
    public record Trades(String venueSymbol, long ts, List<TradeEvent> trades) implements Frame {
    }

    /**
     * An {@code orderbook.DEPTH.SYMBOL} frame.
     *
     * @param updateId {@code u}: +1 per frame; 1 in a snapshot means the venue restarted its book service
     * @param crossSeq {@code seq}, the cross sequence (not contiguous), or -1
     * @param ts {@code ts}, the time the system generated the data
     */
    public record Book(int depth, String venueSymbol, boolean snapshot, long updateId, long crossSeq, long ts,
                       List<BookLevel> bids, List<BookLevel> asks) implements Frame {
    }

    /**
     * A {@code tickers.SYMBOL} frame; null fields were not in it (a delta carries only what changed).
     *
     * @param nextFundingTime epoch milliseconds, or null
     */
    public record Ticker(String venueSymbol, boolean snapshot, long ts, Decimal lastPrice, Decimal markPrice,
                         Decimal indexPrice, Decimal fundingRate, Long nextFundingTime, Decimal bid1Price,
                         Decimal bid1Size, Decimal ask1Price, Decimal ask1Size) implements Frame {

        /** True when any of the best bid/ask fields is present. */
        public boolean hasBidAsk() {
            return bid1Price != null || bid1Size != null || ask1Price != null || ask1Size != null;
        }

        /** True when any of the funding fields (mark, index, rate, next time) is present. */
        public boolean hasFunding() {
            return markPrice != null || indexPrice != null || fundingRate != null || nextFundingTime != null;
        }
    }

    /**
     * One liquidation of an {@code allLiquidation} frame.
     *
     * @param positionSide {@code S}, the side of the liquidated POSITION: Buy means a long was liquidated
     * @param price {@code p}, the bankruptcy price
     * @param size {@code v}, the executed size
     */
    public record LiquidationEvent(String venueSymbol, Side positionSide, Decimal size, Decimal price,
                                   long timeMillis) {
    }

    /** An {@code allLiquidation.SYMBOL} frame. */
    public record Liquidations(String venueSymbol, long ts, List<LiquidationEvent> liquidations) implements Frame {
    }

    /**
     * The answer to an operation: {@code {"success":true,"ret_msg":"pong","conn_id":"..","op":"ping"}}.
     *
     * @param op {@code subscribe}, {@code unsubscribe}, {@code ping} or {@code pong}
     */
    public record OpAnswer(String op, boolean success, String retMsg, String reqId, String connId) implements Frame {
    }

    private enum Kind { TRADE, BOOK, TICKER, LIQUIDATION }

    /** Parses one websocket frame. */
    public Frame parse(String frame) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("frame is not a JSON object");
            }
            String topic = null;
            Kind kind = null;
            String topicSymbol = null;
            int depth = 0;
            String type = null;
            long ts = -1;
            Object data = null;
            TokenBuffer early = null;
            String op = null;
            Boolean success = null;
            String retMsg = null;
            String reqId = null;
            String connId = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "topic" -> {
                        topic = string(p, v, "topic");
                        int dot = topic.indexOf('.');
                        String head = dot < 0 ? topic : topic.substring(0, dot);
                        topicSymbol = topic.substring(topic.lastIndexOf('.') + 1);
                        switch (head) {
                            case "publicTrade" -> kind = Kind.TRADE;
                            case "tickers" -> kind = Kind.TICKER;
                            case "allLiquidation" -> kind = Kind.LIQUIDATION;
                            case "orderbook" -> {
                                kind = Kind.BOOK;
                                String[] parts = topic.split("\\.");
                                if (parts.length != 3) {
                                    throw new MalformedFrameException("field 'topic' is '" + topic
                                            + "', expected orderbook.DEPTH.SYMBOL");
                                }
                                try {
                                    depth = Integer.parseInt(parts[1]);
                                } catch (NumberFormatException e) {
                                    throw new MalformedFrameException("field 'topic' is '" + topic
                                            + "': depth '" + parts[1] + "' is not a number");
                                }
                            }
                            case "kline" -> throw new MalformedFrameException("topic '" + topic
                                    + "' (klines) is not a channel tickerplant takes: it builds candles from trades",
                                    "UnsupportedTopic");
                            default -> {
                                if (LEGACY_TOPICS.contains(head)) {
                                    throw new MalformedFrameException("Bybit v2 legacy topic '" + topic
                                            + "': the retired v2 API (realtime, realtime_public); tickerplant"
                                            + " speaks v5 (/v5/public/spot, /v5/public/linear)", "LegacyProtocol");
                                }
                                throw new MalformedFrameException("topic '" + topic
                                        + "' is not a Bybit v5 public topic tickerplant takes", "UnsupportedTopic");
                            }
                        }
                        if (early != null) {
                            try (JsonParser d = early.asParser()) {
                                data = readData(d, d.nextToken(), kind, topicSymbol);
                            }
                            early = null;
                        }
                    }
                    case "type" -> type = string(p, v, "type");
                    case "ts" -> ts = integer(p, v, "ts");
                    case "data" -> {
                        if (kind == null) {
                            early = new TokenBuffer(MAPPER, false);
                            early.copyCurrentStructure(p);
                        } else {
                            data = readData(p, v, kind, topicSymbol);
                        }
                    }
                    case "op" -> op = string(p, v, "op");
                    case "success" -> {
                        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                            throw new MalformedFrameException("field 'success' is not a boolean: " + shown(p, v));
                        }
                        success = v == JsonToken.VALUE_TRUE;
                    }
                    case "ret_msg" -> retMsg = text(p, v);
                    case "req_id" -> reqId = text(p, v);
                    case "conn_id" -> connId = text(p, v);
                    case "request" -> {
                        // The retired v2 API echoed the request: {"success":true,..,"request":{"op":"subscribe",..}}.
                        if (v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken rv = p.nextToken();
                                if (f.equals("op") && rv == JsonToken.VALUE_STRING && op == null) {
                                    op = p.getText();
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
            if (topic == null) {
                if (early != null) {
                    throw new MalformedFrameException("field 'topic' is missing");
                }
                if (op != null || success != null) {
                    return new OpAnswer(op, success == null || success, retMsg, reqId, connId);
                }
                throw new MalformedFrameException("frame is neither a topic message nor an operation answer");
            }
            if (data == null) {
                throw new MalformedFrameException("field 'data' is missing in a '" + topic + "' message");
            }
            boolean snapshot;
            if (type == null) {
                throw new MalformedFrameException("field 'type' is missing in a '" + topic + "' message");
            } else if (type.equals("snapshot")) {
                snapshot = true;
            } else if (type.equals("delta")) {
                snapshot = false;
            } else {
                throw new MalformedFrameException("field 'type' is '" + type + "', expected snapshot or delta");
            }
            return switch (kind) {
                case TRADE -> new Trades(topicSymbol, ts, cast(data));
                case LIQUIDATION -> new Liquidations(topicSymbol, ts, cast(data));
                case BOOK -> {
                    BookData b = (BookData) data;
                    if (b.updateId < 0) {
                        throw new MalformedFrameException("field 'data.u' is missing in a '" + topic + "' message");
                    }
                    yield new Book(depth, topicSymbol, snapshot, b.updateId, b.seq, ts, b.bids, b.asks);
                }
                case TICKER -> {
                    TickerData d = (TickerData) data;
                    yield new Ticker(topicSymbol, snapshot, ts, d.lastPrice, d.markPrice, d.indexPrice,
                            d.fundingRate, d.nextFundingTime, d.bid1Price, d.bid1Size, d.ask1Price, d.ask1Size);
                }
            };
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(Object o) {
        return (List<T>) o;
    }

    private static Object readData(JsonParser p, JsonToken v, Kind kind, String symbol)
            throws IOException, MalformedFrameException {
        return switch (kind) {
            case TRADE -> trades(p, v, symbol);
            case LIQUIDATION -> liquidations(p, v, symbol);
            case BOOK -> book(p, v, symbol);
            case TICKER -> ticker(p, v, symbol);
        };
    }

    private static List<TradeEvent> trades(JsonParser p, JsonToken v, String symbol)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field 'data' of a publicTrade message is not an array: " + shown(p, v));
        }
        List<TradeEvent> out = new ArrayList<>(2);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String at = "data[" + out.size() + "].";
            String s = null;
            String id = null;
            Decimal price = null;
            Decimal size = null;
            Side side = null;
            long time = Long.MIN_VALUE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                switch (f) {
                    case "s" -> s = string(p, fv, at + "s");
                    case "i" -> id = idText(p, fv, at + "i");
                    case "p" -> price = decimal(p, fv, at + "p", true);
                    case "v" -> size = decimal(p, fv, at + "v", true);
                    case "S" -> side = side(p, fv, at + "S");
                    case "T" -> time = integer(p, fv, at + "T");
                    default -> p.skipChildren();
                }
            }
            require(id, at + "i");
            require(price, at + "p");
            require(size, at + "v");
            require(side, at + "S");
            if (time == Long.MIN_VALUE) {
                throw new MalformedFrameException("field '" + at + "T' is missing");
            }
            checkSymbol(s, symbol, at + "s");
            out.add(new TradeEvent(symbol, id, price, size, side, time));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field 'data' of a publicTrade message is not an array of objects");
        }
        return out;
    }

    private static List<LiquidationEvent> liquidations(JsonParser p, JsonToken v, String symbol)
            throws IOException, MalformedFrameException {
        List<LiquidationEvent> out = new ArrayList<>(1);
        if (v == JsonToken.START_OBJECT) {
            out.add(liquidation(p, symbol, "data."));
            return out;
        }
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field 'data' of an allLiquidation message is not an array: "
                    + shown(p, v));
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            out.add(liquidation(p, symbol, "data[" + out.size() + "]."));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field 'data' of an allLiquidation message is not an array of objects");
        }
        return out;
    }

    private static LiquidationEvent liquidation(JsonParser p, String symbol, String at)
            throws IOException, MalformedFrameException {
        String s = null;
        Decimal price = null;
        Decimal size = null;
        Side side = null;
        long time = Long.MIN_VALUE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken fv = p.nextToken();
            switch (f) {
                case "s" -> s = string(p, fv, at + "s");
                case "p" -> price = decimal(p, fv, at + "p", true);
                case "v" -> size = decimal(p, fv, at + "v", true);
                case "S" -> side = side(p, fv, at + "S");
                case "T" -> time = integer(p, fv, at + "T");
                default -> p.skipChildren();
            }
        }
        require(price, at + "p");
        require(size, at + "v");
        require(side, at + "S");
        if (time == Long.MIN_VALUE) {
            throw new MalformedFrameException("field '" + at + "T' is missing");
        }
        checkSymbol(s, symbol, at + "s");
        return new LiquidationEvent(symbol, side, size, price, time);
    }

    private static final class BookData {
        long updateId = -1;
        long seq = -1;
        List<BookLevel> bids = List.of();
        List<BookLevel> asks = List.of();
    }

    private static BookData book(JsonParser p, JsonToken v, String symbol) throws IOException, MalformedFrameException {
        if (v != JsonToken.START_OBJECT) {
            throw new MalformedFrameException("field 'data' of an orderbook message is not an object: " + shown(p, v));
        }
        BookData d = new BookData();
        String s = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken fv = p.nextToken();
            switch (f) {
                case "s" -> s = string(p, fv, "data.s");
                case "b" -> d.bids = levels(p, fv, "data.b");
                case "a" -> d.asks = levels(p, fv, "data.a");
                case "u" -> d.updateId = integer(p, fv, "data.u");
                case "seq" -> d.seq = integer(p, fv, "data.seq");
                default -> p.skipChildren();
            }
        }
        checkSymbol(s, symbol, "data.s");
        return d;
    }

    private static final class TickerData {
        Decimal lastPrice;
        Decimal markPrice;
        Decimal indexPrice;
        Decimal fundingRate;
        Long nextFundingTime;
        Decimal bid1Price;
        Decimal bid1Size;
        Decimal ask1Price;
        Decimal ask1Size;
    }

    private static TickerData ticker(JsonParser p, JsonToken v, String symbol)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_OBJECT) {
            throw new MalformedFrameException("field 'data' of a tickers message is not an object: " + shown(p, v));
        }
        TickerData d = new TickerData();
        String s = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken fv = p.nextToken();
            switch (f) {
                case "symbol" -> s = string(p, fv, "data.symbol");
                case "lastPrice" -> d.lastPrice = optionalDecimal(p, fv, "data.lastPrice", true);
                case "markPrice" -> d.markPrice = optionalDecimal(p, fv, "data.markPrice", true);
                case "indexPrice" -> d.indexPrice = optionalDecimal(p, fv, "data.indexPrice", true);
                case "fundingRate" -> d.fundingRate = optionalDecimal(p, fv, "data.fundingRate", false);
                case "nextFundingTime" -> {
                    String text = fv == JsonToken.VALUE_STRING ? p.getText()
                            : fv == JsonToken.VALUE_NUMBER_INT ? p.getText() : null;
                    if (text == null) {
                        throw new MalformedFrameException("field 'data.nextFundingTime' is not a time in ms: "
                                + shown(p, fv));
                    }
                    if (!text.isEmpty()) {
                        try {
                            d.nextFundingTime = Long.parseLong(text);
                        } catch (NumberFormatException e) {
                            throw new MalformedFrameException("field 'data.nextFundingTime' is not a time in ms: '"
                                    + text + "'");
                        }
                    }
                }
                case "bid1Price" -> d.bid1Price = optionalDecimal(p, fv, "data.bid1Price", true);
                case "bid1Size" -> d.bid1Size = optionalSize(p, fv, "data.bid1Size");
                case "ask1Price" -> d.ask1Price = optionalDecimal(p, fv, "data.ask1Price", true);
                case "ask1Size" -> d.ask1Size = optionalSize(p, fv, "data.ask1Size");
                default -> p.skipChildren();
            }
        }
        checkSymbol(s, symbol, "data.symbol");
        return d;
    }

    /** {@code [["price","size"],...]}; size 0 removes a level. */
    private static List<BookLevel> levels(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of levels: " + shown(p, v));
        }
        List<BookLevel> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
            String at = field + "[" + out.size() + "]";
            Decimal price = decimal(p, p.nextToken(), at + " price", true);
            Decimal size = decimal(p, p.nextToken(), at + " size", false);
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new MalformedFrameException("field '" + at + "' is not a [price, size] pair");
            }
            out.add(new BookLevel(price, size));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of [price, size] arrays");
        }
        return out;
    }

    private static void checkSymbol(String s, String topicSymbol, String field) throws MalformedFrameException {
        if (s != null && !s.equals(topicSymbol)) {
            throw new MalformedFrameException("field '" + field + "' is '" + s + "' but the topic is for '"
                    + topicSymbol + "'");
        }
    }

    private static void require(Object value, String field) throws MalformedFrameException {
        if (value == null) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
    }

    private static Side side(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        String s = string(p, v, field);
        return switch (s) {
            case "Buy" -> Side.BUY;
            case "Sell" -> Side.SELL;
            default -> throw new MalformedFrameException("field '" + field + "' is '" + s + "', expected Buy or Sell");
        };
    }

    private static String idText(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedFrameException("field '" + field + "' is not a trade id: " + shown(p, v));
        }
        String s = p.getText();
        if (s.isEmpty()) {
            throw new MalformedFrameException("field '" + field + "' is empty");
        }
        return s;
    }

    private static String string(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a string: " + shown(p, v));
        }
        return p.getText();
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v.isStructStart()) {
            p.skipChildren();
            return null;
        }
        return v == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static long integer(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        // Bybit sends some times and ids as strings.
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText());
            } catch (NumberFormatException e) {
                throw new MalformedFrameException("field '" + field + "' is not an integer: '" + p.getText() + "'");
            }
        }
        throw new MalformedFrameException("field '" + field + "' is not an integer: " + shown(p, v));
    }

    private static Decimal optionalDecimal(JsonParser p, JsonToken v, String field, boolean positive)
            throws IOException, MalformedFrameException {
        // Bybit leaves fields it has no value for as "" (e.g. an empty side's bid1Price).
        if (v == JsonToken.VALUE_STRING && p.getTextLength() == 0) {
            return null;
        }
        if (v == JsonToken.VALUE_STRING && positive) {
            return decimal(p, v, field, true);
        }
        Decimal d = parseDecimal(p, v, field);
        return d;
    }

    private static Decimal optionalSize(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        if (v == JsonToken.VALUE_STRING && p.getTextLength() == 0) {
            return null;
        }
        return decimal(p, v, field, false);
    }

    /** @param positive true: above zero (prices, trade sizes); false: zero allowed (a removed level) */
    private static Decimal decimal(JsonParser p, JsonToken v, String field, boolean positive)
            throws IOException, MalformedFrameException {
        Decimal d = parseDecimal(p, v, field);
        if (positive ? d.getUnscaled() <= 0 : d.getUnscaled() < 0) {
            throw new MalformedFrameException("field '" + field + "' is " + (positive ? "not positive" : "negative")
                    + ": '" + p.getText() + "'");
        }
        return d;
    }

    private static Decimal parseDecimal(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        // Bybit sends decimals as strings, exactly; a bare JSON number would mean the format changed.
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal string: " + shown(p, v));
        }
        String text = p.getText();
        try {
            return Decimals.parse(text);
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal: '" + text + "'");
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
        return v == JsonToken.VALUE_STRING ? "'" + p.getText() + "'" : p.getText();
    }
}
