package io.tickerplant.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.server.pipeline.PipelineMonitor;
import io.tickerplant.server.pipeline.PipelineSources;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.server.query.QueryFailedException;
import io.tickerplant.store.ConnectionFactory;
import io.tickerplant.store.DerivativesQueries;
import io.tickerplant.store.MarketQueries;
import io.tickerplant.store.MarketQueries.Range;
import io.tickerplant.store.TradeQueries;
import io.tickerplant.streams.LiveState;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the platform: a JSON API over the database, live events from Kafka over Server-Sent Events,
 * the pipeline's state and problems ({@code /api/pipeline}, see {@link PipelineMonitor} for the meters), Prometheus
 * metrics and the dashboard. Errors are JSON with a message naming what was wrong, never a stack trace.
 * Amounts in JSON are decimal strings and times ISO-8601 strings, so nothing passes through binary floating point.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    static final int MAX_LIMIT = 1000;

    static final int DEFAULT_BARS = 500;
    private static final Pattern INTERVAL = Pattern.compile("[1-9][0-9]{0,3}[smhd]");
    private static final Pattern VENUE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final String START_NANOS = "tickerplant.startNanos";
    /** How often an idle live stream gets a comment line, so that a vanished browser is noticed. */
    private static final int KEEPALIVE_SECONDS = 15;

    private final Javalin app;
    private final ConnectionFactory db;
    private final Supplier<Map<String, Object>> health;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LivePush live;
    private final PipelineMonitor monitor;
    private volatile boolean closing;

    /**
     * A server without live push ({@code /api/stream} answers 503): for uses without Kafka, such as API tests.
     *
     * @param host address to bind, normally 127.0.0.1
     * @param port port, 0 for a free one
     * @param db where queries run
     * @param health what {@code /api/health} reports; must contain {@code "status"}
     */
    public WebServer(String host, int port, ConnectionFactory db, Supplier<Map<String, Object>> health) {
        this(host, port, db, health, null, null, NamedQueries.builtIn());
    }

    /**
     * @param host address to bind, normally 127.0.0.1
     * @param port port, 0 for a free one
     * @param db where queries run
     * @param health what {@code /api/health} reports; must contain {@code "status"}
     * @param kafkaBootstrapServers where live push reads events; null for no live push
     * @param topics the topic names live push reads
     */
    public WebServer(String host, int port, ConnectionFactory db, Supplier<Map<String, Object>> health,
            String kafkaBootstrapServers, Topics topics) {
        this(host, port, db, health, kafkaBootstrapServers, topics, NamedQueries.builtIn());
    }

    /**
     * @param host address to bind, normally 127.0.0.1
     * @param port port, 0 for a free one
     * @param db where queries run
     * @param health what {@code /api/health} reports; must contain {@code "status"}
     * @param kafkaBootstrapServers where live push reads events; null for no live push
     * @param topics the topic names live push reads
     * @param queries the named queries served under {@code /api/queries} and their limits
     */
    public WebServer(String host, int port, ConnectionFactory db, Supplier<Map<String, Object>> health,
            String kafkaBootstrapServers, Topics topics, NamedQueries queries) {
        this(host, port, db, health, kafkaBootstrapServers, topics, queries, PipelineSources.none(), null);
    }

    /**
     * @param host address to bind, normally 127.0.0.1
     * @param port port, 0 for a free one
     * @param db where queries run
     * @param health what {@code /api/health} reports; must contain {@code "status"}
     * @param kafkaBootstrapServers where live push and the pipeline monitor read; null for neither
     * @param topics the topic names live push and the pipeline monitor read
     * @param queries the named queries served under {@code /api/queries} and their limits
     * @param pipeline the connectors and consumer groups {@code /api/pipeline} reports on
     * @param liveState what {@code /api/live/...} reads from the Streams stores ({@link LiveStateEndpoints});
     *                  null: those endpoints answer 503
     */
    public WebServer(String host, int port, ConnectionFactory db, Supplier<Map<String, Object>> health,
            String kafkaBootstrapServers, Topics topics, NamedQueries queries, PipelineSources pipeline,
            LiveState liveState) {
        this.db = db;
        this.health = health;
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        this.live = kafkaBootstrapServers == null ? null : new LivePush(kafkaBootstrapServers, topics, metrics);
        this.monitor = new PipelineMonitor(kafkaBootstrapServers, topics == null ? Topics.defaults() : topics, db,
                pipeline, metrics);
        NamedQueryEndpoints named = new NamedQueryEndpoints(db, queries);
        String openApi = OpenApi.document(queries).toString();
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.jsonMapper(new JavalinJackson(jsonMapper(), false));
            cfg.staticFiles.add("/web");
            cfg.routes.before(ctx -> ctx.attribute(START_NANOS, System.nanoTime()));
            cfg.routes.after(this::recordRequest);
            cfg.routes.get("/api/health", this::health);
            cfg.routes.get("/api/trades", this::trades);
            cfg.routes.get("/api/candles", this::candles);
            cfg.routes.get("/api/prices", this::prices);
            cfg.routes.get("/api/reference", this::reference);
            cfg.routes.get("/api/stream", this::stream);
            cfg.routes.get("/api/pipeline", ctx -> ctx.json(monitor.report()));
            cfg.routes.get("/api/liquidations", this::liquidations);
            cfg.routes.get("/api/liquidations/stats", this::liquidationStats);
            cfg.routes.get("/api/funding", this::funding);
            new MarketEndpoints(db).register(cfg.routes);
            new LiveStateEndpoints(liveState).register(cfg.routes);
            cfg.routes.get("/api/queries", named::list);
            cfg.routes.get("/api/queries/{name}", named::run);
            cfg.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            cfg.routes.exception(BadParameterException.class, (e, ctx) ->
                    ctx.status(400).json(Map.of("error", e.getMessage(), "parameter", e.parameter())));
            cfg.routes.exception(QueryFailedException.class, (e, ctx) ->
                    ctx.status(status(e.kind())).json(Map.of("error", e.getMessage(), "query", e.query())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                try {
                    log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
                    ctx.status(500).json(Map.of("error", "internal error: " + e.getClass().getSimpleName()));
                } catch (RuntimeException gone) {
                    // The request was already recycled (a stream whose browser went away): nobody to answer, and
                    // throwing here made Jetty log the failure in a tight loop.
                    log.debug("no answer possible for {}: {}", e, gone.toString());
                }
            });
            cfg.routes.error(404, "*", ctx -> {
                if (matchedRoute(ctx) == null) { // a route that answered 404 itself has said why
                    ctx.json(Map.of("error", "no such endpoint: " + ctx.path()));
                }
            });
        });
    }

    public WebServer start() {
        if (live != null) {
            live.start();
        }
        monitor.start();
        app.start();
        return this;
    }

    /** True when live push reads Kafka from its current end: what is produced from now on reaches subscribers. */
    public boolean livePushReady() {
        return live != null && live.ready();
    }

    /** True when the pipeline monitor reads Kafka from its current end: records from now on are counted. */
    public boolean pipelineMonitorReady() {
        return monitor.ready();
    }

    /** Amounts as plain decimal strings ("0.00010000", never "1.0E-4"), instants as ISO-8601 strings. */
    private static ObjectMapper jsonMapper() {
        SimpleModule m = new SimpleModule("tickerplant");
        m.addSerializer(BigDecimal.class, new JsonSerializer<>() {
            @Override
            public void serialize(BigDecimal v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toPlainString());
            }
        });
        m.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        return new ObjectMapper().registerModule(m);
    }

    private void recordRequest(Context ctx) {
        Long start;
        try {
            start = ctx.attribute(START_NANOS);
            if (start == null || ctx.path().equals("/api/stream")) {
                return; // a live stream's duration is how long the browser stayed, not a latency
            }
        } catch (RuntimeException recycled) {
            return; // the request is gone (see the exception handler): nothing to measure
        }
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram(false)
                .register(metrics)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /** The matched route pattern, not the raw path, so that the metric has few distinct label values. */
    private static String route(Context ctx) {
        String route = matchedRoute(ctx);
        if (route != null) {
            return route;
        }
        return ctx.statusCode() == 404 ? "unmatched" : "static";
    }

    /** The pattern of the route that handled the request, or null for a static file or an unknown path. */
    private static String matchedRoute(Context ctx) {
        try {
            Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            if (e != null && !e.path.equals("*")) {
                return e.path;
            }
        } catch (RuntimeException ignored) {
            // no endpoint matched
        }
        return null;
    }

    public int port() {
        return app.port();
    }

    /** Every route, as {@code "GET /api/trades"}: what the OpenAPI document must describe. */
    List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> e.method.name() + " " + e.path)
                .toList();
    }

    /**
     * A failed named query's status. Whose fault it is decides: the caller's values (400), the query's author
     * (500, or 403 for a write a read-only transaction refused), or the load on the database (503: try again,
     * perhaps with a narrower range).
     */
    static int status(QueryFailedException.Kind kind) {
        return switch (kind) {
            case BAD_INPUT -> 400;
            case WRITE_REFUSED -> 403;
            case BROKEN -> 500;
            case TIMEOUT, UNAVAILABLE -> 503;
        };
    }

    private void health(Context ctx) {
        Map<String, Object> h = health.get();
        ctx.status("UP".equals(h.get("status")) ? 200 : 503).json(h);
    }

    /**
     * {@code GET /api/trades?symbol=BTC-USDT&limit=100&cursor=}: the latest trades of a symbol across venues, newest
     * first; {@code next} is the cursor of the page after this one (null on the last). Paging is by key, so trades
     * that arrive meanwhile never shift a later page.
     */
    private void trades(Context ctx) throws Exception {
        String symbol = symbol(ctx.queryParam("symbol"));
        int limit = limit(ctx.queryParam("limit"), 100);
        String cursor = ctx.queryParam("cursor");
        TradeQueries.TradeKey after = cursor == null || cursor.isBlank() ? null : Cursors.trades(cursor);
        try (Connection c = db.connect()) {
            List<Trade> page = TradeQueries.latest(c, symbol, after, limit + 1);
            List<TradeView> trades = page.stream().limit(limit).map(TradeView::of).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbol", symbol);
            out.put("trades", trades);
            out.put("next", page.size() > limit ? Cursors.trades(TradeQueries.TradeKey.of(page.get(limit - 1))) : null);
            ctx.json(out);
        }
    }

    /**
     * {@code GET /api/candles?symbol=BTC-USDT&venue=ALL&interval=1m&from=&to=&limit=}: bars from the candles table,
     * the newest {@code limit} in the range, oldest first.
     */
    private void candles(Context ctx) throws Exception {
        String symbol = symbol(ctx.queryParam("symbol"));
        String venue = venue(ctx.queryParam("venue"));
        String interval = interval(ctx.queryParam("interval"));
        Range range = range(ctx);
        int limit = limit(ctx.queryParam("limit"), DEFAULT_BARS);
        try (Connection c = db.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbol", symbol);
            out.put("venue", venue);
            out.put("interval", interval);
            out.put("candles", MarketQueries.candles(c, symbol, venue, interval, range, limit));
            ctx.json(out);
        }
    }

    /** {@code GET /api/prices[?symbol=]}: the latest trade price per symbol and venue. */
    private void prices(Context ctx) throws Exception {
        String raw = ctx.queryParam("symbol");
        String symbol = raw == null || raw.isBlank() ? null : symbol(raw);
        try (Connection c = db.connect()) {
            List<MarketQueries.LastPrice> prices = MarketQueries.latestPrices(c).stream()
                    .filter(p -> symbol == null || p.symbol().equals(symbol)).toList();
            ctx.json(Map.of("prices", prices));
        }
    }

    /**
     * {@code GET /api/reference?pair=ETH-USD&from=&to=&limit=}: oracle rounds, API quotes and the deviation of each
     * round. Without {@code pair}: the latest deviation per pair and oracle.
     */
    private void reference(Context ctx) throws Exception {
        String raw = ctx.queryParam("pair");
        try (Connection c = db.connect()) {
            if (raw == null || raw.isBlank()) {
                ctx.json(Map.of("latest", MarketQueries.latestDeviations(c)));
                return;
            }
            String pair = instrument("pair", raw);
            Range range = range(ctx);
            int limit = limit(ctx.queryParam("limit"), DEFAULT_BARS);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pair", pair);
            out.put("contract", MarketQueries.contractRounds(c, pair, range, limit));
            out.put("api", MarketQueries.apiQuotes(c, pair, range, limit));
            out.put("deviation", MarketQueries.deviations(c, pair, range, limit));
            ctx.json(out);
        }
    }

    /**
     * {@code GET /api/stream?symbol=BTC-USDT&types=trades,candles,feedstatus}: Server-Sent Events from Kafka. The
     * first event, {@code hello}, confirms the subscription; then one event per record, named by its type.
     */
    private void stream(Context ctx) throws Exception {
        String rawSymbol = ctx.queryParam("symbol");
        String symbol = rawSymbol == null || rawSymbol.isBlank() ? null : symbol(rawSymbol);
        Set<LivePush.EventType> types = LivePush.parseTypes(ctx.queryParam("types"));
        if (live == null) {
            ctx.status(503).json(Map.of("error", "live push is not configured: this server has no Kafka"));
            return;
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            ctx.status(406).json(Map.of("error", "this is a Server-Sent Events stream: send Accept: text/event-stream"));
            return;
        }
        new SseHandler(client -> serve(client, symbol, types)).handle(ctx);
    }

    private void serve(SseClient client, String symbol, Set<LivePush.EventType> types) {
        try (LivePush.Subscription sub = live.subscribe(symbol, types)) {
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("symbol", symbol);
            hello.put("types", types.stream().map(LivePush.EventType::parameter).toList());
            client.sendEvent("hello", hello);
            int idle = 0;
            // This thread belongs to this browser: writing may block on a slow one without holding anyone else up.
            while (!closing && !client.terminated()) {
                LivePush.Event e = sub.next(1, TimeUnit.SECONDS);
                try {
                    if (e != null) {
                        client.sendEvent(e.name(), e.json());
                        sub.sent(e);
                        idle = 0;
                    } else if (++idle >= KEEPALIVE_SECONDS) {
                        client.sendComment("keepalive");
                        idle = 0;
                    }
                } catch (RuntimeException gone) {
                    // A browser that went away can leave the response recycled rather than the client
                    // terminated; writing on then fails for ever. Stop serving it.
                    log.debug("live stream client gone: {}", gone.toString());
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                client.close();
            } catch (RuntimeException alreadyGone) {
                log.debug("live stream already closed: {}", alreadyGone.toString());
            }
        }
    }

    /**
     * {@code GET /api/liquidations?symbol=&venue=&from=&to=&limit=&cursor=}: liquidations newest first, of every
     * symbol and venue unless narrowed, paged by key like {@code /api/trades}.
     */
    private void liquidations(Context ctx) throws Exception {
        String symbol = optionalSymbol(ctx.queryParam("symbol"));
        String venue = optionalVenue(ctx.queryParam("venue"));
        Range range = range(ctx);
        int limit = limit(ctx.queryParam("limit"), 100);
        String cursor = ctx.queryParam("cursor");
        DerivativesQueries.LiquidationKey after = cursor == null || cursor.isBlank() ? null
                : Cursors.liquidations(cursor);
        try (Connection c = db.connect()) {
            List<DerivativesQueries.Liquidation> page =
                    DerivativesQueries.liquidations(c, symbol, venue, range, after, limit + 1);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbol", symbol);
            out.put("venue", venue);
            out.put("liquidations", page.stream().limit(limit).toList());
            out.put("next", page.size() > limit
                    ? Cursors.liquidations(DerivativesQueries.LiquidationKey.of(page.get(limit - 1))) : null);
            ctx.json(out);
        }
    }

    /**
     * {@code GET /api/liquidations/stats?symbol=BTC-USDT-PERP&from=&to=&limit=}: per-minute long and short
     * liquidations across venues, the newest {@code limit} minutes in the range, oldest first.
     */
    private void liquidationStats(Context ctx) throws Exception {
        String symbol = symbol(ctx.queryParam("symbol"));
        Range range = range(ctx);
        int limit = limit(ctx.queryParam("limit"), DEFAULT_BARS);
        try (Connection c = db.connect()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbol", symbol);
            out.put("minutes", DerivativesQueries.liquidationStats(c, symbol, range, limit));
            ctx.json(out);
        }
    }

    /** {@code GET /api/funding?symbol=&venue=}: the latest mark price and funding per venue and perpetual. */
    private void funding(Context ctx) throws Exception {
        String symbol = optionalSymbol(ctx.queryParam("symbol"));
        String venue = optionalVenue(ctx.queryParam("venue"));
        try (Connection c = db.connect()) {
            ctx.json(Map.of("funding", DerivativesQueries.latestFunding(c, symbol, venue)));
        }
    }

    private static String optionalSymbol(String raw) {
        return raw == null || raw.isBlank() ? null : symbol(raw);
    }

    /** A venue id, or null (every venue) when absent or {@code ALL}. */
    private static String optionalVenue(String raw) {
        String v = venue(raw);
        return v.equals("ALL") ? null : v;
    }

    static String venue(String raw) {
        if (raw == null || raw.isBlank()) {
            return "ALL";
        }
        String v = raw.trim().toUpperCase(Locale.ROOT);
        if (!VENUE.matcher(v).matches()) {
            throw new BadParameterException("venue", "'" + raw + "' is not a venue id such as BINANCE, or ALL");
        }
        return v;
    }

    static String interval(String raw) {
        if (raw == null || raw.isBlank()) {
            return "1m";
        }
        String i = raw.trim();
        if (!INTERVAL.matcher(i).matches()) {
            throw new BadParameterException("interval", "'" + raw + "' is not an interval such as 1s, 1m, 5m, 1h");
        }
        return i;
    }

    static Range range(Context ctx) {
        Instant from = time("from", ctx.queryParam("from"));
        Instant to = time("to", ctx.queryParam("to"));
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadParameterException("to", "must be later than from (" + from + ")");
        }
        return new Range(from, to);
    }

    /** ISO-8601 ({@code 2026-05-01T12:00:00Z}, with an offset, or a date: its UTC midnight) or epoch milliseconds. */
    static Instant time(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return ApiTimes.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, e.getMessage());
        }
    }

    static String symbol(String raw) {
        return instrument("symbol", raw);
    }

    private static String instrument(String parameter, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new BadParameterException(parameter, "required, e.g. " + parameter + "=BTC-USDT");
        }
        try {
            return Instrument.parse(raw).symbol();
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(parameter, e.getMessage());
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
        closing = true;
        if (live != null) {
            live.close();
        }
        monitor.close();
        app.stop();
        metrics.close();
    }
}
