package io.tickerplant.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.VenueDeviation;
import io.tickerplant.streams.CandleTopology;
import io.tickerplant.streams.LiveState;
import io.tickerplant.streams.LiveStateUnavailableException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /api/live/candle}, {@code /api/live/bbo} and {@code /api/live/index}: the newest bar, consolidated BBO and
 * index price of a symbol, straight from the Kafka Streams state stores ({@link LiveState}) rather than from the
 * database, so they are as fresh as the topology (the tables lag by the sink's batches).
 *
 * <p>Answers: 200 with the value; 404 when the stores hold nothing yet for that key; 503 (with
 * {@code Retry-After}) while the stores are rebalancing or restoring, or when this server has no Streams
 * applications; 400 naming a bad parameter. Amounts are decimal strings, times ISO-8601, as elsewhere in the API.
 */
final class LiveStateEndpoints {
    /** Seconds a client is asked to wait before retrying a 503: a rebalance usually settles within a few. */
    private static final String RETRY_AFTER_SECONDS = "2";

    private final LiveState live;

    /** @param live the stores to read; null for a server without Streams (every request answers 503) */
    LiveStateEndpoints(LiveState live) {
        this.live = live;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/live/candle", this::candle);
        routes.get("/api/live/bbo", this::bbo);
        routes.get("/api/live/index", this::index);
    }

    /** {@code GET /api/live/candle?symbol=BTC-USDT&venue=ALL&interval=1m}: the newest bar of the symbol. */
    private void candle(Context ctx) {
        String symbol = WebServer.symbol(ctx.queryParam("symbol"));
        String venue = venue(ctx.queryParam("venue"));
        String interval = WebServer.interval(ctx.queryParam("interval"));
        if (live != null && !live.candleIntervals().contains(interval)) {
            throw new BadParameterException("interval", "'" + interval + "' is not computed by this platform; its"
                    + " candle intervals are " + String.join(", ", live.candleIntervals()));
        }
        answer(ctx, () -> live.latestCandle(venue, symbol, interval), LiveStateEndpoints::candle,
                "no " + interval + " bar of " + symbol + " on " + venue + " in the candle store yet");
    }

    /** {@code GET /api/live/bbo?symbol=BTC-USDT}: the consolidated best bid and offer. */
    private void bbo(Context ctx) {
        String symbol = WebServer.symbol(ctx.queryParam("symbol"));
        answer(ctx, () -> live.latestBbo(symbol), LiveStateEndpoints::bbo, "no BBO of " + symbol + " yet");
    }

    /** {@code GET /api/live/index?symbol=BTC-USDT}: the index price. */
    private void index(Context ctx) {
        String symbol = WebServer.symbol(ctx.queryParam("symbol"));
        answer(ctx, () -> live.latestIndex(symbol), LiveStateEndpoints::index, "no index price of " + symbol + " yet");
    }

    private <T> void answer(Context ctx, Supplier<Optional<T>> query, Function<T, Map<String, Object>> view,
            String missing) {
        if (live == null) {
            ctx.status(503).json(Map.of("error", "live state is not available: this server runs no Streams"
                    + " applications"));
            return;
        }
        Optional<T> value;
        try {
            value = query.get();
        } catch (LiveStateUnavailableException e) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS).status(503).json(Map.of("error", e.getMessage()));
            return;
        }
        if (value.isEmpty()) {
            ctx.status(404).json(Map.of("error", missing));
            return;
        }
        ctx.json(view.apply(value.get()));
    }

    /** {@code ALL} (the default) or a venue id, any case; anything else is a 400 listing the venues. */
    static String venue(String raw) {
        String v = WebServer.venue(raw);
        if (v.equals(CandleTopology.ALL_VENUES)) {
            return v;
        }
        try {
            return Venue.parse(v).name();
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("venue", e.getMessage() + ", or ALL");
        }
    }

    private static Map<String, Object> candle(Candle c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("venue", c.getVenue());
        m.put("symbol", c.getSymbol());
        m.put("interval", c.getInterval());
        m.put("bucketStart", c.getBucketStart());
        m.put("bucketEnd", c.getBucketEnd());
        m.put("open", plain(c.getOpen()));
        m.put("high", plain(c.getHigh()));
        m.put("low", plain(c.getLow()));
        m.put("close", plain(c.getClose()));
        m.put("volume", plain(c.getVolume()));
        m.put("buyVolume", plain(c.getBuyVolume()));
        m.put("sellVolume", plain(c.getSellVolume()));
        m.put("quoteVolume", plain(c.getQuoteVolume()));
        m.put("tradeCount", c.getTradeCount());
        m.put("vwap", plain(c.getVwap()));
        m.put("firstTradeTime", c.getFirstTradeTime());
        m.put("lastTradeTime", c.getLastTradeTime());
        return m;
    }

    private static Map<String, Object> bbo(Bbo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", b.getSymbol());
        m.put("eventTime", b.getEventTime());
        m.put("bestBid", plain(b.getBestBid()));
        m.put("bestBidSize", plain(b.getBestBidSize()));
        m.put("bestBidVenue", b.getBestBidVenue());
        m.put("bestAsk", plain(b.getBestAsk()));
        m.put("bestAskSize", plain(b.getBestAskSize()));
        m.put("bestAskVenue", b.getBestAskVenue());
        m.put("spread", plain(b.getSpread()));
        m.put("spreadBps", b.getSpreadBps());
        m.put("crossed", b.getCrossed());
        m.put("venues", b.getVenues());
        m.put("excluded", b.getExcluded());
        return m;
    }

    private static Map<String, Object> index(IndexPrice i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", i.getSymbol());
        m.put("eventTime", i.getEventTime());
        m.put("price", plain(i.getPrice()));
        m.put("method", i.getMethod());
        m.put("venues", i.getVenues());
        List<Map<String, Object>> deviations = i.getDeviations().stream().map(LiveStateEndpoints::deviation).toList();
        m.put("deviations", deviations);
        m.put("excluded", i.getExcluded());
        return m;
    }

    private static Map<String, Object> deviation(VenueDeviation d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("venue", d.getVenue());
        m.put("mid", plain(d.getMid()));
        m.put("deviationBps", d.getDeviationBps());
        return m;
    }

    private static String plain(Decimal d) {
        return d == null ? null : Decimals.toPlainString(d);
    }
}
