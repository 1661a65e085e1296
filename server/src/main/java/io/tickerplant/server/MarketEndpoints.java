package io.tickerplant.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tickerplant.model.Instrument;
import io.tickerplant.store.ConnectionFactory;
import io.tickerplant.store.DerivedQueries;
import io.tickerplant.store.MarketQueries.Range;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The endpoints over what Kafka Streams derives across venues: the consolidated best bid/offer, the index price,
 * oracle accuracy and its alerts. They give the dashboard its starting state; live changes come over
 * {@code /api/stream} (types {@code bbo}, {@code index}, {@code accuracy}, {@code alerts}).
 */
final class MarketEndpoints {

    private static final int DEFAULT_ALERTS = 20;

    private final ConnectionFactory db;

    MarketEndpoints(ConnectionFactory db) {
        this.db = db;
    }

    /** Adds this class's routes. */
    void register(RoutesConfig routes) {
        routes.get("/api/bbo", this::bbo);
        routes.get("/api/index", this::index);
        routes.get("/api/accuracy", this::accuracy);
        routes.get("/api/alerts", this::alerts);
    }

    /** {@code GET /api/bbo?symbol=BTC-USDT}: the latest consolidated BBO ({@code bbo} null when none yet). */
    void bbo(Context ctx) throws Exception {
        String symbol = WebServer.symbol(ctx.queryParam("symbol"));
        try (Connection c = db.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbol", symbol);
            out.put("bbo", DerivedQueries.latestBbo(c, symbol));
            ctx.json(out);
        }
    }

    /** {@code GET /api/index?symbol=BTC-USDT}: the latest index price with each venue's deviation. */
    void index(Context ctx) throws Exception {
        String symbol = WebServer.symbol(ctx.queryParam("symbol"));
        try (Connection c = db.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbol", symbol);
            out.put("index", DerivedQueries.latestIndex(c, symbol));
            ctx.json(out);
        }
    }

    /**
     * {@code GET /api/accuracy?pair=ETH-USD&from=&to=&limit=}: accuracy rows of a pair, the newest {@code limit},
     * oldest first, with the DEVIATION threshold its latest alert named (null when it never had one).
     */
    void accuracy(Context ctx) throws Exception {
        String pair = pair(ctx.queryParam("pair"));
        Range range = WebServer.range(ctx);
        int limit = WebServer.limit(ctx.queryParam("limit"), WebServer.DEFAULT_BARS);
        try (Connection c = db.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pair", pair);
            out.put("thresholdPct", DerivedQueries.deviationThreshold(c, pair));
            out.put("rows", DerivedQueries.accuracy(c, pair, range, limit));
            ctx.json(out);
        }
    }

    /** {@code GET /api/alerts?pair=&limit=}: the newest alerts, of one pair or of all, newest first. */
    void alerts(Context ctx) throws Exception {
        String raw = ctx.queryParam("pair");
        String pair = raw == null || raw.isBlank() ? null : pair(raw);
        int limit = WebServer.limit(ctx.queryParam("limit"), DEFAULT_ALERTS);
        try (Connection c = db.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pair", pair);
            out.put("alerts", DerivedQueries.alerts(c, pair, limit));
            ctx.json(out);
        }
    }

    /** A reference pair such as ETH-USD: the same rules as a symbol, reported under its own name. */
    private static String pair(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new BadParameterException("pair", "required, e.g. pair=ETH-USD");
        }
        try {
            return Instrument.parse(raw).symbol();
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("pair", e.getMessage());
        }
    }
}
