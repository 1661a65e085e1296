package io.tickerplant.emulator.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.SymbolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binance's market-data REST endpoints, with its error bodies and rate-limit answers: spot under {@code /api/v3},
 * USD-M futures under {@code /fapi/v1} (with {@code aggTrades} in place of {@code historicalTrades}).
 */
final class RestApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEFAULT_LIMIT = 500;
    private static final int MAX_LIMIT = 1000;

    /** An error answered in Binance's {@code {"code":..,"msg":..}} form. */
    private static final class BinanceError extends RuntimeException {
        final int status;
        final int code;

        BinanceError(int status, int code, String msg) {
            super(msg, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private final BinanceEmulator emulator;
    private final AtomicLong requests = new AtomicLong();
    private final Object faultLock = new Object();
    private int failuresLeft;
    private int failureStatus;
    private Duration retryAfter = Duration.ZERO;

    RestApi(BinanceEmulator emulator) {
        this.emulator = emulator;
    }

    void register(RoutesConfig routes) {
        if (emulator.futures()) {
            routes.get("/fapi/v1/ping", api(ctx -> ctx.result("{}")));
            routes.get("/fapi/v1/time", api(ctx -> ctx.result("{\"serverTime\":" + System.currentTimeMillis() + "}")));
            routes.get("/fapi/v1/exchangeInfo", api(this::exchangeInfo));
            routes.get("/fapi/v1/aggTrades", api(this::aggTrades));
            routes.get("/fapi/v1/trades", api(ctx -> trades(ctx, false)));
            routes.get("/fapi/v1/depth", api(this::depth));
            return;
        }
        routes.get("/api/v3/ping", api(ctx -> ctx.result("{}")));
        routes.get("/api/v3/time", api(ctx -> ctx.result("{\"serverTime\":" + System.currentTimeMillis() + "}")));
        routes.get("/api/v3/exchangeInfo", api(this::exchangeInfo));
        routes.get("/api/v3/historicalTrades", api(ctx -> trades(ctx, true)));
        routes.get("/api/v3/trades", api(ctx -> trades(ctx, false)));
        routes.get("/api/v3/depth", api(this::depth));
    }

    long requests() {
        return requests.get();
    }

    void fail(int count, int status, Duration retryAfter) {
        synchronized (faultLock) {
            this.failuresLeft = count;
            this.failureStatus = status;
            this.retryAfter = retryAfter;
        }
    }

    private Handler api(Handler h) {
        return ctx -> {
            requests.incrementAndGet();
            ctx.contentType("application/json;charset=UTF-8");
            int status = 0;
            long retrySeconds = 0;
            synchronized (faultLock) {
                if (failuresLeft > 0) {
                    if (failuresLeft != Integer.MAX_VALUE) {
                        failuresLeft--;
                    }
                    status = failureStatus;
                    retrySeconds = (retryAfter.toMillis() + 999) / 1000;
                }
            }
            if (status != 0) {
                if (status == 429 || status == 418) {
                    ctx.header("Retry-After", Long.toString(retrySeconds));
                    error(ctx, status, -1003, status == 429
                            ? "Too much request weight used; current limit is 6000 request weight per 1 MINUTE."
                            + " Please use WebSocket Streams for live updates to avoid polling the API."
                            : "Way too much request weight used; IP banned until "
                            + (System.currentTimeMillis() + retrySeconds * 1000)
                            + ". Please use WebSocket Streams for live updates to avoid bans.");
                } else {
                    error(ctx, status, -1000, "An unknown error occurred while processing the request.");
                }
                return;
            }
            try {
                h.handle(ctx);
            } catch (BinanceError e) {
                error(ctx, e.status, e.code, e.getMessage());
            }
        };
    }

    private static void error(Context ctx, int status, int code, String msg) {
        ObjectNode n = NODES.objectNode();
        n.put("code", code);
        n.put("msg", msg);
        ctx.status(status).result(n.toString());
    }

    private void trades(Context ctx, boolean historical) {
        String symbol = symbolParam(ctx, ctx.queryParam("symbol"));
        int limit = DEFAULT_LIMIT;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            long l = longParam("limit", limitText);
            if (l < 1) {
                throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
            }
            limit = (int) Math.min(MAX_LIMIT, l);
        }
        String fromIdText = historical ? ctx.queryParam("fromId") : null;
        List<EmittedTrade> page = fromIdText == null
                ? emulator.history().latest(symbol, limit)
                : emulator.history().fromId(symbol, longParam("fromId", fromIdText), limit);
        ArrayNode out = NODES.arrayNode(page.size());
        for (EmittedTrade t : page) {
            ObjectNode n = out.addObject();
            n.put("id", t.id());
            n.put("price", t.price());
            n.put("qty", t.qty());
            n.put("quoteQty", t.quoteQty());
            n.put("time", t.timeMillis());
            n.put("isBuyerMaker", t.buyerIsMaker());
            n.put("isBestMatch", true);
        }
        ctx.result(out.toString());
    }

    /**
     * Futures aggregate trades, one per simulated trade: {@code fromId} pages by aggregate id, without it the latest.
     */
    private void aggTrades(Context ctx) {
        String symbol = symbolParam(ctx, ctx.queryParam("symbol"));
        int limit = DEFAULT_LIMIT;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            long l = longParam("limit", limitText);
            if (l < 1) {
                throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
            }
            limit = (int) Math.min(MAX_LIMIT, l);
        }
        String fromIdText = ctx.queryParam("fromId");
        List<EmittedTrade> page = fromIdText == null
                ? emulator.history().latest(symbol, limit)
                : emulator.history().fromId(symbol, longParam("fromId", fromIdText), limit);
        ArrayNode out = NODES.arrayNode(page.size());
        for (EmittedTrade t : page) {
            ObjectNode n = out.addObject();
            n.put("a", t.id());
            n.put("p", t.price());
            n.put("q", t.qty());
            n.put("f", t.id());
            n.put("l", t.id());
            n.put("T", t.timeMillis());
            n.put("m", t.buyerIsMaker());
        }
        ctx.result(out.toString());
    }

    /** Order book snapshot: limit defaults to 100, larger values are cut to 5000, as Binance documents. */
    private void depth(Context ctx) {
        String symbol = symbolParam(ctx, ctx.queryParam("symbol"));
        int limit = 100;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            long l = longParam("limit", limitText);
            if (l < 1) {
                throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
            }
            limit = (int) Math.min(5000, l);
        }
        io.tickerplant.emulator.BookSnapshot book = emulator.book(symbol, limit);
        StringBuilder sb = new StringBuilder(64 + 48 * (book.bids().size() + book.asks().size()))
                .append("{\"lastUpdateId\":").append(book.lastUpdateId());
        if (emulator.futures()) {
            long now = System.currentTimeMillis();
            sb.append(",\"E\":").append(now).append(",\"T\":").append(now);
        }
        sb.append(",\"bids\":");
        levels(sb, book.bids());
        sb.append(",\"asks\":");
        levels(sb, book.asks());
        ctx.result(sb.append('}').toString());
    }

    private static void levels(StringBuilder sb, List<io.tickerplant.emulator.BookSnapshot.Level> levels) {
        sb.append('[');
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("[\"").append(levels.get(i).price()).append("\",\"").append(levels.get(i).qty()).append("\"]");
        }
        sb.append(']');
    }

    private void exchangeInfo(Context ctx) {
        List<String> wanted = new ArrayList<>();
        String one = ctx.queryParam("symbol");
        String many = ctx.queryParam("symbols");
        if (one != null) {
            wanted.add(symbolParam(ctx, one));
        } else if (many != null) {
            try {
                JsonNode arr = JSON.readTree(many);
                if (!arr.isArray()) {
                    throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
                }
                for (JsonNode n : arr) {
                    wanted.add(symbolParam(ctx, n.asText()));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
            }
        } else {
            wanted.addAll(emulator.specs().keySet());
        }
        ObjectNode root = NODES.objectNode();
        root.put("timezone", "UTC");
        root.put("serverTime", System.currentTimeMillis());
        ArrayNode limits = root.putArray("rateLimits");
        limits.addObject().put("rateLimitType", "REQUEST_WEIGHT").put("interval", "MINUTE")
                .put("intervalNum", 1).put("limit", 6000);
        root.putArray("exchangeFilters");
        ArrayNode symbols = root.putArray("symbols");
        for (String s : wanted) {
            SymbolSpec spec = emulator.spec(s);
            ObjectNode n = symbols.addObject();
            n.put("symbol", spec.symbol());
            n.put("status", "TRADING");
            n.put("baseAsset", spec.baseAsset());
            n.put("baseAssetPrecision", MarketSimulator.SCALE);
            n.put("quoteAsset", spec.quoteAsset());
            n.put("quotePrecision", MarketSimulator.SCALE);
            n.put("quoteAssetPrecision", MarketSimulator.SCALE);
            ArrayNode filters = n.putArray("filters");
            filters.addObject().put("filterType", "PRICE_FILTER")
                    .put("tickSize", spec.tickSize().setScale(MarketSimulator.SCALE).toPlainString());
            filters.addObject().put("filterType", "LOT_SIZE")
                    .put("stepSize", spec.lotSize().setScale(MarketSimulator.SCALE).toPlainString());
        }
        ctx.result(root.toString());
    }

    private String symbolParam(Context ctx, String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            throw new BinanceError(400, -1102,
                    "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        }
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            boolean legal = c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
            if (!legal || symbol.length() > 20) {
                throw new BinanceError(400, -1100,
                        "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'.");
            }
        }
        if (!emulator.history().has(symbol)) {
            throw new BinanceError(400, -1121, "Invalid symbol.");
        }
        return symbol;
    }

    private static long longParam(String name, String text) {
        try {
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below, like any other illegal value
        }
        throw new BinanceError(400, -1100,
                "Illegal characters found in parameter '" + name + "'; legal range is '^[0-9]{1,20}$'.");
    }
}
