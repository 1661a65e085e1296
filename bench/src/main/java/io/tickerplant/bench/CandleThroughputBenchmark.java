package io.tickerplant.bench;

import io.tickerplant.app.platform.EmbeddedKafkaBroker;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.streams.CandleApp;
import io.tickerplant.streams.CandleTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The candles application ({@link CandleTopology}, {@link CandleApp}'s settings) over a topic of trades that is
 * already full, next to Kafka's consumer perf tool reading the very same topic on the same broker, in one run.
 * Prints input trades per second for both and their ratio; asserts nothing but its own bookkeeping.
 *
 * <p>Phases:
 * <ol>
 *   <li>an embedded broker ({@link EmbeddedKafkaBroker}) in a new temporary directory; {@code tp.trades} with
 *       {@code --partitions} partitions filled with {@code --trades} trades of several venues and symbols, keyed
 *       {@code VENUE:SYMBOL} as the sources key them, record time = event time;</li>
 *   <li>{@code kafka-consumer-perf-test} on that topic (in this JVM, see {@link KafkaPerf});</li>
 *   <li>the candle topology from the earliest offset, once per processing guarantee ({@code --guarantees}), each
 *       under a fresh application id and state directory, until every trade has been processed, both directly and
 *       through the by-symbol repartition topic (the thread metric {@code process-total} reaches twice the trades)
 *       and the input offsets are committed;</li>
 *   <li>the perf tool once more, so that a change of load on the machine during the run shows.</li>
 * </ol>
 */
public final class CandleThroughputBenchmark {
    private static final String[] VENUES = {"BINANCE", "COINBASE", "KRAKEN", "OKX", "BYBIT"};
    private static final String[] SYMBOLS = {"BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT"};
    /** Start prices in cents and lot sizes in 1e-8, per symbol: realistic magnitudes and decimals. */
    private static final long[] START_CENTS = {6_712_345L, 351_234L, 15_012L, 52L};
    private static final long[] LOT = {1_000L, 10_000L, 1_000_000L, 100_000_000L};
    private static final long[] TYPICAL_LOTS = {150, 3_000, 400, 50};

    private CandleThroughputBenchmark() {
    }

    /** One run of the topology: wall time from start, time from its first processed record, CPU by thread group. */
    private record StreamsRun(String guarantee, double secondsFromStart, double secondsProcessing, long processed,
                              long dropped, long candlesOut, List<String> cpu) {
        double rateFromStart(long trades) {
            return trades / secondsFromStart;
        }

        double rateProcessing(long trades) {
            return trades / secondsProcessing;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("CandleThroughputBenchmark: candle aggregation vs Kafka's consumer perf tool on the"
            + " same topic", args);
        int trades = a.integer("trades", 1_000_000, "trades in the input topic");
        int partitions = a.integer("partitions", 3, "partitions of the trades topic (and of the candles topic)");
        int venues = a.integer("venues", 5, "venues the trades come from, 1 to " + VENUES.length);
        int symbols = a.integer("symbols", 4, "symbols traded on every venue, 1 to " + SYMBOLS.length);
        int spacingMicros = a.integer("spacing-us", 1_000, "event time between consecutive trades, microseconds");
        List<Duration> intervals = Arrays.stream(a.text("intervals", "1s,1m,5m,1h",
                "candle intervals (production default: 1s,1m,5m,1h)").split(","))
            .map(CandleThroughputBenchmark::interval).toList();
        List<String> guarantees = Arrays.asList(a.text("guarantees", "exactly_once_v2,at_least_once",
            "processing guarantees to run, in order; production is exactly_once_v2").split(","));
        String dirFlag = a.text("dir", "", "data directory (default: a new temp dir, deleted afterwards)");
        if (!a.check()) {
            return;
        }
        if (venues < 1 || venues > VENUES.length || symbols < 1 || symbols > SYMBOLS.length) {
            throw new IllegalArgumentException("--venues must be 1.." + VENUES.length + " and --symbols 1.."
                + SYMBOLS.length);
        }
        System.out.println("# " + a.summary());
        System.out.printf("# JVM %s, max heap %d MB, %d CPUs%n", System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        Path dir = dirFlag.isEmpty() ? Files.createTempDirectory("tp-bench-candles") : Path.of(dirFlag);
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                 broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            // Kept for ever: record times are event times, and a broker deletes records it deems older than its
            // retention while they are being read (the consumer then skips to the end).
            admin.createTopics(List.of(new NewTopic(topics.trades(), partitions, (short) 1)
                    .configs(Map.of("retention.ms", "-1")),
                new NewTopic(topics.candles(), partitions, (short) 1),
                new NewTopic(topics.deadLetters(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            System.out.printf("%n== Input: %,d trades, %d venues x %d symbols, one every %d us of event time"
                + " (%.1f min), %d partitions%n", trades, venues, symbols, spacingMicros,
                trades * (double) spacingMicros / 60e6, partitions);
            long t0 = System.nanoTime();
            fill(bootstrap, topics.trades(), trades, venues, symbols, spacingMicros);
            System.out.printf("  produced in %.1f s (%,.0f trades/s; acks=all)%n", (System.nanoTime() - t0) / 1e9,
                trades / ((System.nanoTime() - t0) / 1e9));

            System.out.printf("%n== Reference: Kafka consumer perf tool on %s%n", topics.trades());
            KafkaPerf.ConsumerResult before = KafkaPerf.consumer(bootstrap, topics.trades(), trades, "bench-perf-1");

            List<StreamsRun> runs = new ArrayList<>();
            for (String guarantee : guarantees) {
                System.out.printf("%n== Candle topology, %s, intervals %s, from the earliest offset%n", guarantee,
                    intervals.stream().map(CandleTopology::label).toList());
                StreamsRun run = runStreams(bootstrap, admin, dir, topics, intervals, guarantee, trades);
                runs.add(run);
                System.out.printf("  all %,d trades processed in %.1f s from start (%,.0f trades/s), %.1f s from the"
                    + " first record (%,.0f trades/s); %,d records processed (direct + repartitioned), %,d dropped as"
                    + " too late for their window, %,d candle updates out%n", trades, run.secondsFromStart(),
                    run.rateFromStart(trades), run.secondsProcessing(), run.rateProcessing(trades), run.processed(),
                    run.dropped(), run.candlesOut());
                run.cpu().forEach(l -> System.out.println("    " + l));
            }

            System.out.printf("%n== Reference again: Kafka consumer perf tool on %s%n", topics.trades());
            KafkaPerf.ConsumerResult after = KafkaPerf.consumer(bootstrap, topics.trades(), trades, "bench-perf-2");

            double perfFetch = (before.fetchRecordsPerSecond() + after.fetchRecordsPerSecond()) / 2;
            double perfTotal = (before.recordsPerSecond() + after.recordsPerSecond()) / 2;
            System.out.printf("%n== Summary (%,d trades, %d partitions)%n", trades, partitions);
            System.out.printf("  consumer perf: %,.0f records/s fetching (before %,.0f, after %,.0f), %,.0f including"
                + " the group join%n", perfFetch, before.fetchRecordsPerSecond(), after.fetchRecordsPerSecond(),
                perfTotal);
            for (StreamsRun r : runs) {
                System.out.printf("  candles %-16s %,9.0f trades/s from the first record = %.3f x consumer perf"
                    + " (fetching); %,9.0f from start = %.3f x consumer perf (with join)%n", r.guarantee(),
                    r.rateProcessing(trades), r.rateProcessing(trades) / perfFetch, r.rateFromStart(trades),
                    r.rateFromStart(trades) / perfTotal);
            }
        } finally {
            if (dirFlag.isEmpty()) {
                Files2.deleteRecursively(dir);
            }
        }
    }

    private static Duration interval(String label) {
        String s = label.trim();
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("interval '" + label + "': expected e.g. 1s, 1m, 5m, 1h");
        };
    }

    /**
     * Trades in event-time order, venue and symbol chosen at random, each symbol's price a random walk on a 0.01
     * tick (shared by the venues, each a few ticks off), sizes on the symbol's lot, 8 decimals as Binance sends them.
     */
    private static void fill(String bootstrap, String topic, int trades, int venues, int symbols, int spacingMicros) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        SplittableRandom random = new SplittableRandom(7);
        long[] cents = Arrays.copyOf(START_CENTS, symbols);
        long[] nextId = new long[venues * symbols];
        // The trades end an hour before now, on a whole hour: recent, as live data is, and every bar complete.
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS)
            .minus((long) trades * spacingMicros, ChronoUnit.MICROS).truncatedTo(ChronoUnit.HOURS);
        long startMicros = start.getEpochSecond() * 1_000_000L;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, Trade> producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.serializer())) {
            for (int i = 0; i < trades; i++) {
                int v = random.nextInt(venues);
                int s = random.nextInt(symbols);
                int u = random.nextInt(100);
                cents[s] = Math.max(1, cents[s] + (u < 35 ? 0 : u < 65 ? -1 : u < 95 ? 1 : random.nextInt(11) - 5));
                long price = (cents[s] + v - venues / 2) * 1_000_000L;
                long lots = 1 + (long) (TYPICAL_LOTS[s] * -Math.log(1 - random.nextDouble()));
                long eventMicros = startMicros + (long) i * spacingMicros;
                Instant event = Instant.ofEpochSecond(eventMicros / 1_000_000L, eventMicros % 1_000_000L * 1_000L);
                Trade t = new Trade(VENUES[v], SYMBOLS[s], SYMBOLS[s].replace("-", ""), event,
                    event.plusMillis(1 + random.nextInt(4)), Long.toString(++nextId[v * symbols + s]),
                    Decimals.of(price, 8), Decimals.of(lots * LOT[s], 8), random.nextBoolean() ? Side.BUY : Side.SELL);
                producer.send(new ProducerRecord<>(topic, null, eventMicros / 1_000L, VENUES[v] + ":" + SYMBOLS[s], t),
                    (md, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling " + topic + " failed", failure.get());
        }
    }

    private static StreamsRun runStreams(String bootstrap, Admin admin, Path dir, Topics topics,
                                         List<Duration> intervals, String guarantee, long trades) throws Exception {
        String appId = "bench-candles-" + guarantee.replace('_', '-');
        Properties p = CandleApp.properties(bootstrap, dir.resolve("streams-" + guarantee), topics);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        Map<TopicPartition, Long> ends = endOffsets(admin, topics.trades());
        KafkaStreams streams = new KafkaStreams(CandleTopology.buildTopology(topics, intervals,
            CandleTopology.DEFAULT_GRACE), p);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            failed.compareAndSet(null, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                .SHUTDOWN_CLIENT;
        });
        long candlesBefore = endOffsets(admin, topics.candles()).values().stream().mapToLong(Long::longValue).sum();
        ThreadCpu cpuBefore = ThreadCpu.snapshot();
        long start = System.nanoTime();
        long firstRecord = 0;
        long lastReport = start;
        streams.start();
        try {
            while (true) {
                if (failed.get() != null) {
                    throw new IllegalStateException("the stream thread failed", failed.get());
                }
                long processed = processed(streams);
                long now = System.nanoTime();
                if (firstRecord == 0 && processed > 0) {
                    firstRecord = now;
                }
                if (processed >= 2 * trades && committed(admin, appId, ends)) {
                    ThreadCpu cpuAfter = ThreadCpu.snapshot();
                    double fromStart = (now - start) / 1e9;
                    long candlesOut = endOffsets(admin, topics.candles()).values().stream()
                        .mapToLong(Long::longValue).sum() - candlesBefore;
                    return new StreamsRun(guarantee, fromStart, (now - firstRecord) / 1e9, processed,
                        sum(streams, "stream-task-metrics", "dropped-records-total"), candlesOut,
                        cpuAfter.report(cpuBefore, 6, trades / fromStart));
                }
                if (now - lastReport > 5_000_000_000L) {
                    System.out.printf("  %5.1f s: %,d of %,d records processed, %s%n", (now - start) / 1e9, processed,
                        2 * trades, streams.state());
                    lastReport = now;
                }
                if (now - start > TimeUnit.MINUTES.toNanos(30)) {
                    throw new IllegalStateException("not done after 30 minutes: " + processed + " of " + 2 * trades
                        + " records processed");
                }
                Thread.sleep(50);
            }
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
            streams.cleanUp();
        }
    }

    /** Records the stream threads processed: each trade once from the input, once from the repartition topic. */
    private static long processed(KafkaStreams streams) {
        return sum(streams, "stream-thread-metrics", "process-total");
    }

    private static long sum(KafkaStreams streams, String group, String name) {
        long total = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
            if (m.getKey().name().equals(name) && m.getKey().group().equals(group)) {
                total += (long) ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    /** True when the application has committed every input partition up to its end. */
    private static boolean committed(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata o = offsets.get(e.getKey());
            if (o == null || o.offset() < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
            .partitions().size();
        Map<TopicPartition, OffsetSpec> wanted = new java.util.HashMap<>();
        for (int i = 0; i < partitions; i++) {
            wanted.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        admin.listOffsets(wanted).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
