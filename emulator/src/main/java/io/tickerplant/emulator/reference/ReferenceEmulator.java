package io.tickerplant.emulator.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local reference-price sources on one free port, fed from one random walk per pair:
 * <ul>
 *   <li>an Ethereum JSON-RPC node answering {@code eth_call} on the three mainnet Chainlink proxies
 *       ({@code latestRoundData()}, {@code decimals()}, {@code description()}) at {@code POST /rpc} and
 *       {@code POST /rpc/{key}} (hosted nodes put the key in the path);</li>
 *   <li>CoinGecko {@code GET /api/v3/simple/price};</li>
 *   <li>Coinpaprika {@code GET /v1/tickers/{id}}.</li>
 * </ul>
 * The aggregator makes a new round on a deviation or a heartbeat, like Chainlink's; the APIs refresh at their own
 * interval; each source adds its own small noise to the true price.
 *
 * <p>Ground truth: every round made ({@link #rounds}) and every good price served ({@link #served}). Faults are
 * injected per source ({@link #inject}): 429 with Retry-After, 500, malformed JSON, price 0 or negative, a stale
 * update time, a reverted call. The oracle itself can be made wrong ({@link #skewOracle}) or stalled ({@link #freezeRounds}).
 *
 * <p>Thread-safe. {@link #close()} stops the server and the ticking thread.
 */
public final class ReferenceEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReferenceEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST_ROUND_DATA = "0xfeaf968c";
    private static final String DECIMALS = "0x313ce567";
    private static final String DESCRIPTION = "0x7284e416";

    /** Ethereum mainnet EACAggregatorProxy addresses, the addresses clients are configured with by default. */
    public static final Map<String, String> MAINNET_PROXIES = orderedMap(
            "ETH-USD", "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
            "BTC-USD", "0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c",
            "LINK-USD", "0x2c1d072e956AFFC0D435Cb7AC38EF18d24d9127c");
    /** CoinGecko coin ids. */
    public static final Map<String, String> COINGECKO_IDS = orderedMap(
            "ETH-USD", "ethereum", "BTC-USD", "bitcoin", "LINK-USD", "chainlink");
    /** Coinpaprika coin ids. */
    public static final Map<String, String> COINPAPRIKA_IDS = orderedMap(
            "ETH-USD", "eth-ethereum", "BTC-USD", "btc-bitcoin", "LINK-USD", "link-chainlink");

    /**
     * How the emulator runs.
     *
     * @param startPrices pair to starting price, e.g. ETH-USD=3000; only the pairs above are known to the APIs
     * @param seed seed of every random draw
     * @param volatilityPerTick standard deviation of one tick's log return
     * @param oracleNoise relative noise of the oracle's observation (its own aggregation of exchanges)
     * @param apiNoise relative noise of each price API
     * @param deviationThreshold a new round when the observation moves more than this fraction (0.005 = 0.5%)
     * @param heartbeat a new round at least this often (mainnet: 1 h)
     * @param coinGeckoRefresh how often CoinGecko's quote changes
     * @param coinpaprikaRefresh how often Coinpaprika's quote changes
     * @param tickInterval period of the market when {@code generate}
     * @param generate tick on a thread from the start; false: only when {@link #tick()} is called
     * @param retryAfter the {@code Retry-After} of injected 429s
     * @param clock the emulator's time (rounds and quotes carry it)
     * @param host interface to bind
     * @param port port, 0 for a free one
     */
    public record Options(Map<String, Double> startPrices, long seed, double volatilityPerTick, double oracleNoise,
                          double apiNoise, double deviationThreshold, Duration heartbeat, Duration coinGeckoRefresh,
                          Duration coinpaprikaRefresh, Duration tickInterval, boolean generate, Duration retryAfter,
                          Clock clock, String host, int port) {
        public Options {
            startPrices = Collections.unmodifiableMap(new LinkedHashMap<>(startPrices));
            if (startPrices.isEmpty()) {
                throw new IllegalArgumentException("at least one pair is needed");
            }
            Objects.requireNonNull(clock, "clock");
            if (heartbeat.isNegative() || heartbeat.isZero() || tickInterval.isNegative() || tickInterval.isZero()) {
                throw new IllegalArgumentException("heartbeat and tickInterval must be positive");
            }
        }
    }

    /** Builder of {@link Options}; defaults resemble mainnet (0.5% deviation, 1 h heartbeat) and the APIs. */
    public static final class Builder {
        private final Map<String, Double> startPrices = orderedMapD("ETH-USD", 3000.0, "BTC-USD", 60000.0,
                "LINK-USD", 15.0);
        private long seed = 1;
        private double volatilityPerTick = 0.0005;
        private double oracleNoise = 0.0002;
        private double apiNoise = 0.0005;
        private double deviationThreshold = 0.005;
        private Duration heartbeat = Duration.ofHours(1);
        private Duration coinGeckoRefresh = Duration.ofSeconds(30);
        private Duration coinpaprikaRefresh = Duration.ofSeconds(60);
        private Duration tickInterval = Duration.ofSeconds(1);
        private boolean generate = true;
        private Duration retryAfter = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private String host = "127.0.0.1";
        private int port = 0;

        public Builder seed(long v) { seed = v; return this; }
        public Builder volatilityPerTick(double v) { volatilityPerTick = v; return this; }
        public Builder oracleNoise(double v) { oracleNoise = v; return this; }
        public Builder apiNoise(double v) { apiNoise = v; return this; }
        public Builder deviationThreshold(double v) { deviationThreshold = v; return this; }
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }
        public Builder coinGeckoRefresh(Duration v) { coinGeckoRefresh = v; return this; }
        public Builder coinpaprikaRefresh(Duration v) { coinpaprikaRefresh = v; return this; }
        public Builder tickInterval(Duration v) { tickInterval = v; return this; }
        public Builder generate(boolean v) { generate = v; return this; }
        public Builder retryAfter(Duration v) { retryAfter = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }

        /** Sets (or adds) a pair's starting price. */
        public Builder startPrice(String pair, double price) {
            startPrices.put(pair, price);
            return this;
        }

        public Options options() {
            return new Options(startPrices, seed, volatilityPerTick, oracleNoise, apiNoise, deviationThreshold,
                    heartbeat, coinGeckoRefresh, coinpaprikaRefresh, tickInterval, generate, retryAfter, clock,
                    host, port);
        }

        public ReferenceEmulator start() {
            return ReferenceEmulator.start(options());
        }
    }

    private final Options options;
    private final ReferenceMarket market;
    private final Javalin app;
    private final ScheduledExecutorService ticker;
    private final Map<ReferenceSourceId, ArrayDeque<ReferenceFault>> faults = new EnumMap<>(ReferenceSourceId.class);
    private final Map<ReferenceSourceId, Integer> faultsServed = new EnumMap<>(ReferenceSourceId.class);
    private final Map<ReferenceSourceId, Integer> requests = new EnumMap<>(ReferenceSourceId.class);
    private final List<ServedPrice> served = new ArrayList<>();
    private final Map<String, String> pairByProxy = new LinkedHashMap<>();
    private volatile String lastCoinGeckoKey;
    private volatile boolean closed;

    private ReferenceEmulator(Options options) {
        this.options = options;
        this.market = new ReferenceMarket(options);
        for (ReferenceSourceId s : ReferenceSourceId.values()) {
            faults.put(s, new ArrayDeque<>());
            faultsServed.put(s, 0);
            requests.put(s, 0);
        }
        MAINNET_PROXIES.forEach((pair, proxy) -> pairByProxy.put(proxy.toLowerCase(Locale.ROOT), pair));
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.routes.post("/rpc", this::rpc);
            cfg.routes.post("/rpc/{key}", this::rpc);
            cfg.routes.get("/api/v3/simple/price", this::coinGecko);
            cfg.routes.get("/v1/tickers/{id}", this::coinpaprika);
        });
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reference-emulator-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the server (and the ticking, when {@link Options#generate()}) after a first tick, so every source has a price. */
    public static ReferenceEmulator start(Options options) {
        ReferenceEmulator e = new ReferenceEmulator(options);
        try {
            e.tick();
            e.app.start();
            if (options.generate()) {
                long ms = options.tickInterval().toMillis();
                e.ticker.scheduleAtFixedRate(e::tickQuietly, ms, ms, TimeUnit.MILLISECONDS);
            }
            log.info("Reference emulator (Chainlink RPC, CoinGecko, Coinpaprika) listening on {}", e.uri());
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Options options() {
        return options;
    }

    public int port() {
        return app.port();
    }

    /** Base URI: CoinGecko and Coinpaprika paths go under it. */
    public URI uri() {
        String h = options.host() == null || options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
        return URI.create("http://" + h + ":" + port());
    }

    /** The JSON-RPC endpoint. */
    public URI rpcUri() {
        return URI.create(uri() + "/rpc");
    }

    /** The JSON-RPC endpoint with a key in the path, as hosted nodes have it. */
    public URI rpcUri(String key) {
        return URI.create(uri() + "/rpc/" + key);
    }

    public List<String> pairs() {
        return market.symbols();
    }

    // ---------------------------------------------------------------- market control

    /** One market step at the clock's time: prices walk, the aggregator and the APIs react. */
    public synchronized void tick() {
        market.tick(options.clock().instant());
    }

    /** Moves a pair's true price by {@code fraction} (0.01 = +1%) now; past the deviation threshold, a new round. */
    public synchronized void shock(String pair, double fraction) {
        market.shock(pair, fraction, options.clock().instant());
    }

    /**
     * A faulty oracle: from now on its observations of the pair are the true price times {@code 1 + fraction}
     * (0.05 = 5% too high) while the APIs keep quoting the true price; past the deviation threshold, a new round at
     * once. 0 repairs it.
     */
    public synchronized void skewOracle(String pair, double fraction) {
        market.skewOracle(pair, fraction, options.clock().instant());
    }

    /**
     * A stalled oracle: while frozen the pair's aggregator makes no new round, neither on deviation nor on heartbeat,
     * and keeps serving its last one, as a feed does whose transmitters stopped. Unfrozen, the next tick or shock
     * makes a round again if one is due.
     */
    public synchronized void freezeRounds(String pair, boolean frozen) {
        market.freezeRounds(pair, frozen);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("reference emulator tick failed", e);
        }
    }

    // ---------------------------------------------------------------- faults

    /** The next {@code count} answers of {@code source} have {@code fault} instead of a good answer. */
    public synchronized void inject(ReferenceSourceId source, ReferenceFault fault, int count) {
        if (fault == ReferenceFault.REVERTED && source != ReferenceSourceId.CHAINLINK) {
            throw new IllegalArgumentException("only contract calls revert");
        }
        for (int i = 0; i < count; i++) {
            faults.get(source).add(fault);
        }
    }

    public synchronized void clearFaults() {
        faults.values().forEach(ArrayDeque::clear);
    }

    private synchronized ReferenceFault nextFault(ReferenceSourceId source) {
        requests.merge(source, 1, Integer::sum);
        ReferenceFault f = faults.get(source).poll();
        if (f != null) {
            faultsServed.merge(source, 1, Integer::sum);
        }
        return f;
    }

    // ---------------------------------------------------------------- ground truth

    /** Every round the aggregator of {@code pair} made, oldest first. */
    public synchronized List<OracleRound> rounds(String pair) {
        return market.rounds(pair);
    }

    /** Every good price served by {@code source}, in serving order (repeats included: each poll is an answer). */
    public synchronized List<ServedPrice> served(ReferenceSourceId source) {
        return served.stream().filter(s -> s.source() == source).toList();
    }

    /** Injected faults answered so far by {@code source}. */
    public synchronized int faultsServed(ReferenceSourceId source) {
        return faultsServed.get(source);
    }

    /** Requests received by {@code source}, good or faulty. */
    public synchronized int requests(ReferenceSourceId source) {
        return requests.get(source);
    }

    /** The current true (noise-free) price. */
    public synchronized double truePrice(String pair) {
        return market.truePrice(pair);
    }

    /** The {@code x-cg-demo-api-key} of the last CoinGecko request, or null. */
    public String lastCoinGeckoApiKey() {
        return lastCoinGeckoKey;
    }

    private synchronized void record(ServedPrice p) {
        served.add(p);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdownNow();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the reference emulator failed", e);
        }
    }

    // ---------------------------------------------------------------- Chainlink over JSON-RPC

    private void rpc(Context ctx) {
        ctx.contentType("application/json");
        JsonNode req;
        try {
            req = JSON.readTree(ctx.body());
        } catch (Exception e) {
            ctx.result(rpcError(null, -32700, "parse error"));
            return;
        }
        JsonNode id = req.get("id");
        String method = req.path("method").asText();
        if (method.equals("eth_chainId")) {
            ctx.result(rpcResult(id, "0x1"));
            return;
        }
        if (!method.equals("eth_call")) {
            ctx.result(rpcError(id, -32601, "the method " + method + " does not exist/is not available"));
            return;
        }
        JsonNode call = req.path("params").path(0);
        String to = call.path("to").asText("").toLowerCase(Locale.ROOT);
        String data = call.has("input") ? call.path("input").asText("") : call.path("data").asText("");
        String pair = pairByProxy.get(to);
        if (pair == null || !market.symbols().contains(pair)) {
            // A node answers a call to an address without code with empty data.
            ctx.result(rpcResult(id, "0x"));
            return;
        }
        switch (data.toLowerCase(Locale.ROOT)) {
            case DECIMALS -> ctx.result(rpcResult(id, "0x" + word(BigInteger.valueOf(ReferenceMarket.ORACLE_DECIMALS))));
            case DESCRIPTION -> ctx.result(rpcResult(id, abiString(pair.replace("-", " / "))));
            case LATEST_ROUND_DATA -> latestRoundData(ctx, id, pair);
            default -> ctx.result(revert(id));
        }
    }

    private void latestRoundData(Context ctx, JsonNode id, String pair) {
        ReferenceFault fault = nextFault(ReferenceSourceId.CHAINLINK);
        OracleRound r;
        synchronized (this) {
            r = market.latestRound(pair);
        }
        long answer = r.answer();
        Instant updated = r.updatedAt();
        if (fault != null) {
            switch (fault) {
                case RATE_LIMITED -> {
                    rateLimited(ctx, rpcError(id, 429, "Too Many Requests"));
                    return;
                }
                case SERVER_ERROR -> {
                    ctx.status(500).result("{\"error\":\"internal\"}");
                    return;
                }
                case REVERTED -> {
                    ctx.result(revert(id));
                    return;
                }
                case MALFORMED_JSON -> {
                    String good = rpcResult(id, roundData(r.roundId(), answer, r.startedAt(), updated));
                    ctx.result(good.substring(0, good.length() / 2));
                    return;
                }
                case ZERO_PRICE -> answer = 0;
                case NEGATIVE_PRICE -> answer = -1;
                case STALE -> updated = updated.minus(Duration.ofDays(1));
                default -> throw new IllegalStateException(fault.name());
            }
        } else {
            record(new ServedPrice(ReferenceSourceId.CHAINLINK, pair, r.price(), updated, r.roundId(),
                    options.clock().instant()));
        }
        ctx.result(rpcResult(id, roundData(r.roundId(), answer, r.startedAt().isAfter(updated) ? updated
                : r.startedAt(), updated)));
    }

    private static String roundData(BigInteger roundId, long answer, Instant startedAt, Instant updatedAt) {
        return "0x" + word(roundId) + word(BigInteger.valueOf(answer))
                + word(BigInteger.valueOf(startedAt.getEpochSecond()))
                + word(BigInteger.valueOf(updatedAt.getEpochSecond())) + word(roundId);
    }

    /** One 32-byte ABI word, two's complement for negatives. */
    static String word(BigInteger v) {
        BigInteger x = v.signum() < 0 ? BigInteger.ONE.shiftLeft(256).add(v) : v;
        String hex = x.toString(16);
        return "0".repeat(64 - hex.length()) + hex;
    }

    static String abiString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        String data = HexFormat.of().formatHex(b);
        int padded = (b.length + 31) / 32 * 64;
        return "0x" + word(BigInteger.valueOf(32)) + word(BigInteger.valueOf(b.length))
                + data + "0".repeat(padded - data.length());
    }

    private static String rpcResult(JsonNode id, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "null" : id.toString()) + ",\"result\":\""
                + result + "\"}";
    }

    private static String rpcError(JsonNode id, int code, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "null" : id.toString()) + ",\"error\":{\"code\":"
                + code + ",\"message\":\"" + message + "\"}}";
    }

    private static String revert(JsonNode id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "null" : id.toString())
                + ",\"error\":{\"code\":3,\"message\":\"execution reverted\",\"data\":\"0x\"}}";
    }

    private void rateLimited(Context ctx, String body) {
        ctx.status(429).header("Retry-After", Long.toString(Math.max(0, options.retryAfter().toSeconds())))
                .result(body);
    }

    // ---------------------------------------------------------------- CoinGecko

    private void coinGecko(Context ctx) {
        ctx.contentType("application/json");
        lastCoinGeckoKey = ctx.header("x-cg-demo-api-key");
        ReferenceFault fault = nextFault(ReferenceSourceId.COINGECKO);
        if (fault == ReferenceFault.RATE_LIMITED) {
            rateLimited(ctx, "{\"status\":{\"error_code\":429,\"error_message\":\"You've exceeded the Rate Limit."
                    + " Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for"
                    + " higher rate limits.\"}}");
            return;
        }
        if (fault == ReferenceFault.SERVER_ERROR) {
            ctx.status(500).result("{\"error\":\"Internal Server Error\"}");
            return;
        }
        String ids = ctx.queryParam("ids");
        String vs = ctx.queryParam("vs_currencies");
        if (ids == null || vs == null) {
            ctx.status(400).result("{\"error\":\"Missing parameter " + (ids == null ? "ids" : "vs_currencies")
                    + "\"}");
            return;
        }
        boolean withTime = "true".equals(ctx.queryParam("include_last_updated_at"));
        StringBuilder sb = new StringBuilder("{");
        List<ServedPrice> good = new ArrayList<>();
        for (String coin : ids.split(",")) {
            String pair = pairOf(COINGECKO_IDS, coin.trim());
            if (pair == null || !market.symbols().contains(pair) || !List.of(vs.split(",")).contains("usd")) {
                continue;
            }
            ReferenceMarket.Quote q;
            synchronized (this) {
                q = market.coinGecko(pair);
            }
            BigDecimal price = faulty(q.price(), fault);
            Instant updated = fault == ReferenceFault.STALE ? q.updated().minus(Duration.ofDays(1)) : q.updated();
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(coin.trim()).append("\":{\"usd\":").append(price.toPlainString());
            if (withTime) {
                sb.append(",\"last_updated_at\":").append(updated.getEpochSecond());
            }
            sb.append('}');
            if (fault == null) {
                good.add(new ServedPrice(ReferenceSourceId.COINGECKO, pair, price, updated, null,
                        options.clock().instant()));
            }
        }
        sb.append('}');
        String body = sb.toString();
        if (fault == ReferenceFault.MALFORMED_JSON) {
            body = body.substring(0, body.length() / 2);
        }
        good.forEach(this::record);
        ctx.result(body);
    }

    // ---------------------------------------------------------------- Coinpaprika

    private void coinpaprika(Context ctx) {
        ctx.contentType("application/json");
        ReferenceFault fault = nextFault(ReferenceSourceId.COINPAPRIKA);
        if (fault == ReferenceFault.RATE_LIMITED) {
            rateLimited(ctx, "{\"error\":\"Too many requests\"}");
            return;
        }
        if (fault == ReferenceFault.SERVER_ERROR) {
            ctx.status(500).result("{\"error\":\"Internal Server Error\"}");
            return;
        }
        String id = ctx.pathParam("id");
        String pair = pairOf(COINPAPRIKA_IDS, id);
        if (pair == null || !market.symbols().contains(pair)) {
            ctx.status(404).result("{\"error\":\"id not found\"}");
            return;
        }
        ReferenceMarket.Quote q;
        synchronized (this) {
            q = market.coinpaprika(pair);
        }
        BigDecimal price = faulty(q.price(), fault);
        Instant updated = fault == ReferenceFault.STALE ? q.updated().minus(Duration.ofDays(1)) : q.updated();
        String symbol = pair.substring(0, pair.indexOf('-'));
        String body = "{\"id\":\"" + id + "\",\"name\":\"" + symbol + "\",\"symbol\":\"" + symbol
                + "\",\"rank\":1,\"circulating_supply\":120000000,\"total_supply\":120000000,\"max_supply\":0,"
                + "\"beta_value\":1.02,\"first_data_at\":\"2015-08-07T00:00:00Z\",\"last_updated\":\""
                + updated + "\",\"quotes\":{\"USD\":{\"price\":" + price.toPlainString()
                + ",\"volume_24h\":15123456789.12,\"volume_24h_change_24h\":-3.1,\"market_cap\":361234567890,"
                + "\"market_cap_change_24h\":0.41,\"percent_change_15m\":0.02,\"percent_change_1h\":0.11,"
                + "\"percent_change_24h\":0.4}}}";
        if (fault == ReferenceFault.MALFORMED_JSON) {
            body = body.substring(0, body.length() / 2);
        } else if (fault == null) {
            record(new ServedPrice(ReferenceSourceId.COINPAPRIKA, pair, price, updated, null,
                    options.clock().instant()));
        }
        ctx.result(body);
    }

    private static BigDecimal faulty(BigDecimal price, ReferenceFault fault) {
        if (fault == ReferenceFault.ZERO_PRICE) {
            return BigDecimal.ZERO;
        }
        if (fault == ReferenceFault.NEGATIVE_PRICE) {
            return BigDecimal.ONE.negate();
        }
        return price;
    }

    private static String pairOf(Map<String, String> ids, String id) {
        for (Map.Entry<String, String> e : ids.entrySet()) {
            if (e.getValue().equals(id)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Double> orderedMapD(String k1, double v1, String k2, double v2, String k3, double v3) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        m.put(k3, v3);
        return m;
    }
}
