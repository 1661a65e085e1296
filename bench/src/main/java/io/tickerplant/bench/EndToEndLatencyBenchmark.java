package io.tickerplant.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.app.Mode;
import io.tickerplant.app.PlatformAssembly;
import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.PostgresComponent;
import io.tickerplant.app.platform.WebComponent;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.avro.Trade;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency at a steady emulator rate: from the moment the Binance adapter received the venue's frame (the
 * trade's {@code receiveTime}) to the browser, and to the database row. Everything runs on one machine, so every
 * timestamp comes from the same clock and there is no skew to correct.
 *
 * <p>The platform is {@code tickerplant up} in this JVM (as in {@link PipelineThroughputBenchmark}), fed by a
 * {@link BinanceEmulator} the benchmark owns. After a warm-up, every trade whose receive time falls in the
 * measurement window is followed to:
 * <ul>
 *   <li><b>the browser</b>: headless Chromium (driven over the DevTools protocol) opens the dashboard (or a blank page
 *       of the same origin) and, in the page, one {@code EventSource} per symbol on
 *       {@code /api/stream?symbol=...&types=trades}; for each trade event it notes {@code Date.now()} minus the
 *       trade's receive time;</li>
 *   <li><b>the database</b>: {@code ingest_time - receive_time} of each row, where {@code ingest_time} is the sink
 *       transaction's {@code now()} (its start, so without the batch's COPY and commit); and, to include those, the
 *       time at which a reader polling every few milliseconds first sees the row;</li>
 *   <li>the legs in between, to tell where the time goes: the Kafka record's timestamp (the source's
 *       {@code producer.send}), a {@code read_committed} consumer in this JVM, and a plain SSE client in this JVM on
 *       the same {@code /api/stream} as the browser (the server's push without the browser).</li>
 * </ul>
 * Prints figures; asserts nothing but its own bookkeeping.
 */
public final class EndToEndLatencyBenchmark {
    private static final long FIRST_TRADE_ID = 1_000_000_000L; // ten digits, so text order is numeric order
    private static final String VENUE = "BINANCE";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The benchmark's settings. */
    private record Settings(List<String> symbols, double rate, int warmupSeconds, int seconds, int graceSeconds,
                            String page, Path chromium, int pollMillis, boolean profile) {
    }

    private final Settings s;
    private final EmbeddedPlatform platform;
    private final BinanceEmulator emulator;
    private final PlatformConfig config;
    private final long postmaster;
    /** Trades the emulator made, counted on its generating thread. */
    private final LongAdder generated = new LongAdder();

    private EndToEndLatencyBenchmark(Settings s, EmbeddedPlatform platform, BinanceEmulator emulator,
                                     PlatformConfig config, long postmaster) {
        this.s = s;
        this.platform = platform;
        this.emulator = emulator;
        this.config = config;
        this.postmaster = postmaster;
        emulator.market().addListener(t -> generated.increment());
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            benchmark(args);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        // Ends the JVM even if server threads are still alive: after SSE clients went away, Javalin's request
        // threads were seen looping on "Response does not exist (likely recycled)" warnings after the platform had
        // stopped, which kept the JVM up and wrote gigabytes of log.
        System.exit(status);
    }

    private static void benchmark(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("EndToEndLatencyBenchmark: latency from the venue frame's receive time to the"
            + " browser and to the database row, at a steady emulator rate", args);
        Settings s = new Settings(
            Arrays.asList(a.text("symbols", "BTC-USDT,ETH-USDT", "canonical symbols").split(",")),
            a.decimal("rate", 200, "emulator trades/s PER SYMBOL (Poisson arrivals, steady mean)"),
            a.integer("warmup-seconds", 15, "seconds at the rate before the measurement window"),
            a.integer("seconds", 60, "measurement window: trades RECEIVED in it are measured"),
            a.integer("grace-seconds", 5, "seconds the rate goes on after the window, so its last trades arrive"
                + " under the same load"),
            a.text("page", "dashboard", "what Chromium shows while measuring: 'dashboard' (the page with its own"
                + " live chart and tables, as a user sees it) or 'blank' (an empty page of the same origin: push"
                + " alone)"),
            Path.of(a.text("chromium", "/usr/bin/chromium", "Chromium binary; when missing the browser part is"
                + " skipped")),
            a.integer("poll-ms", 20, "database visibility: how often the reader polls for new rows"),
            a.bool("profile", true, "CPU per JVM thread group and stack samples (every 20 ms) of the source and"
                + " sink threads over the window, to see where the time goes"));
        int partitions = a.integer("partitions", 2, "partitions of the topics");
        String dirFlag = a.text("data-dir", "", "platform data directory (default: a new temp dir, deleted after)");
        if (!a.check()) {
            return;
        }
        if (!s.page().equals("dashboard") && !s.page().equals("blank")) {
            throw new IllegalArgumentException("--page must be 'dashboard' or 'blank', not '" + s.page() + "'");
        }
        System.out.println("# " + a.summary());
        System.out.printf("# JVM %s, max heap %d MB, %d CPUs%n", System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        Path dataDir = dirFlag.isEmpty() ? Files.createTempDirectory("tp-bench-latency") : Path.of(dirFlag);

        BinanceEmulator.Builder eb = BinanceEmulator.builder().seed(7).generate(false).firstTradeId(FIRST_TRADE_ID)
            .maxHistoryPerSymbol(100_000);
        for (String sym : s.symbols()) {
            eb.symbol(venueSymbol(sym), s.rate());
        }
        try (BinanceEmulator emulator = eb.start()) {
            Map<String, String> values = new HashMap<>();
            values.put("data.dir", dataDir.resolve("platform").toString());
            values.put("kafka.port", "0");
            values.put("connect.port", "0");
            values.put("postgres.port", "0");
            values.put("web.port", "0");
            values.put("topic.partitions", Integer.toString(partitions));
            values.put("symbols", String.join(",", s.symbols()));
            values.put("venues", VENUE); // only the emulated venue: never reach real venues
            values.put("binance.websocket.url", emulator.websocketUri().toString());
            values.put("binance.rest.url", emulator.restUri().toString());
            values.put("reference.pairs", ""); // their defaults are public APIs
            PlatformConfig config = PlatformConfig.of(values);
            EmbeddedPlatform platform = PlatformAssembly.assemble(config, Mode.UP);
            try {
                long t0 = System.nanoTime();
                platform.start();
                System.out.printf("%n== Startup%n  platform ready (connectors running) in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
                new EndToEndLatencyBenchmark(s, platform, emulator, config,
                    ProcStats.postmasterPid(dataDir.resolve("platform"))).run(dataDir);
            } finally {
                platform.close();
            }
        } finally {
            if (dirFlag.isEmpty()) {
                Files2.deleteRecursively(dataDir);
            }
        }
    }

    private void run(Path dataDir) throws Exception {
        String web = platform.find(WebComponent.class).orElseThrow().endpoint().orElseThrow();
        PostgresComponent pg = platform.find(PostgresComponent.class).orElseThrow();

        // ---------------------------------------------------------------- observers, before any trade is made
        System.out.printf("%n== Observers%n");
        // Closed in reverse order whatever happens, so that no Chromium process outlives the benchmark.
        List<AutoCloseable> observers = new ArrayList<>();
        try {
            measure(dataDir, web, pg, observers);
        } finally {
            for (int i = observers.size() - 1; i >= 0; i--) {
                try {
                    observers.get(i).close();
                } catch (Exception e) {
                    System.out.println("  closing an observer: " + e);
                }
            }
        }
    }

    private void measure(Path dataDir, String web, PostgresComponent pg, List<AutoCloseable> observers)
        throws Exception {
        Browser browser = null;
        String browserSkipped = null;
        if (!Files.isExecutable(s.chromium())) {
            browserSkipped = s.chromium() + " not found (apt-get install chromium)";
            System.out.println("  browser part SKIPPED: " + browserSkipped);
        } else {
            try {
                browser = Browser.open(s.chromium(), dataDir.resolve("browser"), web, s.page(), s.symbols());
                observers.add(browser);
                System.out.printf("  Chromium: %s, one EventSource per symbol on /api/stream?symbol=...&types=trades%n",
                    browser.url());
            } catch (Exception e) {
                browserSkipped = "Chromium failed: " + e.getMessage();
                System.out.println("  browser part SKIPPED: " + browserSkipped);
            }
        }
        List<SseClient> sse = new ArrayList<>();
        for (String sym : s.symbols()) {
            SseClient c = SseClient.open(web, sym);
            observers.add(c);
            sse.add(c);
        }
        System.out.println("  SSE client in this JVM: one stream per symbol, the same URL as the browser");
        KafkaLeg kafka = KafkaLeg.start(platform.kafka().bootstrapServers(), config.topics().trades());
        observers.add(kafka);
        System.out.println("  Kafka consumer in this JVM on " + config.topics().trades() + " (read_committed, at the"
            + " end, like live push's)");
        VisiblePoller visible = new VisiblePoller(pg.connect(), s.symbols(), s.pollMillis());
        visible.start();
        observers.add(visible::stop);
        System.out.printf("  database reader polling for new rows every %d ms%n", s.pollMillis());

        // ---------------------------------------------------------------- steady rate
        System.out.printf("%n== %.0f trades/s per symbol (%d symbols): warm-up %d s, measured %d s, then %d s grace%n",
            s.rate(), s.symbols().size(), s.warmupSeconds(), s.seconds(), s.graceSeconds());
        Progress progress = new Progress(browser, sse, kafka, visible);
        progress.start();
        observers.add(progress::stop);
        emulator.market().start();
        Thread.sleep(s.warmupSeconds() * 1000L);
        Instant from = Instant.now();
        long made0 = generated.sum();
        Cpu cpu0 = Cpu.sample(postmaster, browser);
        ThreadCpu threads0 = s.profile() ? ThreadCpu.snapshot() : null;
        StackSampler stacks = s.profile() ? StackSampler.start() : null;
        Thread.sleep(s.seconds() * 1000L);
        Instant to = Instant.now();
        long made1 = generated.sum();
        Cpu cpu1 = Cpu.sample(postmaster, browser);
        ThreadCpu threads1 = s.profile() ? ThreadCpu.snapshot() : null;
        List<String> wallTime = s.profile() ? stacks.stop() : List.of();
        Thread.sleep(s.graceSeconds() * 1000L);
        // The last rows of the window must be in the table before it is read: wait until a later one is visible.
        boolean complete = visible.awaitReceivedAfter(to, Duration.ofSeconds(30));
        progress.stop();
        emulator.pause();

        long fromMicros = micros(from);
        long toMicros = micros(to);
        double seconds = Duration.between(from, to).toNanos() / 1e9;
        List<Dist> legs = new ArrayList<>();
        legs.add(kafka.read.dist("read from Kafka (consumer in this JVM)", fromMicros, toMicros));
        LatencyLog pushed = new LatencyLog();
        sse.forEach(c -> pushed.addAll(c.log));
        legs.add(pushed.dist("pushed by the server (SSE client in this JVM)", fromMicros, toMicros));
        Dist browserDist = null;
        if (browser != null) {
            browserDist = browser.dist(fromMicros, toMicros);
            legs.add(browserDist);
        }
        Dist ingest = ingestLatency(pg, from, to);
        legs.add(ingest);
        Dist visibleDist = visible.log.dist(String.format("DATABASE: row visible to a reader (polls every %d ms)",
            s.pollMillis()), fromMicros, toMicros);
        legs.add(visibleDist);

        System.out.printf("%n== Rate%n  offered %.0f trades/s (%.0f per symbol); emulator made %.1f trades/s in the"
                + " window; %d trades received in the window reached the table (%.1f/s)%s%n",
            s.rate() * s.symbols().size(), s.rate(), (made1 - made0) / seconds, ingest.count(),
            ingest.count() / seconds, complete ? "" : " (the table had not caught up after 30 s: figures partial)");
        Dist venue = kafka.venue.dist("", fromMicros, toMicros);
        System.out.printf("  venue event time -> receive time (the emulator's own delay, before the platform: it"
            + " grows when the emulator falls behind): p50 %s ms, p99 %s ms, max %s ms%n", fmt(venue.values()[0]),
            fmt(venue.values()[2]), fmt(venue.values()[3]));
        System.out.printf("%n== CPU over the window (100%% = one core, %d cores)%n  %s%n",
            Runtime.getRuntime().availableProcessors(), cpu1.since(cpu0));
        if (s.profile()) {
            List<String> lines = threads1.report(threads0, 10, (made1 - made0) / seconds);
            System.out.println("  busiest JVM thread groups:");
            for (String l : lines.subList(1, lines.size())) {
                System.out.println("    " + l);
            }
            System.out.println("  wall time of the key threads (stack samples every 20 ms):");
            for (String l : wallTime) {
                System.out.println("    " + l);
            }
        }

        System.out.printf("%n== Latency from the venue frame's receive time, trades received in the %.0f s window"
            + " (ms)%n", seconds);
        System.out.printf("  %-58s %7s %7s %7s %7s %8s%n", "reached", "trades", "p50", "p90", "p99", "max");
        for (Dist d : legs) {
            System.out.println("  " + d.row(ingest.count()));
        }
        System.out.printf("  (a count below the table's means events lost on the way: live push drops the oldest"
            + " events of a subscriber that falls %d behind)%n", 1024);
        if (browser != null) {
            List<String> errors = browser.problems();
            if (!errors.isEmpty()) {
                System.out.println("  browser reported: " + errors);
            }
        }

        System.out.printf("%n== Summary: receive time -> browser and -> database row, %.0f trades/s steady (%.1f"
            + " achieved), ms%n", s.rate() * s.symbols().size(), (made1 - made0) / seconds);
        System.out.printf("  %-8s %22s %22s %22s%n", "", "browser (" + s.page() + ")", "db ingest_time",
            "db row visible");
        String[] names = {"p50", "p90", "p99", "max"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf("  %-8s %22s %22s %22s%n", names[i],
                browserDist == null ? "skipped" : fmt(browserDist.values()[i]), fmt(ingest.values()[i]),
                fmt(visibleDist.values()[i]));
        }
        System.out.printf("  %-8s %22s %22d %22d%n", "trades", browserDist == null ? "-"
            : Long.toString(browserDist.count()), ingest.count(), visibleDist.count());
        if (browserDist == null) {
            System.out.println("  browser part skipped: " + browserSkipped);
        }
        System.out.printf("  other processes (and steal) used %.0f%% of a core during the window%n",
            cpu1.since(cpu0).other());
    }

    /** Per row: {@code ingest_time - receive_time}, over the rows received in the window. */
    private Dist ingestLatency(PostgresComponent pg, Instant from, Instant to) throws SQLException {
        LatencyLog log = new LatencyLog();
        try (Connection c = pg.connect();
             PreparedStatement ps = c.prepareStatement("SELECT (extract(epoch FROM receive_time) * 1000000)::int8,"
                 + " (extract(epoch FROM ingest_time - receive_time) * 1000)::float8 FROM trades"
                 + " WHERE venue = ? AND receive_time >= ? AND receive_time < ?")) {
            ps.setString(1, VENUE);
            ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    log.add(rs.getLong(1), rs.getDouble(2));
                }
            }
        }
        return log.dist("DATABASE: ingest_time (sink transaction's start)", micros(from), micros(to));
    }

    // ---------------------------------------------------------------------------------------- figures

    /** Latencies in ms, each with its trade's receive time, collected from any thread. */
    static final class LatencyLog {
        private long[] receive = new long[1024];
        private double[] latency = new double[1024];
        private int size;

        synchronized void add(long receiveMicros, double latencyMs) {
            if (size == receive.length) {
                receive = Arrays.copyOf(receive, size * 2);
                latency = Arrays.copyOf(latency, size * 2);
            }
            receive[size] = receiveMicros;
            latency[size++] = latencyMs;
        }

        synchronized void addAll(LatencyLog other) {
            synchronized (other) {
                for (int i = 0; i < other.size; i++) {
                    add(other.receive[i], other.latency[i]);
                }
            }
        }

        synchronized int size() {
            return size;
        }

        /** The distribution over the trades received in [from, to). */
        synchronized Dist dist(String name, long fromMicros, long toMicros) {
            double[] v = new double[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (receive[i] >= fromMicros && receive[i] < toMicros) {
                    v[n++] = latency[i];
                }
            }
            return Dist.of(name, Arrays.copyOf(v, n));
        }
    }

    /** p50, p90, p99 (nearest rank) and max of one leg, in ms. */
    record Dist(String name, long count, double[] values) {
        static Dist of(String name, double[] v) {
            Arrays.sort(v);
            if (v.length == 0) {
                return new Dist(name, 0, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            }
            return new Dist(name, v.length, new double[] {rank(v, 0.5), rank(v, 0.9), rank(v, 0.99),
                v[v.length - 1]});
        }

        private static double rank(double[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }

        String row(long reference) {
            String missing = count < reference ? String.format("  (%d fewer than the table)", reference - count)
                : "";
            return String.format("%-58s %7d %7s %7s %7s %8s%s", name, count, fmt(values[0]), fmt(values[1]),
                fmt(values[2]), fmt(values[3]), missing);
        }
    }

    private static String fmt(double ms) {
        return Double.isNaN(ms) ? "n/a" : String.format("%.1f", ms);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    private static long nowMicros() {
        return micros(Instant.now());
    }

    private static String venueSymbol(String canonical) {
        return canonical.replace("-", "");
    }

    // ---------------------------------------------------------------------------------------- the observers

    /**
     * Chromium with the measuring script in the page. {@code Date.now()} is taken first thing in the event handler,
     * before parsing; it has 1 ms resolution. The receive time is the API's ISO-8601 string with microseconds.
     */
    static final class Browser implements AutoCloseable {
        private static final String SCRIPT = """
            (() => {
              const L = window.__latency = {r: [], l: [], hellos: 0, errors: 0};
              // '2026-11-21T20:50:00.123456Z' -> epoch microseconds, without losing the microseconds.
              const micros = iso => {
                const dot = iso.indexOf('.');
                const base = Date.parse((dot < 0 ? iso.slice(0, -1) : iso.slice(0, dot)) + 'Z');
                const frac = dot < 0 ? '' : iso.slice(dot + 1, -1);
                return base * 1000 + Number((frac + '000000').slice(0, 6));
              };
              for (const s of SYMBOLS) {
                const es = new EventSource('/api/stream?types=trades&symbol=' + encodeURIComponent(s));
                es.addEventListener('hello', () => L.hellos++);
                es.addEventListener('trade', m => {
                  const now = Date.now();
                  const r = micros(JSON.parse(m.data).receiveTime);
                  L.r.push(r);
                  L.l.push(now - r / 1000);
                });
                es.onerror = () => L.errors++;
              }
              L.collect = (from, to) => {
                const out = [];
                for (let i = 0; i < L.r.length; i++) {
                  if (L.r[i] >= from && L.r[i] < to) out.push(L.l[i]);
                }
                return JSON.stringify(out);
              };
              return 'installed';
            })()
            """;

        private final Cdp cdp;
        private final String url;
        private final String page;

        private Browser(Cdp cdp, String url, String page) {
            this.cdp = cdp;
            this.url = url;
            this.page = page;
        }

        static Browser open(Path chromium, Path workDir, String web, String page, List<String> symbols)
            throws Exception {
            Cdp cdp = Cdp.launch(chromium, workDir);
            try {
                // A same-origin page either way, so the EventSource needs no CORS.
                String url = web + (page.equals("dashboard") ? "/" : "/api/health");
                cdp.navigate(url);
                cdp.eval(SCRIPT.replace("SYMBOLS", JSON.writeValueAsString(symbols)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (Integer.parseInt(cdp.eval("String(window.__latency.hellos)")) < symbols.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the page's streams did not say hello within 30 s");
                    }
                    Thread.sleep(100);
                }
                return new Browser(cdp, url, page);
            } catch (Exception e) {
                cdp.close();
                throw e;
            }
        }

        String url() {
            return url;
        }

        int events() throws Exception {
            return Integer.parseInt(cdp.eval("String(window.__latency.r.length)"));
        }

        Dist dist(long fromMicros, long toMicros) throws Exception {
            double[] v = JSON.readValue(cdp.eval("window.__latency.collect(" + fromMicros + ", " + toMicros + ")"),
                double[].class);
            return Dist.of("BROWSER: EventSource in headless Chromium (" + page + ")", v);
        }

        List<String> problems() throws Exception {
            List<String> out = new ArrayList<>(cdp.exceptions());
            int errors = Integer.parseInt(cdp.eval("String(window.__latency.errors)"));
            if (errors > 0) {
                out.add(errors + " EventSource error(s) (reconnects)");
            }
            return out;
        }

        @Override
        public void close() {
            cdp.close();
        }
    }

    /**
     * A minimal Server-Sent Events reader on {@code /api/stream}: what the server pushes, without a browser. The
     * time is taken as soon as the data line is read.
     */
    static final class SseClient implements AutoCloseable {
        final LatencyLog log = new LatencyLog();
        private final CountDownLatch hello = new CountDownLatch(1);
        private final Thread thread;
        private volatile InputStream body;
        private volatile boolean running = true;

        private SseClient(URI uri) {
            thread = new Thread(() -> read(uri), "bench-sse");
            thread.setDaemon(true);
        }

        static SseClient open(String web, String symbol) throws Exception {
            SseClient c = new SseClient(URI.create(web + "/api/stream?types=trades&symbol="
                + URLEncoder.encode(symbol, StandardCharsets.UTF_8)));
            c.thread.start();
            if (!c.hello.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no hello on the SSE stream of " + symbol + " within 30 s");
            }
            return c;
        }

        private void read(URI uri) {
            try {
                HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                body = r.body();
                BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String event = null;
                String line;
                while (running && (line = in.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        long now = nowMicros();
                        if ("hello".equals(event)) {
                            hello.countDown();
                        } else if ("trade".equals(event)) {
                            long received = micros(Instant.parse(
                                JSON.readTree(line.substring(5)).get("receiveTime").asText()));
                            log.add(received, (now - received) / 1000.0);
                        }
                    } else if (line.isEmpty()) {
                        event = null;
                    }
                }
            } catch (Exception e) {
                if (running) {
                    System.out.println("    [sse] " + e);
                }
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                InputStream b = body;
                if (b != null) {
                    b.close();
                }
            } catch (Exception e) {
                // the platform closes the stream anyway
            }
        }
    }

    /**
     * A consumer of the trades topic, configured as live push's (no group, at the end, read_committed): the poll
     * time is when a consumer could read the trade. (The record timestamp is the venue's event time, not the
     * producer's send time, so it tells nothing about the source.)
     */
    static final class KafkaLeg implements AutoCloseable {
        /** Receive time minus the venue's event time: how late the emulator sends, nothing of the platform. */
        final LatencyLog venue = new LatencyLog();
        final LatencyLog read = new LatencyLog();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;

        private KafkaLeg(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
            this.thread = new Thread(this::loop, "bench-kafka-leg");
            thread.setDaemon(true);
        }

        static KafkaLeg start(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-latency");
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToEnd(parts);
            parts.forEach(c::position); // resolve the end now, before any trade is made
            KafkaLeg leg = new KafkaLeg(c);
            leg.thread.start();
            return leg;
        }

        private void loop() {
            try {
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        long now = nowMicros();
                        Trade t = AvroSerdes.decode(Trade.class, r.value());
                        long received = micros(t.getReceiveTime());
                        read.add(received, (now - received) / 1000.0);
                        venue.add(received, (received - micros(t.getEventTime())) / 1000.0);
                    }
                }
            } catch (WakeupException e) {
                // closed
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        @Override
        public void close() throws InterruptedException {
            consumer.wakeup();
            thread.join(5_000);
        }
    }

    /**
     * A reader that polls each symbol for rows newer than the last it saw (by the primary key's order), and notes for
     * each new row how long after its receive time it became visible. Includes the sink's COPY and commit, plus up to
     * one poll interval.
     */
    static final class VisiblePoller {
        final LatencyLog log = new LatencyLog();
        private final Connection c;
        private final List<String> symbols;
        private final int pollMillis;
        private final Thread thread = new Thread(this::loop, "bench-visible");
        private final Map<String, Object[]> last = new HashMap<>();
        private volatile long newestReceiveMicros;
        private volatile boolean running = true;

        VisiblePoller(Connection c, List<String> symbols, int pollMillis) {
            this.c = c;
            this.symbols = symbols;
            this.pollMillis = pollMillis;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Waits until a row received after {@code t} is visible: every row received before it is then stored. */
        boolean awaitReceivedAfter(Instant t, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (newestReceiveMicros < micros(t)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
            return true;
        }

        void stop() throws Exception {
            running = false;
            thread.join(5_000);
            c.close();
        }

        private void loop() {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_time, trade_id,"
                + " (extract(epoch FROM receive_time) * 1000000)::int8,"
                + " (extract(epoch FROM clock_timestamp() - receive_time) * 1000)::float8"
                + " FROM trades WHERE venue = ? AND symbol = ? AND (event_time, trade_id) > (?, ?)"
                + " ORDER BY event_time, trade_id")) {
                // Rows already there before the first poll are not new: start from now.
                for (String sym : symbols) {
                    last.put(sym, new Object[] {OffsetDateTime.now(ZoneOffset.UTC), ""});
                }
                while (running) {
                    for (String sym : symbols) {
                        Object[] after = last.get(sym);
                        ps.setString(1, VENUE);
                        ps.setString(2, sym);
                        ps.setObject(3, after[0]);
                        ps.setString(4, (String) after[1]);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                log.add(rs.getLong(3), rs.getDouble(4));
                                newestReceiveMicros = Math.max(newestReceiveMicros, rs.getLong(3));
                                after = new Object[] {rs.getObject(1, OffsetDateTime.class), rs.getString(2)};
                            }
                        }
                        last.put(sym, after);
                    }
                    Thread.sleep(pollMillis);
                }
            } catch (Exception e) {
                if (running) {
                    System.out.println("    [visible] " + e);
                }
            }
        }
    }

    /** A progress line every 5 s: what each observer has seen so far. */
    private final class Progress {
        private final Browser browser;
        private final List<SseClient> sse;
        private final KafkaLeg kafka;
        private final VisiblePoller visible;
        private final Thread thread = new Thread(this::loop, "bench-progress");
        private volatile boolean running = true;

        Progress(Browser browser, List<SseClient> sse, KafkaLeg kafka, VisiblePoller visible) {
            this.browser = browser;
            this.sse = sse;
            this.kafka = kafka;
            this.visible = visible;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }

        private void loop() {
            long prevMade = generated.sum();
            long prevNanos = System.nanoTime();
            try {
                while (running) {
                    Thread.sleep(5_000);
                    long made = generated.sum();
                    long nanos = System.nanoTime();
                    int pushed = sse.stream().mapToInt(c -> c.log.size()).sum();
                    String inBrowser = browser == null ? "-" : Integer.toString(browser.events());
                    System.out.printf("    [%s] emulator %6.1f trades/s, made %7d | read from Kafka %7d | pushed %7d"
                            + " | browser %7s | visible in the table %7d%n",
                        Instant.now().toString().substring(11, 19), (made - prevMade) / ((nanos - prevNanos) / 1e9),
                        made, kafka.read.size(), pushed, inBrowser, visible.log.size());
                    prevMade = made;
                    prevNanos = nanos;
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                System.out.println("    [progress] " + e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- CPU

    /** CPU counters at one instant: the machine, this JVM, PostgreSQL's processes, Chromium's processes. */
    private record Cpu(long nanos, long machineBusy, long machineTotal, long jvmNanos, Map<Long, Long> pgTicks,
                       Map<Long, Long> browserTicks) {
        static Cpu sample(long postmaster, Browser browser) {
            long[] m = ProcStats.machineTicks();
            Map<Long, Long> pg = ticks(postmaster < 0 ? List.of() : ProcStats.processTree(postmaster));
            Map<Long, Long> chromium = ticks(browser == null ? List.of()
                : browser.cdp.processes().stream().map(ProcessHandle::pid).toList());
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
            return new Cpu(System.nanoTime(), m[0], m[1], jvm, pg, chromium);
        }

        private static Map<Long, Long> ticks(List<Long> pids) {
            Map<Long, Long> out = new HashMap<>();
            for (long p : pids) {
                long t = ProcStats.cpuTicks(p);
                if (t >= 0) {
                    out.put(p, t);
                }
            }
            return out;
        }

        /** Shares of one core between two samples; processes that ended meanwhile are left out. */
        Shares since(Cpu a) {
            double dt = (nanos - a.nanos) / 1e9;
            long total = machineTotal - a.machineTotal;
            double machine = total <= 0 ? 0 : 100.0 * (machineBusy - a.machineBusy) / total
                * Runtime.getRuntime().availableProcessors();
            double jvm = (jvmNanos - a.jvmNanos) / dt / 1e7;
            return new Shares(machine, jvm, percent(a.pgTicks, pgTicks, dt), percent(a.browserTicks, browserTicks,
                dt));
        }

        private static double percent(Map<Long, Long> before, Map<Long, Long> after, double dt) {
            long ticks = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
            return ticks * 100.0 / ProcStats.CLOCK_TICKS_PER_SECOND / dt;
        }
    }

    /** CPU shares in % of one core. */
    private record Shares(double machine, double jvm, double pg, double browser) {
        double other() {
            return Math.max(0, machine - jvm - pg - browser);
        }

        @Override
        public String toString() {
            return String.format("machine %.0f%%, this JVM (platform + emulator + observers) %.0f%%, PostgreSQL %.0f%%,"
                + " Chromium %.0f%%, other processes (and steal) %.0f%%", machine, jvm, pg, browser, other());
        }
    }
}
