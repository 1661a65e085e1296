package io.tickerplant.venues.binance;

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
 * Reads Binance spot and USD-M futures frames with Jackson's streaming parser: combined-stream and raw events of the trade
 * ({@code {"stream":"btcusdt@trade","data":{"e":"trade",...}}}), best bid/ask ({@code @bookTicker}, which has no
 * {@code e} field on spot) and diff depth ({@code @depth}, {@code @depth@100ms}) streams, subscription answers,
 * error frames, {@code historicalTrades} pages and {@code depth} snapshots. Prices and sizes are parsed exactly from
 * the venue's strings. (The name is historical: it began with trades only.)
 *
 * <p>Each market accepts only its own documented events ({@link #BinanceTradeParser(BinanceMarket)}): spot has
 * {@code trade}, USD-M futures has {@code aggTrade} (the only trade stream its documentation lists),
 * {@code forceOrder} (liquidations) and {@code markPriceUpdate} (mark price and funding); both have
 * {@code depthUpdate} (futures with {@code pu}, which it requires) and {@code bookTicker}.
 *
 * <p>A frame that is not what Binance documents fails with {@link MalformedFrameException} whose message names the
 * field and what was wrong with it. Stateless and thread-safe.
 */
public final class BinanceTradeParser {

    private final BinanceMarket market;

    /** A spot parser. */
    public BinanceTradeParser() {
        this(BinanceMarket.SPOT);
    }

    /** A parser of one market's frames. */
    public BinanceTradeParser(BinanceMarket market) {
        this.market = java.util.Objects.requireNonNull(market, "market");
    }

    /** The market whose frames this parser reads. */
    public BinanceMarket market() {
        return market;
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();

    /** A frame the adapter cannot use, with a one-line reason. */
    public static final class MalformedFrameException extends Exception {
        public MalformedFrameException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a frame turned out to be. */
    public sealed interface Frame permits TradeEvent, BookTickerEvent, DepthEvent, LiquidationEvent, MarkPriceEvent,
            Ack, VenueError, Notice {
    }

    /**
     * A futures liquidation order ({@code <symbol>@forceOrder}, the {@code o} object of a {@code forceOrder} event).
     *
     * @param side the order's side, {@code BUY} or {@code SELL}: a SELL closes a long position
     * @param price the average fill price {@code ap} when present and non-zero, else the order price {@code p}
     * @param quantity the accumulated filled quantity {@code z} when present and non-zero, else the order
     *     quantity {@code q}
     * @param status the order status {@code X}, e.g. {@code FILLED}
     */
    public record LiquidationEvent(String venueSymbol, String side, Decimal price, Decimal quantity, String status,
                                   long tradeTimeMillis, long eventTimeMillis) implements Frame {
    }

    /**
     * Mark price and funding of a perpetual ({@code <symbol>@markPrice@1s}, event {@code markPriceUpdate}).
     *
     * @param indexPrice {@code i}, or null when absent
     * @param fundingRate {@code r}, or null when empty (Binance sends "" for delivery contracts)
     * @param nextFundingTimeMillis {@code T}, or -1 when absent or 0
     */
    public record MarkPriceEvent(String venueSymbol, long eventTimeMillis, Decimal markPrice, Decimal indexPrice,
                                 Decimal fundingRate, long nextFundingTimeMillis) implements Frame {
    }

    /**
     * Best bid and ask ({@code <symbol>@bookTicker}). Sizes may be zero (an empty side).
     *
     * @param updateId the book's update id {@code u}
     * @param eventTimeMillis {@code E} where the venue sends it (futures), else -1 (spot sends none)
     */
    public record BookTickerEvent(String venueSymbol, long updateId, Decimal bidPrice, Decimal bidSize,
                                  Decimal askPrice, Decimal askSize, long eventTimeMillis) implements Frame {
    }

    /**
     * A diff of the book ({@code depthUpdate}): the levels whose size changed between update ids
     * {@code firstUpdateId} ({@code U}) and {@code lastUpdateId} ({@code u}); size zero removes a level.
     *
     * @param previousLastUpdateId {@code pu} (USD-M futures only), else -1
     */
    public record DepthEvent(String venueSymbol, long eventTimeMillis, long firstUpdateId, long lastUpdateId,
                             long previousLastUpdateId, List<BookLevel> bids, List<BookLevel> asks) implements Frame {
    }

    /** A {@code GET /api/v3/depth} answer: the book as of {@code lastUpdateId}. */
    public record DepthSnapshot(long lastUpdateId, List<BookLevel> bids, List<BookLevel> asks) {
    }

    /**
     * One trade, from the stream or from REST. On USD-M futures it is an aggregate trade ({@code aggTrade}) and
     * {@code tradeId} is the aggregate trade id {@code a}, contiguous per symbol like spot trade ids.
     *
     * @param eventTimeMillis the stream's {@code E}; equals the trade time for REST trades
     */
    public record TradeEvent(String venueSymbol, long tradeId, Decimal price, Decimal size, long tradeTimeMillis,
                             long eventTimeMillis, boolean buyerIsMaker) implements Frame {
    }

    /** The answer to a request, e.g. {@code {"result":null,"id":1}}. */
    public record Ack(String id, String result) implements Frame {
    }

    /** An error frame, e.g. {@code {"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":1}}. */
    public record VenueError(int code, String message, String id) implements Frame {
    }

    /** A documented event that carries no market data, e.g. {@code serverShutdown}. */
    public record Notice(String eventType) implements Frame {
    }

    /** Parses one websocket frame. */
    public Frame parse(String frame) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("frame is not a JSON object");
            }
            String stream = null;
            TradeFields data = null;
            TradeFields top = new TradeFields(market);
            boolean hasResult = false;
            String result = null;
            String id = null;
            Integer errorCode = null;
            String errorMsg = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "stream" -> stream = string(p, v, "stream");
                    case "data" -> {
                        if (v != JsonToken.START_OBJECT) {
                            throw new MalformedFrameException("field 'data' is not an object");
                        }
                        data = new TradeFields(market);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            data.read(p, p.nextToken(), f);
                        }
                    }
                    case "result" -> {
                        hasResult = true;
                        result = v == JsonToken.VALUE_NULL ? null : v.isStructStart() ? skipAndSay(p) : p.getText();
                    }
                    case "id" -> id = v == JsonToken.VALUE_NULL ? null : v.isStructStart() ? skipAndSay(p) : p.getText();
                    case "error" -> {
                        if (v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken ev = p.nextToken();
                                if (f.equals("code") && ev == JsonToken.VALUE_NUMBER_INT) {
                                    errorCode = p.getIntValue();
                                } else if (f.equals("msg") && ev == JsonToken.VALUE_STRING) {
                                    errorMsg = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            errorMsg = v.isStructStart() ? skipAndSay(p) : p.getText();
                        }
                        if (errorCode == null) {
                            errorCode = 0;
                        }
                    }
                    // The documented form of an error, without the "error" wrapper the servers actually send.
                    case "code" -> errorCode = (int) integer(p, v, "code");
                    case "msg" -> errorMsg = string(p, v, "msg");
                    default -> top.read(p, v, name);
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("frame is not a single JSON object");
            }
            if (data != null) {
                Frame event = data.toEvent(stream);
                String symbol = event instanceof LiquidationEvent l ? l.venueSymbol() : data.symbol;
                if (stream != null && !matchesStream(stream, symbol)) {
                    throw new MalformedFrameException("field 'stream' is '" + stream + "' but field 's' is '"
                            + symbol + "'");
                }
                return event;
            }
            if (errorCode != null) {
                return new VenueError(errorCode, errorMsg, id);
            }
            if (hasResult) {
                return new Ack(id, result);
            }
            if (top.eventType != null) {
                // A raw (uncombined) payload: the event fields sit at the top level.
                if (top.eventType.equals("serverShutdown")) {
                    return new Notice(top.eventType);
                }
                return top.toEvent(null);
            }
            if (top.looksLikeBookTicker()) {
                return top.toEvent(null);
            }
            if (stream != null) {
                throw new MalformedFrameException("field 'data' is missing");
            }
            throw new MalformedFrameException("frame is neither a stream event, an answer nor an error");
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame: " + e.getMessage());
        }
    }

    /** Parses a {@code GET /api/v3/historicalTrades} answer for one symbol. */
    public List<TradeEvent> parseHistoricalTrades(String body, String venueSymbol) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedFrameException("historicalTrades answer is not a JSON array");
            }
            List<TradeEvent> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                long id = Long.MIN_VALUE;
                long time = Long.MIN_VALUE;
                Decimal price = null;
                Decimal qty = null;
                Boolean buyerIsMaker = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (f) {
                        case "id" -> id = integer(p, v, "id");
                        case "price" -> price = decimal(p, v, "price");
                        case "qty" -> qty = decimal(p, v, "qty");
                        case "time" -> time = integer(p, v, "time");
                        case "isBuyerMaker" -> buyerIsMaker = bool(p, v, "isBuyerMaker");
                        default -> p.skipChildren();
                    }
                }
                require(id != Long.MIN_VALUE, "id");
                require(price != null, "price");
                require(qty != null, "qty");
                require(time != Long.MIN_VALUE, "time");
                require(buyerIsMaker != null, "isBuyerMaker");
                out.add(new TradeEvent(venueSymbol, id, price, qty, time, time, buyerIsMaker));
            }
            if (t != JsonToken.END_ARRAY || p.nextToken() != null) {
                throw new MalformedFrameException("historicalTrades answer is not an array of trade objects");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    /** Parses a trade history page of this parser's market: spot {@code historicalTrades}, futures {@code aggTrades}. */
    public List<TradeEvent> parseTradeHistory(String body, String venueSymbol) throws MalformedFrameException {
        return market.futures() ? parseAggTrades(body, venueSymbol) : parseHistoricalTrades(body, venueSymbol);
    }

    /**
     * Parses a {@code GET /fapi/v1/aggTrades} answer for one symbol:
     * {@code [{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true}]}.
     */
    public List<TradeEvent> parseAggTrades(String body, String venueSymbol) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedFrameException("aggTrades answer is not a JSON array");
            }
            List<TradeEvent> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                long id = Long.MIN_VALUE;
                long time = Long.MIN_VALUE;
                Decimal price = null;
                Decimal qty = null;
                Boolean buyerIsMaker = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (f) {
                        case "a" -> id = integer(p, v, "a");
                        case "p" -> price = decimal(p, v, "p");
                        case "q" -> qty = decimal(p, v, "q");
                        case "T" -> time = integer(p, v, "T");
                        case "m" -> buyerIsMaker = bool(p, v, "m");
                        default -> p.skipChildren();
                    }
                }
                require(id != Long.MIN_VALUE, "a");
                require(price != null, "p");
                require(qty != null, "q");
                require(time != Long.MIN_VALUE, "T");
                require(buyerIsMaker != null, "m");
                out.add(new TradeEvent(venueSymbol, id, price, qty, time, time, buyerIsMaker));
            }
            if (t != JsonToken.END_ARRAY || p.nextToken() != null) {
                throw new MalformedFrameException("aggTrades answer is not an array of trade objects");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    /** Parses a {@code GET /api/v3/depth} (or futures {@code /fapi/v1/depth}) answer. */
    public DepthSnapshot parseDepthSnapshot(String body) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("depth answer is not a JSON object");
            }
            long lastUpdateId = Long.MIN_VALUE;
            List<BookLevel> bids = null;
            List<BookLevel> asks = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "lastUpdateId" -> lastUpdateId = integer(p, v, "lastUpdateId");
                    case "bids" -> bids = levels(p, v, "bids");
                    case "asks" -> asks = levels(p, v, "asks");
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("depth answer is not a single JSON object");
            }
            require(lastUpdateId != Long.MIN_VALUE, "lastUpdateId");
            require(bids != null, "bids");
            require(asks != null, "asks");
            return new DepthSnapshot(lastUpdateId, bids, asks);
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    /** The event fields of every stream, read in any order; checked once the object is complete. */
    private static final class TradeFields {
        final BinanceMarket market;
        String eventType;
        long aggregateId = Long.MIN_VALUE;
        Decimal indexPrice;
        String fundingRate;
        LiquidationFields order;
        long eventTime = Long.MIN_VALUE;
        String symbol;
        long tradeId = Long.MIN_VALUE;
        Decimal price;
        Decimal qty;
        long tradeTime = Long.MIN_VALUE;
        Boolean buyerIsMaker;
        long firstUpdateId = Long.MIN_VALUE;
        long lastUpdateId = Long.MIN_VALUE;
        long previousUpdateId = Long.MIN_VALUE;
        Decimal bidPrice;
        Decimal bidSize;
        Decimal askPrice;
        Decimal askSize;
        List<BookLevel> bids;
        List<BookLevel> asks;

        TradeFields(BinanceMarket market) {
            this.market = market;
        }

        void read(JsonParser p, JsonToken v, String name) throws IOException, MalformedFrameException {
            // Binance's field names are case-sensitive: E is event time, e event type; T trade time, t trade id;
            // b and a are bid/ask prices in bookTicker, level arrays in depthUpdate (and were order ids in old
            // trade events, which are skipped); B and A are the bookTicker sizes; U and u update ids.
            switch (name) {
                case "b" -> {
                    if (v == JsonToken.START_ARRAY) {
                        bids = levels(p, v, "b");
                    } else if (v == JsonToken.VALUE_STRING) {
                        bidPrice = decimal(p, v, "b", false);
                    } else {
                        p.skipChildren();
                    }
                }
                case "a" -> {
                    if (v == JsonToken.START_ARRAY) {
                        asks = levels(p, v, "a");
                    } else if (v == JsonToken.VALUE_STRING) {
                        askPrice = decimal(p, v, "a", false);
                    } else if (v == JsonToken.VALUE_NUMBER_INT) {
                        // aggTrade: the aggregate trade id.
                        aggregateId = integer(p, v, "a");
                    } else {
                        p.skipChildren();
                    }
                }
                case "B" -> bidSize = v == JsonToken.VALUE_STRING ? decimal(p, v, "B", false) : skip(p, null);
                case "A" -> askSize = v == JsonToken.VALUE_STRING ? decimal(p, v, "A", false) : skip(p, null);
                case "U" -> firstUpdateId = integer(p, v, "U");
                case "u" -> lastUpdateId = integer(p, v, "u");
                case "pu" -> previousUpdateId = integer(p, v, "pu");
                case "e" -> eventType = string(p, v, "e");
                case "E" -> eventTime = integer(p, v, "E");
                case "s" -> symbol = string(p, v, "s");
                case "t" -> tradeId = integer(p, v, "t");
                case "p" -> price = decimal(p, v, "p");
                case "q" -> qty = decimal(p, v, "q");
                case "T" -> tradeTime = integer(p, v, "T");
                case "m" -> buyerIsMaker = bool(p, v, "m");
                case "i" -> indexPrice = v == JsonToken.VALUE_STRING ? decimal(p, v, "i", false) : skip(p, null);
                case "r" -> fundingRate = string(p, v, "r");
                case "o" -> {
                    if (v == JsonToken.START_OBJECT) {
                        order = LiquidationFields.read(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }

        /** A bookTicker payload: spot sends no {@code e}, only {@code u s b B a A}. */
        boolean looksLikeBookTicker() {
            return eventType == null && symbol != null && lastUpdateId != Long.MIN_VALUE && bidPrice != null;
        }

        Frame toEvent(String stream) throws MalformedFrameException {
            if (eventType == null) {
                if (stream != null && stream.endsWith("@bookTicker") || looksLikeBookTicker()) {
                    return toBookTicker();
                }
                throw new MalformedFrameException("field 'e' is missing");
            }
            if (eventType.equals("kline") || eventType.equals("continuous_kline")) {
                throw new MalformedFrameException("event type '" + eventType + "' is not used: tickerplant builds"
                        + " candles from trades and subscribes to no kline stream");
            }
            if (market.futures()) {
                return switch (eventType) {
                    case "aggTrade" -> toAggTrade();
                    case "depthUpdate" -> toDepth();
                    case "bookTicker" -> toBookTicker();
                    case "forceOrder" -> toLiquidation();
                    case "markPriceUpdate" -> toMarkPrice();
                    default -> throw new MalformedFrameException("unexpected event type '" + eventType
                            + "' for USD-M futures (expected aggTrade, depthUpdate, bookTicker, forceOrder or"
                            + " markPriceUpdate)");
                };
            }
            return switch (eventType) {
                case "trade" -> toTrade();
                case "depthUpdate" -> toDepth();
                case "bookTicker" -> toBookTicker();
                default -> throw new MalformedFrameException("unexpected event type '" + eventType + "'");
            };
        }

        TradeEvent toAggTrade() throws MalformedFrameException {
            require(symbol != null, "s");
            require(aggregateId != Long.MIN_VALUE, "a");
            require(price != null, "p");
            require(qty != null, "q");
            require(tradeTime != Long.MIN_VALUE, "T");
            require(buyerIsMaker != null, "m");
            return new TradeEvent(symbol, aggregateId, price, qty, tradeTime,
                    eventTime == Long.MIN_VALUE ? tradeTime : eventTime, buyerIsMaker);
        }

        LiquidationEvent toLiquidation() throws MalformedFrameException {
            require(eventTime != Long.MIN_VALUE, "E");
            require(order != null, "o");
            return order.toEvent(eventTime);
        }

        MarkPriceEvent toMarkPrice() throws MalformedFrameException {
            require(symbol != null, "s");
            require(eventTime != Long.MIN_VALUE, "E");
            require(price != null, "p");
            Decimal rate = null;
            if (fundingRate != null && !fundingRate.isEmpty()) {
                try {
                    rate = Decimals.parse(fundingRate);
                } catch (NumberFormatException e) {
                    throw new MalformedFrameException("field 'r' is not a decimal: '" + fundingRate + "'");
                }
            }
            long next = tradeTime == Long.MIN_VALUE || tradeTime <= 0 ? -1 : tradeTime;
            return new MarkPriceEvent(symbol, eventTime, price, indexPrice, rate, next);
        }

        BookTickerEvent toBookTicker() throws MalformedFrameException {
            require(symbol != null, "s");
            require(lastUpdateId != Long.MIN_VALUE, "u");
            require(bidPrice != null, "b");
            require(bidSize != null, "B");
            require(askPrice != null, "a");
            require(askSize != null, "A");
            return new BookTickerEvent(symbol, lastUpdateId, bidPrice, bidSize, askPrice, askSize,
                    eventTime == Long.MIN_VALUE ? -1 : eventTime);
        }

        DepthEvent toDepth() throws MalformedFrameException {
            require(symbol != null, "s");
            require(eventTime != Long.MIN_VALUE, "E");
            require(firstUpdateId != Long.MIN_VALUE, "U");
            require(lastUpdateId != Long.MIN_VALUE, "u");
            require(bids != null, "b");
            require(asks != null, "a");
            if (market.futures()) {
                // The futures book rule chains events through pu; without it a gap cannot be seen.
                require(previousUpdateId != Long.MIN_VALUE, "pu");
            }
            if (firstUpdateId > lastUpdateId) {
                throw new MalformedFrameException("field 'U' (" + firstUpdateId + ") is after field 'u' ("
                        + lastUpdateId + ")");
            }
            return new DepthEvent(symbol, eventTime, firstUpdateId, lastUpdateId,
                    previousUpdateId == Long.MIN_VALUE ? -1 : previousUpdateId, bids, asks);
        }

        TradeEvent toTrade() throws MalformedFrameException {
            require(eventType != null, "e");
            if (!eventType.equals("trade")) {
                throw new MalformedFrameException("unexpected event type '" + eventType + "'");
            }
            require(symbol != null, "s");
            require(tradeId != Long.MIN_VALUE, "t");
            require(price != null, "p");
            require(qty != null, "q");
            require(tradeTime != Long.MIN_VALUE, "T");
            require(buyerIsMaker != null, "m");
            return new TradeEvent(symbol, tradeId, price, qty, tradeTime,
                    eventTime == Long.MIN_VALUE ? tradeTime : eventTime, buyerIsMaker);
        }
    }

    /** The {@code o} object of a {@code forceOrder} event. */
    private static final class LiquidationFields {
        String symbol;
        String side;
        Decimal price;
        Decimal averagePrice;
        Decimal quantity;
        Decimal filled;
        String status;
        long tradeTime = Long.MIN_VALUE;

        static LiquidationFields read(JsonParser p) throws IOException, MalformedFrameException {
            LiquidationFields o = new LiquidationFields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "s" -> o.symbol = string(p, v, "o.s");
                    case "S" -> o.side = string(p, v, "o.S");
                    case "p" -> o.price = decimal(p, v, "o.p", false);
                    case "ap" -> o.averagePrice = decimal(p, v, "o.ap", false);
                    case "q" -> o.quantity = decimal(p, v, "o.q", false);
                    case "z" -> o.filled = decimal(p, v, "o.z", false);
                    case "X" -> o.status = string(p, v, "o.X");
                    case "T" -> o.tradeTime = integer(p, v, "o.T");
                    default -> p.skipChildren();
                }
            }
            return o;
        }

        LiquidationEvent toEvent(long eventTime) throws MalformedFrameException {
            require(symbol != null, "o.s");
            require(side != null, "o.S");
            if (!side.equals("BUY") && !side.equals("SELL")) {
                throw new MalformedFrameException("field 'o.S' is '" + side + "', expected BUY or SELL");
            }
            // The fill is what happened: average price and filled quantity when the venue has them.
            Decimal px = averagePrice != null && averagePrice.getUnscaled() > 0 ? averagePrice : price;
            Decimal qty = filled != null && filled.getUnscaled() > 0 ? filled : quantity;
            require(px != null, "o.ap");
            require(qty != null, "o.z");
            if (px.getUnscaled() <= 0) {
                throw new MalformedFrameException("fields 'o.ap' and 'o.p' are both zero");
            }
            if (qty.getUnscaled() <= 0) {
                throw new MalformedFrameException("fields 'o.z' and 'o.q' are both zero");
            }
            return new LiquidationEvent(symbol, side, px, qty, status,
                    tradeTime == Long.MIN_VALUE ? eventTime : tradeTime, eventTime);
        }
    }

    private static boolean matchesStream(String stream, String symbol) {
        int n = symbol.length();
        return stream.length() > n && stream.charAt(n) == '@' && stream.regionMatches(true, 0, symbol, 0, n);
    }

    private static void require(boolean present, String field) throws MalformedFrameException {
        if (!present) {
            throw new MalformedFrameException("field '" + field + "' is missing");
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

    private static long integer(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedFrameException("field '" + field + "' is not an integer: " + shown(p, v));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new MalformedFrameException("field '" + field + "' is out of range: " + p.getText());
        }
        return p.getLongValue();
    }

    private static boolean bool(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw new MalformedFrameException("field '" + field + "' is not a boolean: " + shown(p, v));
        }
        return v == JsonToken.VALUE_TRUE;
    }

    private static Decimal skip(JsonParser p, Decimal value) throws IOException {
        p.skipChildren();
        return value;
    }

    /** {@code [["price","size"],...]}; extra elements after the size (old "ignore" arrays) are skipped. */
    private static List<BookLevel> levels(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of levels: " + shown(p, v));
        }
        List<BookLevel> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
            Decimal price = decimal(p, p.nextToken(), field + "[" + out.size() + "] price", true);
            Decimal size = decimal(p, p.nextToken(), field + "[" + out.size() + "] size", false);
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

    private static Decimal decimal(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        return decimal(p, v, field, true);
    }

    /** @param positive true: must be above zero (prices, trade sizes); false: zero allowed (a removed level) */
    private static Decimal decimal(JsonParser p, JsonToken v, String field, boolean positive)
            throws IOException, MalformedFrameException {
        // Binance sends decimals as strings, exactly; a bare JSON number would mean the format changed.
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
