package io.tickerplant.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.tickerplant.model.Instrument;
import io.tickerplant.store.ConnectionFactory;
import io.tickerplant.store.TradeQueries;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the platform: a JSON API over the database and a status page. Errors are JSON with a message
 * naming what was wrong, never a stack trace.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    static final int MAX_LIMIT = 1000;

    private final Javalin app;
    private final ConnectionFactory db;
    private final Supplier<Map<String, Object>> health;

    /**
     * @param host address to bind, normally 127.0.0.1
     * @param port port, 0 for a free one
     * @param db where queries run
     * @param health what {@code /api/health} reports; must contain {@code "status"}
     */
    public WebServer(String host, int port, ConnectionFactory db, Supplier<Map<String, Object>> health) {
        this.db = db;
        this.health = health;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.jsonMapper(new JavalinJackson());
            cfg.staticFiles.add("/web");
            cfg.routes.get("/api/health", this::health);
            cfg.routes.get("/api/trades", this::trades);
            cfg.routes.exception(BadParameterException.class, (e, ctx) ->
                    ctx.status(400).json(Map.of("error", e.getMessage(), "parameter", e.parameter())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
                ctx.status(500).json(Map.of("error", "internal error: " + e.getClass().getSimpleName()));
            });
            cfg.routes.error(404, "*", ctx -> ctx.json(Map.of("error", "no such endpoint: " + ctx.path())));
        });
    }

    public WebServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    private void health(Context ctx) {
        Map<String, Object> h = health.get();
        ctx.status("UP".equals(h.get("status")) ? 200 : 503).json(h);
    }

    /** {@code GET /api/trades?symbol=BTC-USDT&limit=100}: the latest trades of a symbol across venues. */
    private void trades(Context ctx) throws Exception {
        String symbol = symbol(ctx.queryParam("symbol"));
        int limit = limit(ctx.queryParam("limit"), 100);
        try (Connection c = db.connect()) {
            List<TradeView> trades = TradeQueries.latest(c, symbol, limit).stream().map(TradeView::of).toList();
            ctx.json(Map.of("symbol", symbol, "trades", trades));
        }
    }

    static String symbol(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new BadParameterException("symbol", "required, e.g. symbol=BTC-USDT");
        }
        try {
            return Instrument.parse(raw).symbol();
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("symbol", e.getMessage());
        }
    }

    static int limit(String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadParameterException("limit", "'" + raw + "' is not a whole number from 1 to " + MAX_LIMIT);
    }

    @Override
    public void close() {
        app.stop();
    }
}
