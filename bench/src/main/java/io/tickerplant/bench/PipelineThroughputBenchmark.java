package io.tickerplant.bench;

import io.tickerplant.app.Mode;
import io.tickerplant.app.PlatformAssembly;
import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.ConnectorsComponent;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.PostgresComponent;
import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.model.Topics;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The whole embedded platform ({@code tickerplant up}: broker, Connect worker with the Binance source and the
 * PostgreSQL sink, embedded PostgreSQL) fed by a Binance emulator this benchmark owns. Prints figures; asserts
 * nothing but its own bookkeeping.
 *
 * <p>Phases:
 * <ol>
 *   <li>startup: time from {@code start()} until every connector runs, and RSS when ready;</li>
 *   <li>references on the same broker, in the same JVM: Kafka's producer perf tool (100-byte records) and
 *       consumer perf tool;</li>
 *   <li>latency at a moderate rate: receive time to {@code ingest_time} (and event time to {@code ingest_time}),
 *       plus freshness, the age of the newest stored row as a reader polling every 50 ms sees it;</li>
 *   <li>throughput steps: offered rates rising step by step, each measured after a warm-up; a step is sustained
 *       when the emulator made what was offered and nothing piled up between it and the table. Stops after the
 *       first step that is not. CPU per thread group, PostgreSQL and Connect's task metrics show where the
 *       time goes;</li>
 *   <li>source alone and sink alone: with the sink connector paused, the emulator runs flat out and the source
 *       fills Kafka; then the sink is resumed and drains the backlog with the source idle;</li>
 *   <li>the end: every generated trade stored exactly once, RSS.</li>
 * </ol>
 * Figures are absolute and as ratios against the perf tools, because the machine is shared and noisy.
 */
public final class PipelineThroughputBenchmark {
    private static final long FIRST_TRADE_ID = 1_000_000_000L; // ten digits, so text order is numeric order
    private static final String VENUE = "BINANCE";

    private final BinanceEmulator emulator;
    private final EmbeddedPlatform platform;
    private final List<String> symbols;
    private final Admin admin;
    private final Connection db;
    private final Topics topics;
    private final long postmaster;
    private final int partitions;
    /** Trades the emulator made, counted by a listener on its generating thread: no lock, unlike the market's. */
    private final LongAdder generated = new LongAdder();
    /** The topics the venue source writes to, and their partition counts. */
    private final List<String> sourceTopics;
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    private PipelineThroughputBenchmark(BinanceEmulator emulator, EmbeddedPlatform platform, List<String> symbols,
                                        Admin admin, Connection db, Topics topics, long postmaster, int partitions) {
        this.emulator = emulator;
        this.platform = platform;
        this.symbols = symbols;
        this.admin = admin;
        this.db = db;
        this.topics = topics;
        this.postmaster = postmaster;
        this.partitions = partitions;
        emulator.market().addListener(t -> generated.increment());
        List<String> wanted = List.of(topics.trades(), topics.quotes(), topics.book(), topics.feedStatus());
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> present = wanted.stream().filter(existing::contains).toList();
            admin.describeTopics(present).allTopicNames().get(30, TimeUnit.SECONDS)
                .forEach((name, d) -> partitionCounts.put(name, d.partitions().size()));
            this.sourceTopics = present;
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe the platform's topics", e);
        }
    }

    /** The benchmark's settings. */
    private record Settings(List<Double> rates, double latencyRate, int latencySeconds, int stepWarmupSeconds,
                            int stepSeconds, double backlogRate, int backlogSeconds, long ppRecords, int ppSize,
                            List<String> ppProps) {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("PipelineThroughputBenchmark: emulator -> source -> Kafka -> sink -> PostgreSQL",
            args);
        List<String> symbols = Arrays.asList(a.text("symbols", "BTC-USDT,ETH-USDT", "canonical symbols").split(","));
        Settings s = new Settings(
            Arrays.stream(a.text("rates", "5000,10000,15000,20000,25000",
                "throughput steps: offered trades/s PER SYMBOL, rising").split(",")).map(Double::valueOf).toList(),
            a.decimal("latency-rate", 1_000, "latency phase: trades/s per symbol"),
            a.integer("latency-seconds", 10, "latency phase: measured seconds (after 5 s of warm-up)"),
            a.integer("step-warmup-seconds", 4, "throughput steps: warm-up seconds of each step"),
            a.integer("step-seconds", 8, "throughput steps: measured seconds of each step"),
            a.decimal("backlog-rate", 60_000, "source-alone phase: offered trades/s per symbol"),
            a.integer("backlog-seconds", 8, "source-alone phase: seconds (sink paused); 0 skips source/sink alone"),
            a.integer("pp-records", 2_000_000, "perf tools: records (0 skips them)"),
            a.integer("pp-record-size", 100, "producer perf tool: record size in bytes"),
            Arrays.asList(a.text("pp-props", "acks=all,batch.size=262144,linger.ms=20",
                "producer perf tool: producer properties, comma-separated").split(",")));
        int partitions = a.integer("partitions", 2, "partitions of tp.trades (and of the perf tools' topic)");
        int maxQueued = a.integer("max-queued-frames", 2_000_000,
            "emulator: frames queued to a slow client before it is dropped");
        String dirFlag = a.text("data-dir", "", "platform data directory (default: a new temp dir, deleted after)");
        if (!a.check()) {
            return;
        }
        System.out.println("# " + a.summary());
        System.out.printf("# JVM %s, max heap %d MB, %d CPUs%n", System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        Path dataDir = dirFlag.isEmpty() ? Files.createTempDirectory("tp-bench-pipeline") : Path.of(dirFlag);

        BinanceEmulator.Builder eb = BinanceEmulator.builder().seed(7).generate(false).firstTradeId(FIRST_TRADE_ID)
            .maxQueuedFrames(maxQueued).maxHistoryPerSymbol(100_000);
        for (String sym : symbols) {
            eb.symbol(venueSymbol(sym), s.latencyRate());
        }
        try (BinanceEmulator emulator = eb.start()) {
            Map<String, String> values = new HashMap<>();
            values.put("data.dir", dataDir.toString());
            values.put("kafka.port", "0");
            values.put("connect.port", "0");
            values.put("postgres.port", "0");
            values.put("web.port", "0");
            values.put("topic.partitions", Integer.toString(partitions));
            values.put("symbols", String.join(",", symbols));
            values.put("venues", "BINANCE"); // the test emulates Binance only; never reach real venues
            values.put("binance.websocket.url", emulator.websocketUri().toString());
            values.put("binance.rest.url", emulator.restUri().toString());
            // Nothing leaves this machine: no reference sources (their defaults are public APIs).
            values.put("reference.pairs", "");
            PlatformConfig config = PlatformConfig.of(values);
            EmbeddedPlatform platform = PlatformAssembly.assemble(config, Mode.UP);
            long t0 = System.nanoTime();
            try {
                platform.start();
                double startup = (System.nanoTime() - t0) / 1e9;
                long rssReady = ProcStats.statusKb(ProcessHandle.current().pid(), "VmRSS");
                System.out.printf("%n== Startup%n  platform ready (connectors running) in %.1f s; JVM RSS %s when"
                    + " ready%n", startup, mb(rssReady));
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                         platform.kafka().bootstrapServers()));
                     Connection db = platform.find(PostgresComponent.class).orElseThrow().connect()) {
                    new PipelineThroughputBenchmark(emulator, platform, symbols, admin, db, config.topics(),
                        ProcStats.postmasterPid(dataDir), partitions).run(startup, rssReady, s);
                }
            } finally {
                platform.close();
            }
        } finally {
            if (dirFlag.isEmpty()) {
                Files2.deleteRecursively(dataDir);
            }
        }
    }

    /** One throughput step's figures. */
    private record Step(double offered, Rates rates, long backlogGrowth, boolean sustained, Latency latency) {
    }

    private void run(double startup, long rssReady, Settings s) throws Exception {
        String bootstrap = platform.kafka().bootstrapServers();
        KafkaPerf.ProducerResult pp = null;
        KafkaPerf.ConsumerResult cp = null;
        if (s.ppRecords() > 0) {
            String topic = "bench.perf";
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            System.out.printf("%n== Reference: Kafka producer perf tool, %d records of %d B, %d partitions, %s%n",
                s.ppRecords(), s.ppSize(), partitions, s.ppProps());
            pp = KafkaPerf.producer(bootstrap, topic, s.ppRecords(), s.ppSize(), s.ppProps());
            System.out.printf("%n== Reference: Kafka consumer perf tool, the same records%n");
            cp = KafkaPerf.consumer(bootstrap, topic, s.ppRecords(), "bench-perf-consumer");
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }

        Sampler sampler = new Sampler();
        sampler.start();
        try {
            // ---------------------------------------------------------------- latency
            System.out.printf("%n== Latency at %.0f trades/s per symbol (%d symbols)%n", s.latencyRate(),
                symbols.size());
            emulator.market().start();
            Thread.sleep(5_000);
            Sample l0 = sample();
            Freshness freshness = new Freshness(platform.find(PostgresComponent.class).orElseThrow().connect());
            freshness.start();
            Thread.sleep(s.latencySeconds() * 1000L);
            freshness.stop();
            Sample l1 = sample();
            awaitStored(l1.generated(), Duration.ofSeconds(30));
            Rates lr = new Rates(l0, l1);
            Latency lat = latency(l0.wall(), l1.wall());
            System.out.printf("  offered %.0f/s, generated %.0f/s, stored %.0f/s%n  %s%n  %s%n",
                s.latencyRate() * symbols.size(), lr.generated(), lr.stored(), lat, freshness);

            // ---------------------------------------------------------------- throughput steps
            List<Step> steps = new ArrayList<>();
            List<Sample[]> windows = new ArrayList<>();
            for (double perSymbol : s.rates()) {
                double offered = perSymbol * symbols.size();
                System.out.printf("%n== Throughput step: offered %.0f trades/s (%.0f per symbol); warm-up %d s,"
                    + " measured %d s%n", offered, perSymbol, s.stepWarmupSeconds(), s.stepSeconds());
                setRate(perSymbol);
                Thread.sleep(s.stepWarmupSeconds() * 1000L);
                Sample t0 = sample();
                ThreadCpu c0 = ThreadCpu.snapshot();
                StackSampler stacks = StackSampler.start();
                Thread.sleep(s.stepSeconds() * 1000L);
                Sample t1 = sample();
                ThreadCpu c1 = ThreadCpu.snapshot();
                List<String> where = stacks.stop();
                Rates r = new Rates(t0, t1);
                long growth = (t1.generated() - t1.stored()) - (t0.generated() - t0.stored());
                long generatedInWindow = t1.generated() - t0.generated();
                boolean sustained = r.generated() >= 0.95 * offered && growth <= 0.05 * generatedInWindow;
                System.out.printf("  emulator generated %.0f trades/s; source produced %.0f trades/s into Kafka (%.0f"
                        + " events/s with quotes, book, status); sink stored %.0f/s; backlog %+d over the window"
                        + " -> %s%n", r.generated(), r.produced(), r.events(), r.stored(), growth,
                    sustained ? "SUSTAINED" : r.generated() < 0.95 * offered ? "NOT sustained (the emulator fell"
                        + " behind)" : "NOT sustained (backlog grows)");
                System.out.printf("  backlog at the end: %d not yet in Kafka (emulator -> source), %d in Kafka not yet"
                    + " stored%n", t1.generated() - t1.produced(), t1.produced() - t1.stored());
                cpuReport(t0, t1, c0, c1, 10, r.stored());
                connectMetrics(r.stored());
                printWallTime(where);
                steps.add(new Step(offered, r, growth, sustained, null));
                windows.add(new Sample[] {t0, t1});
                if (!sustained) {
                    break;
                }
            }
            emulator.pause();
            long made = generated.sum();
            long catchUp0 = System.nanoTime();
            boolean caughtUp = awaitStored(made, Duration.ofSeconds(90));
            System.out.printf("%n  emulator paused; the backlog was stored in %.1f s%s%n",
                (System.nanoTime() - catchUp0) / 1e9, caughtUp ? "" : " (NOT all: timed out)");
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                steps.set(i, new Step(st.offered(), st.rates(), st.backlogGrowth(), st.sustained(),
                    latency(windows.get(i)[0].wall(), windows.get(i)[1].wall())));
            }

            // ---------------------------------------------------------------- source alone, sink alone
            Rates sourceAlone = null;
            Rates sinkAlone = null;
            if (s.backlogSeconds() > 0 && caughtUp) {
                System.out.printf("%n== Source alone: sink paused, offered %.0f trades/s (%.0f per symbol) for %d s%n",
                    s.backlogRate() * symbols.size(), s.backlogRate(), s.backlogSeconds());
                connectorCommand(ConnectorsComponent.POSTGRES_SINK, "pause");
                Thread.sleep(2_000);
                setRate(s.backlogRate());
                Sample b0 = sample();
                ThreadCpu bc0 = ThreadCpu.snapshot();
                StackSampler sourceStacks = StackSampler.start();
                emulator.resume();
                Thread.sleep(s.backlogSeconds() * 1000L);
                Sample b1 = sample();
                ThreadCpu bc1 = ThreadCpu.snapshot();
                List<String> sourceWhere = sourceStacks.stop();
                emulator.pause();
                sourceAlone = new Rates(b0, b1);
                System.out.printf("  emulator generated %.0f trades/s; source produced %.0f trades/s into Kafka (%.0f"
                    + " events/s with quotes, book, status)%n", sourceAlone.generated(), sourceAlone.produced(),
                    sourceAlone.events());
                cpuReport(b0, b1, bc0, bc1, 8, sourceAlone.produced());
                printWallTime(sourceWhere);

                awaitProduced(generated.sum(), Duration.ofSeconds(60));
                Sample d0 = sample();
                System.out.printf("%n== Sink alone: %d trades in Kafka, sink resumed, emulator idle%n",
                    d0.produced() - d0.stored());
                ThreadCpu dc0 = ThreadCpu.snapshot();
                StackSampler stacks = StackSampler.start();
                connectorCommand(ConnectorsComponent.POSTGRES_SINK, "resume");
                boolean drained = awaitStored(d0.produced(), Duration.ofSeconds(120));
                Sample d1 = sample();
                ThreadCpu dc1 = ThreadCpu.snapshot();
                List<String> where = stacks.stop();
                sinkAlone = new Rates(d0, d1);
                System.out.printf("  drained in %.1f s: %.0f trades/s%s%n", sinkAlone.seconds(), sinkAlone.stored(),
                    drained ? "" : " (timed out)");
                cpuReport(d0, d1, dc0, dc1, 6, sinkAlone.stored());
                printWallTime(where);
            }
            sampler.stop();

            // ---------------------------------------------------------------- the end
            System.out.printf("%n== Ground truth%n");
            verify();
            long pid = ProcessHandle.current().pid();
            long pgPss = 0;
            for (long p : ProcStats.processTree(postmaster)) {
                pgPss += Math.max(0, ProcStats.pssKb(p));
            }
            Runtime rt = Runtime.getRuntime();
            long rss = ProcStats.statusKb(pid, "VmRSS");
            System.out.printf("%n== Memory after the run%n  JVM RSS (VmRSS) %s, peak (VmHWM) %s; heap used %d MB of"
                    + " %d MB committed (max %d MB); PostgreSQL processes PSS %s%n", mb(rss),
                mb(ProcStats.statusKb(pid, "VmHWM")), (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.totalMemory() >> 20, rt.maxMemory() >> 20, mb(pgPss));

            summary(startup, rssReady, rss, pgPss, pp, cp, lat, freshness, steps, sourceAlone, sinkAlone);
        } finally {
            sampler.stop();
        }
    }

    private void summary(double startup, long rssReady, long rss, long pgPss, KafkaPerf.ProducerResult pp,
                         KafkaPerf.ConsumerResult cp, Latency lat, Freshness freshness, List<Step> steps,
                         Rates sourceAlone, Rates sinkAlone) {
        System.out.printf("%n== Summary%n");
        System.out.printf("  startup to ready: %.1f s; JVM RSS %s when ready, %s after the run (+ PostgreSQL PSS %s)%n",
            startup, mb(rssReady), mb(rss), mb(pgPss));
        double ppRate = pp == null ? Double.NaN : pp.recordsPerSecond();
        double cpRate = cp == null ? Double.NaN : cp.fetchRecordsPerSecond();
        if (pp != null) {
            System.out.printf("  reference: Kafka producer perf %.0f records/s (%.1f MB/s, avg latency %.0f ms);"
                + " consumer perf %.0f records/s (fetch)%n", ppRate, pp.mbPerSecond(), pp.avgLatencyMs(), cpRate);
        }
        System.out.printf("  latency at %s: receive -> ingest_time %s; freshness %s%n", lat.rowsPerSecondLabel(),
            lat.brief(), freshness.brief());
        System.out.println("  throughput steps (trades/s; 'events' = every record the source wrote: trades, quotes,"
            + " book, status):");
        System.out.println("    offered  generated   in Kafka  events/s     stored  x prod-perf  backlog  verdict      "
            + "  receive->ingest p50 / p99");
        Step best = null;
        for (Step st : steps) {
            System.out.printf("    %7.0f  %9.0f  %9.0f  %8.0f  %9.0f  %11.3f  %+7d  %-13s  %s%n", st.offered(),
                st.rates().generated(), st.rates().produced(), st.rates().events(), st.rates().stored(),
                st.rates().stored() / ppRate,
                st.backlogGrowth(), st.sustained() ? "sustained" : "NOT sustained",
                st.latency() == null ? "" : String.format("%.0f / %.0f ms", st.latency().receive()[0],
                    st.latency().receive()[1]));
            if (st.sustained() && (best == null || st.rates().stored() > best.rates().stored())) {
                best = st;
            }
        }
        if (best != null) {
            System.out.printf("  pipeline, best sustained: %.0f trades/s stored = %.3f x producer perf%n",
                best.rates().stored(), best.rates().stored() / ppRate);
        } else {
            System.out.println("  pipeline: no step was sustained");
        }
        if (sourceAlone != null) {
            System.out.printf("  source alone (sink paused): emulator %.0f trades/s, into Kafka %.0f trades/s = %.3f x"
                + " producer perf; all events %.0f/s = %.3f x producer perf%n", sourceAlone.generated(),
                sourceAlone.produced(), sourceAlone.produced() / ppRate, sourceAlone.events(),
                sourceAlone.events() / ppRate);
        }
        if (sinkAlone != null) {
            System.out.printf("  sink alone (Kafka backlog -> PostgreSQL): %.0f trades/s = %.3f x consumer perf%n",
                sinkAlone.stored(), sinkAlone.stored() / cpRate);
        }
    }

    // ---------------------------------------------------------------------------------------- measurements

    /** Counters at one instant; {@code pgTicks} per PostgreSQL process. */
    private record Sample(long nanos, Instant wall, long generated, long produced, long events, long committed,
                          long stored,
                          long processCpuNanos, Map<Long, Long> pgTicks, long machineBusy, long machineTotal,
                          long gcMillis, long gcCount) {
    }

    /** Rates between two samples, per second. */
    private record Rates(Sample a, Sample b) {
        double seconds() {
            return (b.nanos() - a.nanos()) / 1e9;
        }

        double generated() {
            return (b.generated() - a.generated()) / seconds();
        }

        double produced() {
            return (b.produced() - a.produced()) / seconds();
        }

        double stored() {
            return (b.stored() - a.stored()) / seconds();
        }

        /** Every record the source wrote (trades, quotes, book, feed status), per second. */
        double events() {
            return (b.events() - a.events()) / seconds();
        }
    }

    private synchronized Sample sample() throws Exception {
        long made = generated.sum();
        long produced = endOffsets(List.of(topics.trades()));
        long events = endOffsets(sourceTopics);
        long committed = committedOffsets();
        long stored = storedRows();
        long[] machine = ProcStats.machineTicks();
        Map<Long, Long> pg = new HashMap<>();
        for (long p : ProcStats.processTree(postmaster)) {
            long t = ProcStats.cpuTicks(p);
            if (t >= 0) {
                pg.put(p, t);
            }
        }
        long gcMillis = 0;
        long gcCount = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
        }
        return new Sample(System.nanoTime(), Instant.now(), made, produced, events, committed, stored,
            processCpuNanos(), pg,
            machine[0], machine[1], gcMillis, gcCount);
    }

    /** PostgreSQL CPU between two samples, % of one core; processes that ended meanwhile are left out. */
    private static double pgPercent(Sample a, Sample b) {
        long ticks = 0;
        for (Map.Entry<Long, Long> e : b.pgTicks().entrySet()) {
            ticks += e.getValue() - a.pgTicks().getOrDefault(e.getKey(), 0L);
        }
        return ticks * 100.0 / ProcStats.CLOCK_TICKS_PER_SECOND / ((b.nanos() - a.nanos()) / 1e9);
    }

    private static double machinePercent(Sample a, Sample b) {
        long total = b.machineTotal() - a.machineTotal();
        return total <= 0 ? 0 : 100.0 * (b.machineBusy() - a.machineBusy()) / total
            * Runtime.getRuntime().availableProcessors();
    }

    /** Samples once a second and prints a progress line. */
    private final class Sampler {
        private final Thread thread = new Thread(this::loop, "bench-sampler");
        private volatile boolean running = true;

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        private void loop() {
            try {
                Sample p = sample();
                while (running) {
                    Thread.sleep(1_000);
                    Sample s = sample();
                    double dt = (s.nanos() - p.nanos()) / 1e9;
                    System.out.printf("    [%s] trades: generated %6.0f/s  into Kafka %6.0f/s  stored %6.0f/s"
                            + " (events into Kafka %6.0f/s) | not yet in"
                            + " Kafka %7d, in Kafka not stored %7d (sink consumer lag %7d) | CPU: JVM %3.0f%% PG %3.0f%%"
                            + " machine %3.0f%%%n", s.wall().toString().substring(11, 19),
                        (s.generated() - p.generated()) / dt, (s.produced() - p.produced()) / dt,
                        (s.stored() - p.stored()) / dt, (s.events() - p.events()) / dt, s.generated() - s.produced(), s.produced() - s.stored(),
                        s.produced() - s.committed(), (s.processCpuNanos() - p.processCpuNanos()) / dt / 1e7,
                        pgPercent(p, s), machinePercent(p, s));
                    p = s;
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                if (running) {
                    System.out.println("    [sampler] " + e);
                }
            }
        }
    }

    /** The sum of the end offsets of the topics' partitions: records ever written to them. */
    private long endOffsets(List<String> names) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String name : names) {
            for (int p = 0; p < partitionCounts.getOrDefault(name, 0); p++) {
                request.put(new TopicPartition(name, p), OffsetSpec.latest());
            }
        }
        return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
            .mapToLong(i -> i.offset()).sum();
    }

    private long committedOffsets() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(
            "connect-" + ConnectorsComponent.POSTGRES_SINK).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return m.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /**
     * Trades stored, from the newest trade id per symbol (ids are contiguous and each symbol's trades reach the
     * table in order through one partition): two index probes instead of a count over millions of rows.
     */
    private synchronized long storedRows() throws SQLException {
        long total = 0;
        try (PreparedStatement ps = db.prepareStatement("SELECT trade_id FROM trades WHERE venue = ? AND symbol = ?"
            + " ORDER BY event_time DESC, trade_id DESC LIMIT 1")) {
            for (String s : symbols) {
                ps.setString(1, VENUE);
                ps.setString(2, s);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        total += Long.parseLong(rs.getString(1)) - FIRST_TRADE_ID + 1;
                    }
                }
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private boolean awaitStored(long target, Duration timeout) throws Exception {
        return await(() -> {
            try {
                return storedRows() >= target;
            } catch (SQLException e) {
                return false;
            }
        }, timeout);
    }

    /** Waits until the source has handed {@code target} trades to Kafka, or stopped making progress for 2 s. */
    private void awaitProduced(long target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long previous = -1;
        int still = 0;
        while (System.nanoTime() < deadline) {
            long produced = endOffsets(List.of(topics.trades()));
            if (produced >= target) {
                return;
            }
            still = produced == previous ? still + 1 : 0;
            if (still >= 8) {
                System.out.printf("  the source stopped at %d of %d trades%n", produced, target);
                return;
            }
            previous = produced;
            Thread.sleep(250);
        }
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private void setRate(double perSymbol) {
        for (String s : symbols) {
            emulator.setTradesPerSecond(venueSymbol(s), perSymbol);
        }
    }

    /** CPU per thread group, PostgreSQL and the VM, as % of one core and as CPU microseconds per trade. */
    private void cpuReport(Sample a, Sample b, ThreadCpu c0, ThreadCpu c1, int top, double tradesPerSecond) {
        double dt = (b.nanos() - a.nanos()) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double machine = machinePercent(a, b);
        double jvm = (b.processCpuNanos() - a.processCpuNanos()) / dt / 1e7;
        double pg = pgPercent(a, b);
        System.out.printf("  CPU (100%% = one core, %d cores): machine %.0f%%, this JVM %.0f%%, PostgreSQL %.0f%%,"
            + " other processes (and steal) %.0f%%; per trade (at %.0f/s): JVM %.1f us, PostgreSQL %.1f us%n", cores, machine,
            jvm, pg, Math.max(0, machine - jvm - pg), tradesPerSecond, perTrade(jvm, tradesPerSecond),
            perTrade(pg, tradesPerSecond));
        List<String> lines = c1.report(c0, top, tradesPerSecond);
        double threads = c1.byGroup(c0).values().stream().mapToLong(Long::longValue).sum() / dt / 1e7;
        System.out.printf("  JVM: Java threads %.0f%%, GC/JIT/VM threads %.0f%% (%.1f us/trade); GC pauses %.0f ms/s"
            + " (%d collections)%n", threads, Math.max(0, jvm - threads),
            perTrade(Math.max(0, jvm - threads), tradesPerSecond), (b.gcMillis() - a.gcMillis()) / dt,
            b.gcCount() - a.gcCount());
        for (String l : lines.subList(1, lines.size())) {
            System.out.println("    " + l);
        }
    }

    private static void printWallTime(List<String> lines) {
        System.out.println("  wall time of the key threads (stack samples every 20 ms):");
        for (String l : lines) {
            System.out.println("    " + l);
        }
    }

    /** CPU microseconds per trade from a CPU share in % of one core. */
    static double perTrade(double percentOfCore, double tradesPerSecond) {
        return tradesPerSecond <= 0 ? Double.NaN : percentOfCore / 100 * 1e6 / tradesPerSecond;
    }

    /**
     * Connect's own task metrics (windowed over Connect's last ~30-60 s): how big the batches are and how long the
     * sink's put() takes, hence how much of the time the sink task is busy writing rather than waiting for records.
     */
    private void connectMetrics(double storedPerSecond) {
        String sink = "connector=" + ConnectorsComponent.POSTGRES_SINK + ",task=0";
        String source = "connector=" + ConnectorsComponent.BINANCE_SOURCE + ",task=0";
        double sinkBatch = metric("connector-task-metrics," + sink, "batch-size-avg");
        double putAvg = metric("sink-task-metrics," + sink, "put-batch-avg-time-ms");
        double putMax = metric("sink-task-metrics," + sink, "put-batch-max-time-ms");
        double sourceBatch = metric("connector-task-metrics," + source, "batch-size-avg");
        double pollAvg = metric("source-task-metrics," + source, "poll-batch-avg-time-ms");
        double inFlight = metric("source-task-metrics," + source, "source-record-active-count-avg");
        System.out.printf("  Connect task metrics (Connect's ~30-60 s windows): sink batches %.0f records, put() %.1f ms"
                + " avg (max %.0f ms) -> put() busy ~%.0f%% of the time; source batches %.0f records, poll() %.1f ms"
                + " avg, %.0f records in flight avg%n", sinkBatch, putAvg, putMax,
            sinkBatch > 0 ? 100 * storedPerSecond / sinkBatch * putAvg / 1000 : Double.NaN, sourceBatch, pollAvg,
            inFlight);
    }

    private static double metric(String typeAndTags, String attribute) {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("kafka.connect:type=" + typeAndTags), attribute);
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------------------------------- latency

    /** Percentiles of receive -> ingest and event -> ingest over the trades received in a window, in ms. */
    private record Latency(long rows, double seconds, double[] receive, double[] event) {
        String brief() {
            return String.format("p50 %.1f ms, p99 %.1f ms", receive[0], receive[1]);
        }

        String rowsPerSecondLabel() {
            return String.format("%.0f trades/s", rows / seconds);
        }

        @Override
        public String toString() {
            return String.format("%d trades; receive -> ingest_time p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f"
                    + " ms; event -> ingest_time p50 %.1f ms, p99 %.1f ms", rows, receive[0], receive[1], receive[2],
                receive[3], event[0], event[1]);
        }
    }

    /**
     * {@code ingest_time} is the sink transaction's {@code now()}, its start: these figures leave out the batch's own
     * COPY and commit (see the README).
     */
    private Latency latency(Instant from, Instant to) throws SQLException {
        String r = "(extract(epoch FROM ingest_time - receive_time) * 1000)::float8";
        String e = "(extract(epoch FROM ingest_time - event_time) * 1000)::float8";
        String sql = "SELECT count(*), percentile_cont(ARRAY[0.5, 0.99, 0.999]) WITHIN GROUP (ORDER BY " + r + "),"
            + " max(" + r + "), percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY " + e + ")"
            + " FROM trades WHERE venue = ? AND receive_time >= ? AND receive_time < ?";
        synchronized (this) {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                ps.setString(1, VENUE);
                ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                ps.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return new Latency(0, 1, new double[4], new double[2]);
                    }
                    Double[] rp = (Double[]) rs.getArray(2).getArray();
                    Double[] ep = (Double[]) rs.getArray(4).getArray();
                    return new Latency(rs.getLong(1), Duration.between(from, to).toNanos() / 1e9,
                        new double[] {rp[0], rp[1], rp[2], rs.getDouble(3)}, new double[] {ep[0], ep[1]});
                }
            }
        }
    }

    /**
     * What a reader of the table sees: every 50 ms, the age (now minus receive time) of the newest stored trade per
     * symbol. Unlike ingest_time it includes the COPY and the commit, and the wait until the next poll.
     */
    private final class Freshness {
        private final Connection c;
        private final Thread thread = new Thread(this::loop, "bench-freshness");
        private final List<Double> ages = new ArrayList<>();
        private volatile boolean running = true;

        Freshness(Connection c) {
            this.c = c;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws Exception {
            running = false;
            thread.join();
            c.close();
        }

        private void loop() {
            try (PreparedStatement ps = c.prepareStatement("SELECT extract(epoch FROM clock_timestamp() -"
                + " receive_time) * 1000 FROM trades WHERE venue = ? AND symbol = ?"
                + " ORDER BY event_time DESC, trade_id DESC LIMIT 1")) {
                while (running) {
                    for (String s : symbols) {
                        ps.setString(1, VENUE);
                        ps.setString(2, s);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                ages.add(rs.getDouble(1));
                            }
                        }
                    }
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                System.out.println("    [freshness] " + e);
            }
        }

        private double[] sorted() {
            return ages.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        String brief() {
            double[] v = sorted();
            return v.length == 0 ? "n/a" : String.format("p50 %.0f ms, p99 %.0f ms", v[v.length / 2],
                v[(int) (v.length * 0.99)]);
        }

        @Override
        public String toString() {
            double[] v = sorted();
            return v.length == 0 ? "freshness: no samples" : String.format("freshness (age of the newest stored trade,"
                + " polled every 50 ms): %s, max %.0f ms (%d polls)", brief(), v[v.length - 1], v.length);
        }
    }

    // ---------------------------------------------------------------------------------------- the rest

    /** Every trade the emulator made is in the table exactly once. */
    private void verify() throws SQLException {
        long made = generated.sum();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (symbol, trade_id)) FROM trades"
                 + " WHERE venue = 'BINANCE'")) {
            rs.next();
            long rows = rs.getLong(1);
            long distinct = rs.getLong(2);
            System.out.printf("  emulator made %d trades; table holds %d rows, %d distinct: %s; emulator accepted %d"
                    + " websocket connection(s)%n", made, rows, distinct, rows == made && distinct == rows
                    ? "all stored, none twice" : (made - distinct) + " missing, " + (rows - distinct) + " duplicated",
                emulator.connectionsAccepted());
        }
    }

    private void connectorCommand(String connector, String command) throws Exception {
        URI uri = URI.create(platform.connect().url() + "/connectors/" + connector + "/" + command);
        HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(command + " " + connector + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private static String venueSymbol(String canonical) {
        return canonical.replace("-", "");
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format("%.0f MB", kb / 1024.0);
    }
}
