package io.tickerplant.server.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.server.pipeline.PipelineReport.Connector;
import io.tickerplant.server.pipeline.PipelineReport.ConsumerLag;
import io.tickerplant.server.pipeline.PipelineReport.DeadLetterFigures;
import io.tickerplant.server.pipeline.PipelineReport.OpenStatus;
import io.tickerplant.server.pipeline.PipelineReport.SinkFigures;
import io.tickerplant.server.pipeline.PipelineReport.TopicFigures;
import io.tickerplant.server.pipeline.PipelineReport.VenueFigures;
import io.tickerplant.store.ConnectionFactory;
import io.tickerplant.store.SinkQueries;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the whole pipeline from the outside, for {@code GET /api/pipeline} and {@code /metrics}:
 * <ul>
 * <li>one group-less consumer reads the venue topics, the feed statuses and the dead letters from their end (what
 * happens from now on; nothing is committed, so it never holds anything back), counting records per topic and venue
 * from the keys ({@code VENUE:SYMBOL}: no value is decoded except feed statuses and dead-letter headers);</li>
 * <li>every {@link PipelineSources#refresh()}: the consumer groups' lag (Kafka admin: committed offsets against the
 * end offsets) and the sink's receive-to-ingest latency (one SQL query over the last minute of trades);</li>
 * <li>every second: a sample of the counts, from which rates over the last ~10 s are computed.</li>
 * </ul>
 *
 * <p>Meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code tickerplant.pipeline.events} {topic, venue} [{@code tickerplant_pipeline_events_total}]: records seen
 * per topic and venue ({@code venue="-"} when the key names none);</li>
 * <li>{@code tickerplant.pipeline.feed.gaps}, {@code .resyncs}, {@code .disconnects} {venue}
 * [{@code tickerplant_pipeline_feed_gaps_total}, ...]: feed statuses of those kinds;</li>
 * <li>{@code tickerplant.pipeline.feed.status} {venue, status} [{@code tickerplant_pipeline_feed_status}]: 1 for the
 * venue's latest status, 0 for the others;</li>
 * <li>{@code tickerplant.pipeline.deadletters} {stage} [{@code tickerplant_pipeline_deadletters_total}]: records on
 * the dead-letter topic, by the stage that rejected them ({@code source:BINANCE}, {@code connect:postgres-sink});</li>
 * <li>{@code tickerplant.pipeline.consumer.lag} {group} [{@code tickerplant_pipeline_consumer_lag}]: records the
 * group has yet to read (NaN when unknown);</li>
 * <li>{@code tickerplant.pipeline.sink.latency.ms} {quantile=0.5|0.99} [{@code tickerplant_pipeline_sink_latency_ms}]:
 * receive time to database ingest time of the trades written in the last minute (NaN when none were);</li>
 * <li>{@code tickerplant.pipeline.sink.rows.per.second} [{@code tickerplant_pipeline_sink_rows_per_second}]: trades
 * written per second over the last minute.</li>
 * </ul>
 */
public final class PipelineMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineMonitor.class);
    /** Rates are over this many one-second samples. */
    static final int RATE_SAMPLES = 10;
    static final Duration SINK_WINDOW = Duration.ofMinutes(1);
    private static final Duration SINK_STATEMENT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern VENUE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final String NO_VENUE = "-";
    /** Connect's own dead-letter headers (errors.deadletterqueue.context.headers.enable), used by the sink. */
    private static final String CONNECT_MESSAGE = "__connect.errors.exception.message";
    private static final String CONNECT_CLASS = "__connect.errors.exception.class.name";
    private static final String CONNECT_CONNECTOR = "__connect.errors.connector.name";

    private final String bootstrapServers;
    private final Topics topics;
    private final List<String> watched;
    private final Set<String> dataTopics;
    private final ConnectionFactory db;
    private final PipelineSources sources;
    private final MeterRegistry metrics;

    private final ConcurrentMap<String, AtomicLong> topicTotals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, VenueState> venues = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> eventCounters = new HashMap<>(); // consumer thread only
    private final Map<String, Counter> deadLetterCounters = new HashMap<>(); // consumer thread only
    private final Deque<Sample> samples = new ArrayDeque<>(); // guarded by itself
    private final AtomicLong deadLetterTotal = new AtomicLong();
    private final AtomicReference<DeadLetterFigures> lastDeadLetter = new AtomicReference<>(DeadLetterFigures.NONE);
    private final ConcurrentMap<String, ConsumerLag> lags = new ConcurrentHashMap<>();
    private volatile SinkFigures sink = SinkFigures.UNKNOWN;

    private volatile boolean running;
    private volatile boolean ready;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Admin admin;
    private Thread thread;
    private ScheduledExecutorService scheduler;

    /** One venue's counts and feed statuses; written by the consumer thread, read by requests. */
    private final class VenueState {
        final String venue;
        final AtomicLong events = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();
        final AtomicLong resyncs = new AtomicLong();
        final AtomicLong disconnects = new AtomicLong();
        final Counter gapCounter;
        final Counter resyncCounter;
        final Counter disconnectCounter;
        volatile FeedStatus last;
        volatile long lastEventMicros;
        final Map<String, OpenStatus> open = new TreeMap<>(); // guarded by itself

        VenueState(String venue) {
            this.venue = venue;
            gapCounter = Counter.builder("tickerplant.pipeline.feed.gaps").tag("venue", venue)
                    .description("Feed statuses GAP: data the venue sent that the pipeline did not get")
                    .register(metrics);
            resyncCounter = Counter.builder("tickerplant.pipeline.feed.resyncs").tag("venue", venue)
                    .description("Feed statuses RESYNC: a book rebuilt from a snapshot").register(metrics);
            disconnectCounter = Counter.builder("tickerplant.pipeline.feed.disconnects").tag("venue", venue)
                    .description("Feed statuses DISCONNECTED").register(metrics);
            for (FeedState s : FeedState.values()) {
                Gauge.builder("tickerplant.pipeline.feed.status", this, v -> v.last != null
                                && v.last.getStatus() == s ? 1 : 0)
                        .tags("venue", venue, "status", s.name())
                        .description("1 for the venue's latest feed status, 0 for the others").register(metrics);
            }
        }
    }

    /** Counts at one instant, for rates. */
    private record Sample(long nanos, Map<String, Long> topics, Map<String, Long> venues) {
    }

    /**
     * @param bootstrapServers Kafka to watch; null: no Kafka figures (topics, venues, dead letters, lag stay empty)
     * @param topics topic names
     * @param db where the sink writes, for its latency
     * @param sources connectors' states and consumer groups, from the platform
     * @param metrics where the meters are published
     */
    public PipelineMonitor(String bootstrapServers, Topics topics, ConnectionFactory db, PipelineSources sources,
            MeterRegistry metrics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.db = db;
        this.sources = sources;
        this.metrics = metrics;
        this.watched = List.of(topics.trades(), topics.quotes(), topics.book(), topics.liquidations(),
                topics.funding(), topics.feedStatus(), topics.deadLetters());
        this.dataTopics = Set.of(topics.trades(), topics.quotes(), topics.book(), topics.liquidations(),
                topics.funding());
        Gauge.builder("tickerplant.pipeline.sink.latency.ms", this, m -> nan(m.sink.latencyP50Ms()))
                .tag("quantile", "0.5").description("Receive time to database ingest time of the trades written in"
                        + " the last minute, milliseconds").register(metrics);
        Gauge.builder("tickerplant.pipeline.sink.latency.ms", this, m -> nan(m.sink.latencyP99Ms()))
                .tag("quantile", "0.99").description("Receive time to database ingest time of the trades written in"
                        + " the last minute, milliseconds").register(metrics);
        Gauge.builder("tickerplant.pipeline.sink.rows.per.second", this, m -> m.sink.rowsPerSecond())
                .description("Trades written to the database per second over the last minute").register(metrics);
        for (String group : sources.consumerGroups()) {
            Gauge.builder("tickerplant.pipeline.consumer.lag", this, m -> {
                ConsumerLag l = m.lags.get(group);
                return l == null || l.lag() == null ? Double.NaN : l.lag();
            }).tag("group", group).description("Records the consumer group has yet to read").register(metrics);
        }
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    /** Starts the consumer thread (with Kafka) and the periodic measurements. */
    public PipelineMonitor start() {
        running = true;
        if (bootstrapServers != null) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tickerplant-pipeline-monitor");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            Properties a = new Properties();
            a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            a.put(AdminClientConfig.CLIENT_ID_CONFIG, "tickerplant-pipeline-monitor-admin");
            a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_TIMEOUT.toMillis()));
            a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_TIMEOUT.toMillis()));
            admin = Admin.create(a);
            thread = new Thread(this::run, "pipeline-monitor");
            thread.setDaemon(true);
            thread.start();
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pipeline-monitor-refresh");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::measure, 0, sources.refresh().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** True once the consumer sits at the end of every watched topic: what is produced from now on is counted. */
    public boolean ready() {
        return ready;
    }

    /** The figures now, with the problems they show. */
    public PipelineReport report() {
        Instant now = Instant.now();
        List<Connector> connectors;
        try {
            connectors = sources.connectors().get();
        } catch (RuntimeException e) {
            connectors = List.of(new Connector("connect", "UNKNOWN", List.of(), e.toString()));
        }
        Sample oldest;
        Sample newest;
        synchronized (samples) {
            oldest = samples.peekFirst();
            newest = samples.peekLast();
        }
        List<TopicFigures> topicFigures = new ArrayList<>();
        for (String t : watched) {
            long total = count(topicTotals.get(t));
            topicFigures.add(new TopicFigures(t, rate(oldest, newest, s -> s.topics().get(t)), total));
        }
        List<VenueFigures> venueFigures = new ArrayList<>();
        new TreeMap<>(venues).forEach((name, v) -> venueFigures.add(venue(v, oldest, newest)));
        DeadLetterFigures dl = lastDeadLetter.get();
        DeadLetterFigures deadLetters = new DeadLetterFigures(deadLetterTotal.get(), dl.lastReason(), dl.lastTime(),
                dl.lastStage());
        List<ConsumerLag> lagList = new ArrayList<>();
        for (String g : sources.consumerGroups()) {
            lagList.add(lags.getOrDefault(g, new ConsumerLag(g, null, bootstrapServers == null ? "no Kafka"
                    : "not measured yet")));
        }
        SinkFigures sinkNow = sink;
        return new PipelineReport(now, connectors, topicFigures, venueFigures, deadLetters, lagList, sinkNow,
                PipelineProblems.of(now, connectors, venueFigures, deadLetters, lagList, sinkNow));
    }

    private VenueFigures venue(VenueState v, Sample oldest, Sample newest) {
        FeedStatus last = v.last;
        List<OpenStatus> open;
        synchronized (v.open) {
            open = new ArrayList<>(v.open.values());
        }
        long lastEvent = v.lastEventMicros;
        return new VenueFigures(v.venue, v.events.get(), rate(oldest, newest, s -> s.venues().get(v.venue)),
                v.gaps.get(), v.resyncs.get(), v.disconnects.get(),
                last == null ? null : last.getStatus().name(), last == null ? null : last.getEventTime(),
                last == null ? null : last.getDetail(), lastEvent == 0 ? null : Micros.toInstant(lastEvent), open);
    }

    private static double rate(Sample oldest, Sample newest, java.util.function.Function<Sample, Long> count) {
        if (oldest == null || newest == null || newest.nanos() <= oldest.nanos()) {
            return 0;
        }
        Long a = count.apply(oldest);
        Long b = count.apply(newest);
        long delta = (b == null ? 0 : b) - (a == null ? 0 : a);
        double perSecond = delta / ((newest.nanos() - oldest.nanos()) / 1e9);
        return Math.round(perSecond * 10) / 10.0;
    }

    private static long count(AtomicLong a) {
        return a == null ? 0 : a.get();
    }

    private void sample() {
        Map<String, Long> t = new HashMap<>();
        topicTotals.forEach((k, v) -> t.put(k, v.get()));
        Map<String, Long> v = new HashMap<>();
        venues.forEach((k, s) -> v.put(k, s.events.get()));
        synchronized (samples) {
            samples.addLast(new Sample(System.nanoTime(), t, v));
            while (samples.size() > RATE_SAMPLES + 1) {
                samples.removeFirst();
            }
        }
    }

    /** Lag and sink latency; each failure is reported in its figures, never thrown (it would end the schedule). */
    private void measure() {
        try {
            measureSink();
            if (admin != null && !sources.consumerGroups().isEmpty()) {
                measureLag();
            }
        } catch (RuntimeException e) {
            log.warn("pipeline measurement failed: {}", e.toString());
        }
    }

    private void measureSink() {
        try (Connection c = db.connect()) {
            SinkQueries.SinkLatency l = SinkQueries.tradeLatency(c, SINK_WINDOW, SINK_STATEMENT_TIMEOUT);
            double perSecond = Math.round(l.rows() * 10.0 / SINK_WINDOW.toSeconds()) / 10.0;
            sink = new SinkFigures(round(l.p50Ms()), round(l.p99Ms()), perSecond, l.rows(), null);
        } catch (Exception e) {
            sink = new SinkFigures(null, null, 0, 0, "the database did not answer: " + e.getMessage());
        }
    }

    private static Double round(Double ms) {
        return ms == null ? null : Math.round(ms * 10) / 10.0;
    }

    private void measureLag() {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
        sources.consumerGroups().forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new LinkedHashMap<>();
        var result = admin.listConsumerGroupOffsets(specs);
        for (String g : specs.keySet()) {
            try {
                Map<TopicPartition, OffsetAndMetadata> m = result.partitionsToOffsetAndMetadata(g)
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                m.values().removeIf(o -> o == null);
                committed.put(g, m);
            } catch (Exception e) {
                lags.put(g, new ConsumerLag(g, null, "Kafka did not answer: " + cause(e)));
            }
        }
        Set<TopicPartition> partitions = new HashSet<>();
        committed.values().forEach(m -> partitions.addAll(m.keySet()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (!partitions.isEmpty()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            // Consumers here read committed data only: the end that counts is the last stable offset.
            ListOffsetsResult r = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
            for (TopicPartition tp : partitions) {
                try {
                    ends.put(tp, r.partitionResult(tp).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset());
                } catch (Exception e) {
                    // a deleted repartition topic, a partition without leader: left out of the sum
                    log.debug("no end offset for {}: {}", tp, cause(e));
                }
            }
        }
        committed.forEach((g, m) -> {
            if (m.isEmpty()) {
                lags.put(g, new ConsumerLag(g, null, "no committed offsets"));
                return;
            }
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : m.entrySet()) {
                Long end = ends.get(e.getKey());
                if (end != null) {
                    lag += Math.max(0, end - e.getValue().offset());
                }
            }
            lags.put(g, new ConsumerLag(g, lag, null));
        });
    }

    private static String cause(Exception e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private void run() {
        try {
            assignAtEnd();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    record(r);
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            log.error("pipeline monitor stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignAtEnd() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : watched) {
            List<PartitionInfo> infos = null;
            while (running && (infos == null || infos.isEmpty())) {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos == null || infos.isEmpty()) {
                    log.info("pipeline monitor waits for topic {}", topic);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
            }
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        ready = true;
    }

    /** Counts one record; only the consumer thread (and tests) call this. */
    void record(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        topicTotals.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
        if (topic.equals(topics.deadLetters())) {
            deadLetter(r);
            return;
        }
        String venue = venueOfKey(r.key());
        eventCounters.computeIfAbsent(topic, t -> new HashMap<>()).computeIfAbsent(venue, v ->
                Counter.builder("tickerplant.pipeline.events").tags("topic", topic, "venue", v)
                        .description("Records seen per topic and venue since the server started").register(metrics))
                .increment();
        if (venue.equals(NO_VENUE)) {
            return;
        }
        VenueState v = venues.computeIfAbsent(venue, VenueState::new);
        if (dataTopics.contains(topic)) {
            v.events.incrementAndGet();
            v.lastEventMicros = Micros.now();
        } else if (topic.equals(topics.feedStatus()) && r.value() != null) {
            try {
                feedStatus(v, AvroSerdes.decode(FeedStatus.class, r.value()));
            } catch (RuntimeException e) {
                log.debug("undecodable feed status: {}", e.toString());
            }
        }
    }

    private void feedStatus(VenueState v, FeedStatus f) {
        v.last = f;
        switch (f.getStatus()) {
            case GAP -> {
                v.gaps.incrementAndGet();
                v.gapCounter.increment();
            }
            case RESYNC -> {
                v.resyncs.incrementAndGet();
                v.resyncCounter.increment();
            }
            case DISCONNECTED -> {
                v.disconnects.incrementAndGet();
                v.disconnectCounter.increment();
            }
            default -> {
            }
        }
        String key = (f.getSymbol() == null ? "" : f.getSymbol()) + "/" + (f.getChannel() == null ? "" : f.getChannel());
        synchronized (v.open) {
            if (f.getStatus() == FeedState.CONNECTED || f.getStatus() == FeedState.RESYNC) {
                v.open.remove(key);
                if (f.getSymbol() == null && f.getStatus() == FeedState.CONNECTED) {
                    // A new connection: whatever the old one had stopped, it starts again.
                    v.open.values().removeIf(o -> !o.status().equals("GAP"));
                }
            } else {
                OpenStatus before = v.open.get(key);
                Instant since = before != null && before.status().equals(f.getStatus().name()) ? before.since()
                        : f.getEventTime();
                v.open.put(key, new OpenStatus(f.getSymbol(), f.getChannel(), f.getStatus().name(), since,
                        f.getEventTime(), f.getDetail()));
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r) {
        String reason = header(r, DeadLetters.REASON);
        if (reason == null) {
            String message = header(r, CONNECT_MESSAGE);
            String cls = header(r, CONNECT_CLASS);
            reason = message != null ? message : cls;
        }
        String stage = header(r, DeadLetters.STAGE);
        if (stage == null) {
            String connector = header(r, CONNECT_CONNECTOR);
            stage = connector == null ? "unknown" : "connect:" + connector;
        }
        deadLetterTotal.incrementAndGet();
        lastDeadLetter.set(new DeadLetterFigures(0, reason, Instant.ofEpochMilli(r.timestamp()), stage));
        String tag = stage;
        deadLetterCounters.computeIfAbsent(tag, s -> Counter.builder("tickerplant.pipeline.deadletters")
                .tag("stage", s).description("Records on the dead-letter topic since the server started")
                .register(metrics)).increment();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** {@code BINANCE} from {@code BINANCE:BTC-USDT} (or a bare venue key); {@code "-"} for anything else. */
    static String venueOfKey(byte[] key) {
        if (key == null) {
            return NO_VENUE;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        int colon = k.indexOf(':');
        String venue = colon < 0 ? k : k.substring(0, colon);
        return VENUE.matcher(venue).matches() ? venue : NO_VENUE;
    }

    /** The venues seen so far, for tests. */
    Collection<String> venues() {
        return venues.keySet();
    }

    @Override
    public void close() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
