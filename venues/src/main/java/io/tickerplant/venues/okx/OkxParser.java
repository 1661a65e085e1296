package io.tickerplant.venues.okx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OKX v5 public websocket frames with Jackson's streaming parser: pushes ({@code {"arg":{...},"data":[...]}})
 * of the {@code trades}, {@code bbo-tbt}, {@code tickers}, {@code books} (and {@code books5}), {@code
 * liquidation-orders}, {@code funding-rate} and {@code mark-price} channels, events ({@code subscribe},
 * {@code unsubscribe}, {@code error}, {@code notice}) and the {@code pong} text answer; plus the REST
 * {@code /api/v5/public/instruments} answer (for swap contract values).
 *
 * <p>Fields are read in any order (OKX puts {@code arg} first, but JSON does not promise it): every data object is
 * read into one set of fields, turned into the channel's record once the frame is complete. Prices and sizes are
 * exact decimals of the venue's text. A frame that is not what OKX documents fails with
 * {@link MalformedFrameException} whose message names the field and the bad value. Stateless and thread-safe.
 */
public final class OkxParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();

    /** A frame the adapter cannot use, with a one-line reason. */
    public static final class MalformedFrameException extends Exception {
        public MalformedFrameException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a frame turned out to be. */
    public sealed interface Frame permits Push, Event, Pong {
    }

    /** The text {@code pong}, OKX's answer to the client's text {@code ping}. */
    public record Pong() implements Frame {
    }

    /**
     * An event: {@code subscribe}/{@code unsubscribe} acknowledgements (with the channel and instId), {@code error}
     * (with code and message), {@code notice} (service upgrade: the venue will close the connection soon).
     */
    public record Event(String event, String channel, String instId, String code, String msg) implements Frame {
    }

    /** A push of one channel; {@code instId} or {@code instType} from {@code arg}; {@code action} for books. */
    public record Push(String channel, String instId, String instType, String action, List<Data> data)
            implements Frame {
    }

    /** One element of a push's data array. */
    public sealed interface Data permits TradeData, QuoteData, BookData, LiquidationData, FundingRateData,
            MarkPriceData {
    }

    /** A trade ({@code trades}); {@code side} is the taker's side; size in contracts for swaps. */
    public record TradeData(String instId, String tradeId, Decimal price, Decimal size, Side side, long tsMillis)
            implements Data {
    }

    /** Best bid and ask ({@code bbo-tbt}: {@code seqId}; {@code tickers}: none, -1). Sizes in contracts for swaps. */
    public record QuoteData(String instId, Decimal bidPrice, Decimal bidSize, Decimal askPrice, Decimal askSize,
                            long tsMillis, long seqId) implements Data {
    }

    /**
     * One {@code books} snapshot or update. {@code checksum} 0 means none was sent; {@code seqId} and
     * {@code prevSeqId} are null where the venue sent none (recordings from before 2022-06).
     */
    public record BookData(String instId, List<BookLevel> bids, List<BookLevel> asks, long tsMillis, long checksum,
                           Long seqId, Long prevSeqId) implements Data {
    }

    /** One liquidation detail; {@code side} is the liquidation order's side ({@code sell} closes a long). */
    public record LiquidationData(String instId, Side side, String posSide, Decimal bankruptcyPrice, Decimal size,
                                  long tsMillis) implements Data {
    }

    /** {@code funding-rate}: the current period's rate, settled at {@code fundingTime}. */
    public record FundingRateData(String instId, Decimal fundingRate, long fundingTimeMillis, long tsMillis)
            implements Data {
    }

    /** {@code mark-price}. */
    public record MarkPriceData(String instId, Decimal markPrice, long tsMillis) implements Data {
    }

    /** One instrument of {@code GET /api/v5/public/instruments}. */
    public record InstrumentInfo(String instId, String instType, Decimal ctVal, String ctValCcy, String ctType) {
    }

    /** Parses one websocket frame. */
    public Frame parse(String frame) throws MalformedFrameException {
        if (frame.equals("pong")) {
            return new Pong();
        }
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("frame is neither 'pong' nor a JSON object");
            }
            String event = null;
            String channel = null;
            String instId = null;
            String instType = null;
            String action = null;
            String code = null;
            String msg = null;
            List<Fields> data = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "event" -> event = string(p, v, "event");
                    case "action" -> action = string(p, v, "action");
                    case "code" -> code = v == JsonToken.VALUE_NULL ? null : p.getText();
                    case "msg" -> msg = v == JsonToken.VALUE_NULL ? null : p.getText();
                    case "arg" -> {
                        if (v != JsonToken.START_OBJECT) {
                            throw new MalformedFrameException("field 'arg' is not an object: " + shown(p, v));
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken av = p.nextToken();
                            switch (f) {
                                case "channel" -> channel = string(p, av, "arg.channel");
                                case "instId" -> instId = string(p, av, "arg.instId");
                                case "instType" -> instType = string(p, av, "arg.instType");
                                default -> p.skipChildren();
                            }
                        }
                    }
                    case "data" -> {
                        if (v != JsonToken.START_ARRAY) {
                            throw new MalformedFrameException("field 'data' is not an array: " + shown(p, v));
                        }
                        data = new ArrayList<>(1);
                        JsonToken e;
                        while ((e = p.nextToken()) == JsonToken.START_OBJECT) {
                            Fields f = new Fields();
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String fn = p.currentName();
                                f.read(p, p.nextToken(), fn);
                            }
                            data.add(f);
                        }
                        if (e != JsonToken.END_ARRAY) {
                            throw new MalformedFrameException("field 'data' is not an array of objects");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedFrameException("frame is not a single JSON object");
            }
            if (event != null) {
                return new Event(event, channel, instId, code, msg);
            }
            if (channel == null) {
                throw new MalformedFrameException(data == null ? "frame has neither 'event' nor 'arg'"
                        : "field 'arg.channel' is missing");
            }
            if (data == null) {
                throw new MalformedFrameException("field 'data' is missing");
            }
            List<Data> out = new ArrayList<>(data.size());
            for (Fields f : data) {
                f.toData(channel, instId, out);
            }
            return new Push(channel, instId, instType, action, out);
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame: " + e.getMessage());
        }
    }

    /** Parses a {@code GET /api/v5/public/instruments} answer: instId to its contract details. */
    public Map<String, InstrumentInfo> parseInstruments(String body) throws MalformedFrameException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("instruments answer is not a JSON object");
            }
            String code = null;
            String msg = null;
            Map<String, InstrumentInfo> out = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "code" -> code = p.getText();
                    case "msg" -> msg = p.getText();
                    case "data" -> {
                        if (v != JsonToken.START_ARRAY) {
                            throw new MalformedFrameException("field 'data' is not an array: " + shown(p, v));
                        }
                        out = new HashMap<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> f = new HashMap<>();
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String fn = p.currentName();
                                JsonToken fv = p.nextToken();
                                if (fv.isStructStart()) {
                                    p.skipChildren();
                                } else {
                                    f.put(fn, p.getText());
                                }
                            }
                            String id = f.get("instId");
                            if (id == null) {
                                throw new MalformedFrameException("instrument without field 'instId'");
                            }
                            String ct = f.getOrDefault("ctVal", "");
                            Decimal ctVal;
                            try {
                                ctVal = ct.isEmpty() ? null : Decimals.parse(ct);
                            } catch (NumberFormatException e) {
                                throw new MalformedFrameException("instrument " + id + ": field 'ctVal' is not a"
                                        + " decimal: '" + ct + "'");
                            }
                            out.put(id, new InstrumentInfo(id, f.get("instType"), ctVal, f.get("ctValCcy"),
                                    f.get("ctType")));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (code != null && !code.equals("0")) {
                throw new MalformedFrameException("instruments answer has code " + code + ": " + msg);
            }
            if (out == null) {
                throw new MalformedFrameException("instruments answer has no field 'data'");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable answer: " + e.getMessage());
        }
    }

    /** The fields of every channel's data objects; which ones must be present depends on the channel. */
    private static final class Fields {
        String instId;
        String tradeId;
        Decimal px;
        Decimal sz;
        String side;
        long ts = Long.MIN_VALUE;
        Decimal bidPx;
        Decimal bidSz;
        Decimal askPx;
        Decimal askSz;
        List<BookLevel> bids;
        List<BookLevel> asks;
        long checksum;
        Long seqId;
        Long prevSeqId;
        List<Fields> details;
        String posSide;
        Decimal bkPx;
        Decimal fundingRate;
        long fundingTime = Long.MIN_VALUE;
        Decimal markPx;

        void read(JsonParser p, JsonToken v, String name) throws IOException, MalformedFrameException {
            switch (name) {
                case "instId" -> instId = string(p, v, "instId");
                case "tradeId" -> tradeId = string(p, v, "tradeId");
                case "px" -> px = decimal(p, v, "px");
                case "sz" -> sz = decimal(p, v, "sz");
                case "side" -> side = string(p, v, "side");
                case "ts" -> ts = millis(p, v, "ts");
                case "bidPx" -> bidPx = optionalDecimal(p, v, "bidPx");
                case "bidSz" -> bidSz = optionalDecimal(p, v, "bidSz");
                case "askPx" -> askPx = optionalDecimal(p, v, "askPx");
                case "askSz" -> askSz = optionalDecimal(p, v, "askSz");
                case "bids" -> bids = levels(p, v, "bids");
                case "asks" -> asks = levels(p, v, "asks");
                case "checksum" -> checksum = integer(p, v, "checksum");
                case "seqId" -> seqId = integer(p, v, "seqId");
                case "prevSeqId" -> prevSeqId = integer(p, v, "prevSeqId");
                case "posSide" -> posSide = string(p, v, "posSide");
                case "bkPx" -> bkPx = decimal(p, v, "bkPx");
                case "fundingRate" -> fundingRate = decimal(p, v, "fundingRate");
                case "fundingTime" -> fundingTime = millis(p, v, "fundingTime");
                case "markPx" -> markPx = decimal(p, v, "markPx");
                case "details" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw new MalformedFrameException("field 'details' is not an array: " + shown(p, v));
                    }
                    details = new ArrayList<>(1);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Fields d = new Fields();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String fn = p.currentName();
                            d.read(p, p.nextToken(), fn);
                        }
                        details.add(d);
                    }
                }
                default -> p.skipChildren();
            }
        }

        void toData(String channel, String argInstId, List<Data> out) throws MalformedFrameException {
            String id = instId != null ? instId : argInstId;
            switch (channel) {
                case "trades", "trades-all" -> {
                    require(id != null, "instId");
                    require(tradeId != null, "tradeId");
                    require(px != null, "px");
                    require(sz != null, "sz");
                    require(ts != Long.MIN_VALUE, "ts");
                    positive(px, "px");
                    positive(sz, "sz");
                    out.add(new TradeData(id, tradeId, px, sz, side(side, "side"), ts));
                }
                case "bbo-tbt", "books1" -> {
                    require(id != null, "instId");
                    require(bids != null, "bids");
                    require(asks != null, "asks");
                    require(ts != Long.MIN_VALUE, "ts");
                    if (bids.isEmpty() || asks.isEmpty()) {
                        throw new MalformedFrameException("field '" + (bids.isEmpty() ? "bids" : "asks")
                                + "' is empty: no best level to quote");
                    }
                    out.add(new QuoteData(id, bids.get(0).getPrice(), bids.get(0).getSize(), asks.get(0).getPrice(),
                            asks.get(0).getSize(), ts, seqId == null ? -1 : seqId));
                }
                case "tickers" -> {
                    require(id != null, "instId");
                    require(bidPx != null, "bidPx");
                    require(bidSz != null, "bidSz");
                    require(askPx != null, "askPx");
                    require(askSz != null, "askSz");
                    require(ts != Long.MIN_VALUE, "ts");
                    out.add(new QuoteData(id, bidPx, bidSz, askPx, askSz, ts, -1));
                }
                case "books", "books5", "books-l2-tbt", "books50-l2-tbt" -> {
                    require(id != null, "instId");
                    require(bids != null, "bids");
                    require(asks != null, "asks");
                    require(ts != Long.MIN_VALUE, "ts");
                    out.add(new BookData(id, bids, asks, ts, checksum, seqId, prevSeqId));
                }
                case "liquidation-orders" -> {
                    require(id != null, "instId");
                    require(details != null, "details");
                    for (int i = 0; i < details.size(); i++) {
                        Fields d = details.get(i);
                        String at = "details[" + i + "].";
                        require(d.sz != null, at + "sz");
                        require(d.bkPx != null, at + "bkPx");
                        require(d.ts != Long.MIN_VALUE, at + "ts");
                        positive(d.sz, at + "sz");
                        out.add(new LiquidationData(id, side(d.side, at + "side"), d.posSide, d.bkPx, d.sz, d.ts));
                    }
                }
                case "funding-rate" -> {
                    require(id != null, "instId");
                    require(fundingRate != null, "fundingRate");
                    require(fundingTime != Long.MIN_VALUE, "fundingTime");
                    out.add(new FundingRateData(id, fundingRate, fundingTime, ts == Long.MIN_VALUE ? -1 : ts));
                }
                case "mark-price" -> {
                    require(id != null, "instId");
                    require(markPx != null, "markPx");
                    require(ts != Long.MIN_VALUE, "ts");
                    out.add(new MarkPriceData(id, markPx, ts));
                }
                default -> throw new MalformedFrameException("field 'arg.channel' is '" + channel
                        + "', a channel this adapter does not read");
            }
        }
    }

    private static Side side(String side, String field) throws MalformedFrameException {
        if (side == null) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
        return switch (side) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw new MalformedFrameException("field '" + field + "' is '" + side
                    + "', expected buy or sell");
        };
    }

    private static void require(boolean present, String field) throws MalformedFrameException {
        if (!present) {
            throw new MalformedFrameException("field '" + field + "' is missing");
        }
    }

    private static void positive(Decimal d, String field) throws MalformedFrameException {
        if (d.getUnscaled() <= 0) {
            throw new MalformedFrameException("field '" + field + "' is not positive: '"
                    + Decimals.toPlainString(d) + "'");
        }
    }

    private static String string(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a string: " + shown(p, v));
        }
        return p.getText();
    }

    private static long integer(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v == JsonToken.VALUE_STRING) {
            // OKX sends some integers as strings in some channels; accept both forms.
            try {
                return Long.parseLong(p.getText());
            } catch (NumberFormatException e) {
                throw new MalformedFrameException("field '" + field + "' is not an integer: '" + p.getText() + "'");
            }
        }
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new MalformedFrameException("field '" + field + "' is not an integer: " + shown(p, v));
        }
        return p.getLongValue();
    }

    /** OKX times are epoch milliseconds as strings: {@code "1597026383085"}. */
    private static long millis(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        long ms = integer(p, v, field);
        if (ms < 0) {
            throw new MalformedFrameException("field '" + field + "' is negative: " + ms);
        }
        return ms;
    }

    private static Decimal decimal(JsonParser p, JsonToken v, String field) throws IOException, MalformedFrameException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal string: " + shown(p, v));
        }
        return decimalText(p.getText(), field);
    }

    /** Tickers send {@code ""} for an empty side. */
    private static Decimal optionalDecimal(JsonParser p, JsonToken v, String field)
            throws IOException, MalformedFrameException {
        if (v == JsonToken.VALUE_STRING && p.getTextLength() == 0) {
            return null;
        }
        return decimal(p, v, field);
    }

    private static Decimal decimalText(String text, String field) throws MalformedFrameException {
        try {
            return Decimals.parse(text);
        } catch (NumberFormatException e) {
            throw new MalformedFrameException("field '" + field + "' is not a decimal: '" + text + "'");
        }
    }

    /** {@code [["price","size","0","numOrders"],...]}; elements after the size are skipped. */
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
            Decimal size = decimal(p, p.nextToken(), at + " size");
            if (price.getUnscaled() <= 0) {
                throw new MalformedFrameException("field '" + at + " price' is not positive: '"
                        + Decimals.toPlainString(price) + "'");
            }
            if (size.getUnscaled() < 0) {
                throw new MalformedFrameException("field '" + at + " size' is negative: '"
                        + Decimals.toPlainString(size) + "'");
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedFrameException("field '" + field + "' ends early");
                }
                p.skipChildren();
            }
            out.add(new BookLevel(price, size));
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedFrameException("field '" + field + "' is not an array of [price, size, ...] arrays");
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
        String text = p.getText();
        return v == JsonToken.VALUE_STRING ? "'" + text + "'" : text;
    }
}
