package io.tickerplant.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.LiquidationStats;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live events for browsers, read from the Kafka topics by one consumer thread and fanned out to subscribers.
 *
 * <p>The consumer is group-less: it assigns every partition of the live topics and starts at their end, because a
 * browser wants what happens from now on, and a consumer group would only add rebalances and committed offsets
 * that nobody needs. {@code read_committed} keeps aborted transactional writes out of the browser as they are kept
 * out of the database.
 *
 * <p>Each event is turned into JSON once and offered to each matching subscriber's bounded queue. A slow subscriber
 * never blocks the consumer: when its queue is full the oldest event is dropped and counted, since for a live view
 * the newest state matters more than completeness.
 */
public final class LivePush implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LivePush.class);
    static final int QUEUE_CAPACITY = 1024;

    /** The kinds of event a subscriber can ask for, with their names in {@code types=} and in SSE. */
    public enum EventType {
        TRADE("trades", "trade"), CANDLE("candles", "candle"), FEEDSTATUS("feedstatus", "feedstatus"),
        QUOTE("quotes", "quote"), LIQUIDATION("liquidations", "liquidation"),
        LIQUIDATION_STATS("liquidationStats", "liquidationStats"),
        /** The consolidated best bid/offer across venues (symbol key). */
        BBO("bbo", "bbo"),
        /** The venues' index price with each venue's deviation from it (symbol key). */
        INDEX("index", "index"),
        /** Oracle accuracy rows; the symbol is the reference pair, e.g. ETH-USD. */
        ACCURACY("accuracy", "accuracy"),
        /** Oracle alerts raised or cleared; the symbol is the reference pair. */
        ALERT("alerts", "alert");

        private final String parameter;
        private final String eventName;

        EventType(String parameter, String eventName) {
            this.parameter = parameter;
            this.eventName = eventName;
        }

        /** The name in {@code types=...}. */
        public String parameter() {
            return parameter;
        }

        /** The SSE event name. */
        public String eventName() {
            return eventName;
        }

        static EventType ofParameter(String p) {
            for (EventType t : values()) {
                if (t.parameter.equalsIgnoreCase(p) || t.eventName.equalsIgnoreCase(p)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * One event ready to send: its type and JSON data, and the local receive time of what it reports in epoch
     * microseconds (0 when it has none, as derived events), from which the latency to the browser is measured.
     */
    public record Event(EventType type, String json, long receiveMicros) {
        public Event(EventType type, String json) {
            this(type, json, 0);
        }

        /** The SSE event name. */
        public String name() {
            return type.eventName();
        }
    }

    /**
     * One browser's subscription: which symbol (null: all) and which types, and the queue between the consumer
     * thread and the thread writing to that browser.
     */
    public final class Subscription implements AutoCloseable {
        private final String symbol;
        private final Set<EventType> types;
        private final BlockingQueue<Event> queue;
        private final AtomicLong dropped = new AtomicLong();

        Subscription(String symbol, Set<EventType> types, int capacity) {
            this.symbol = symbol;
            this.types = types;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        boolean wants(EventType type, String eventSymbol) {
            // A status without a symbol is about a whole connection, so it concerns every symbol.
            return types.contains(type) && (symbol == null || eventSymbol == null || symbol.equals(eventSymbol));
        }

        void offer(Event e) {
            // Only the consumer thread offers, so after one poll there is room again.
            while (!queue.offer(e)) {
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                    droppedCounter.increment();
                }
            }
        }

        /** The next event, or null when none came within the timeout. */
        public Event next(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        /** Counts an event as delivered to the browser, and how long it took from the venue socket. */
        public void sent(Event e) {
            pushed.get(e.type()).increment();
            Timer latency = latencies.get(e.type());
            if (latency != null && e.receiveMicros() > 0) {
                latency.record(Math.max(0, Micros.now() - e.receiveMicros()), TimeUnit.MICROSECONDS);
            }
        }

        /** Events dropped because this subscriber did not keep up. */
        public long dropped() {
            return dropped.get();
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    private final String bootstrapServers;
    private final Topics topics;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<EventType, Counter> pushed = new LinkedHashMap<>();
    private final Map<EventType, Timer> latencies = new EnumMap<>(EventType.class);
    private final Counter droppedCounter;
    private final Counter undecodable;
    private volatile boolean running;
    private volatile boolean ready;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /**
     * @param bootstrapServers Kafka to read from
     * @param topics topic names
     * @param metrics where subscriber, pushed and dropped counts are published
     */
    public LivePush(String bootstrapServers, Topics topics, MeterRegistry metrics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        for (EventType t : EventType.values()) {
            pushed.put(t, Counter.builder("tickerplant.live.events.pushed").tag("type", t.eventName())
                    .description("Events written to live subscribers (counted once per subscriber)").register(metrics));
        }
        // The end of the live path: receive time (set when the frame arrived) to the write to the browser.
        for (EventType t : EnumSet.of(EventType.TRADE, EventType.QUOTE, EventType.LIQUIDATION)) {
            latencies.put(t, Timer.builder("tickerplant.live.push.latency").tag("type", t.eventName())
                    .description("Local receive time of an event to its write to a live subscriber (per subscriber)")
                    .publishPercentiles(0.5, 0.99).register(metrics));
        }
        droppedCounter = Counter.builder("tickerplant.live.events.dropped")
                .description("Events dropped because a live subscriber did not keep up").register(metrics);
        undecodable = Counter.builder("tickerplant.live.events.undecodable")
                .description("Records on live topics that could not be decoded").register(metrics);
        metrics.gaugeCollectionSize("tickerplant.live.subscribers", List.of(), subscriptions);
    }

    /** Starts the consumer thread. */
    public LivePush start() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tickerplant-live-push");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "live-push");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** True once the consumer holds its partitions and sits at their end: events from now on will be pushed. */
    public boolean ready() {
        return ready;
    }

    /** A new subscription; close it when the browser goes away. */
    public Subscription subscribe(String symbol, Set<EventType> types) {
        Subscription s = new Subscription(symbol, EnumSet.copyOf(types), QUEUE_CAPACITY);
        subscriptions.add(s);
        return s;
    }

    /** Parses {@code types=trades,candles}: null or blank means every type. */
    public static Set<EventType> parseTypes(String raw) {
        if (raw == null || raw.isBlank()) {
            return EnumSet.allOf(EventType.class);
        }
        Set<EventType> out = EnumSet.noneOf(EventType.class);
        for (String part : raw.split(",")) {
            EventType t = EventType.ofParameter(part.trim().toLowerCase(java.util.Locale.ROOT));
            if (t == null) {
                List<String> known = new ArrayList<>();
                for (EventType k : EventType.values()) {
                    known.add(k.parameter());
                }
                throw new BadParameterException("types", "unknown type '" + part.trim() + "', expected a list of "
                        + String.join(", ", known));
            }
            out.add(t);
        }
        return out;
    }

    private void run() {
        try {
            assignAtEnd();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(r.topic(), r.value());
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            log.error("live push stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignAtEnd() {
        List<String> wanted = List.of(topics.trades(), topics.candles(), topics.feedStatus(), topics.quotes(),
                topics.liquidations(), topics.liquidationStats(), topics.bbo(), topics.index(), topics.accuracy(),
                topics.alerts());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : wanted) {
            List<PartitionInfo> infos = null;
            // A topic may not exist yet when the server starts before the topics are created.
            while (running && (infos == null || infos.isEmpty())) {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos == null || infos.isEmpty()) {
                    log.info("live push waits for topic {}", topic);
                    sleep();
                }
            }
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, so that ready() means "from here on"
        ready = true;
        log.info("live push reading {} partitions of {}", partitions.size(), wanted);
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void dispatch(String topic, byte[] value) {
        if (value == null || subscriptions.isEmpty()) {
            return;
        }
        EventType type;
        String symbol;
        Object view;
        long receiveMicros = 0;
        try {
            if (topic.equals(topics.trades())) {
                Trade t = AvroSerdes.decode(Trade.class, value);
                type = EventType.TRADE;
                symbol = t.getSymbol();
                view = TradeView.of(t);
                receiveMicros = Micros.of(t.getReceiveTime());
            } else if (topic.equals(topics.candles())) {
                Candle c = AvroSerdes.decode(Candle.class, value);
                type = EventType.CANDLE;
                symbol = c.getSymbol();
                view = candle(c);
            } else if (topic.equals(topics.feedStatus())) {
                FeedStatus f = AvroSerdes.decode(FeedStatus.class, value);
                type = EventType.FEEDSTATUS;
                symbol = f.getSymbol();
                view = feedStatus(f);
            } else if (topic.equals(topics.quotes())) {
                Quote q = AvroSerdes.decode(Quote.class, value);
                type = EventType.QUOTE;
                symbol = q.getSymbol();
                view = quote(q);
                receiveMicros = Micros.of(q.getReceiveTime());
            } else if (topic.equals(topics.liquidations())) {
                Liquidation l = AvroSerdes.decode(Liquidation.class, value);
                type = EventType.LIQUIDATION;
                symbol = l.getSymbol();
                view = liquidation(l);
                receiveMicros = Micros.of(l.getReceiveTime());
            } else if (topic.equals(topics.liquidationStats())) {
                LiquidationStats s = AvroSerdes.decode(LiquidationStats.class, value);
                type = EventType.LIQUIDATION_STATS;
                symbol = s.getSymbol();
                view = liquidationStats(s);
            } else if (topic.equals(topics.bbo())) {
                Bbo b = AvroSerdes.decode(Bbo.class, value);
                type = EventType.BBO;
                symbol = b.getSymbol();
                view = bbo(b);
            } else if (topic.equals(topics.index())) {
                IndexPrice i = AvroSerdes.decode(IndexPrice.class, value);
                type = EventType.INDEX;
                symbol = i.getSymbol();
                view = index(i);
            } else if (topic.equals(topics.accuracy())) {
                Accuracy a = AvroSerdes.decode(Accuracy.class, value);
                type = EventType.ACCURACY;
                symbol = a.getSymbol();
                view = accuracy(a);
            } else if (topic.equals(topics.alerts())) {
                Alert a = AvroSerdes.decode(Alert.class, value);
                type = EventType.ALERT;
                symbol = a.getSymbol();
                view = alert(a);
            } else {
                return;
            }
        } catch (RuntimeException e) {
            // One bad record must not end the stream for everyone; the DLQ is the place to look into it.
            undecodable.increment();
            log.debug("undecodable record on {}: {}", topic, e.toString());
            return;
        }
        publish(type, symbol, view, receiveMicros);
    }

    void publish(EventType type, String symbol, Object view) {
        publish(type, symbol, view, 0);
    }

    /** Hands one event to every matching subscriber; only the consumer thread (and tests) call this. */
    void publish(EventType type, String symbol, Object view, long receiveMicros) {
        String data = null;
        for (Subscription s : subscriptions) {
            if (s.wants(type, symbol)) {
                if (data == null) {
                    try {
                        data = json.writeValueAsString(view);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }
                s.offer(new Event(type, data, receiveMicros));
            }
        }
    }

    private static Map<String, Object> candle(Candle c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("venue", c.getVenue());
        m.put("symbol", c.getSymbol());
        m.put("interval", c.getInterval());
        m.put("bucketStart", c.getBucketStart().toString());
        m.put("bucketEnd", c.getBucketEnd().toString());
        m.put("open", plain(c.getOpen()));
        m.put("high", plain(c.getHigh()));
        m.put("low", plain(c.getLow()));
        m.put("close", plain(c.getClose()));
        m.put("volume", plain(c.getVolume()));
        m.put("tradeCount", c.getTradeCount());
        m.put("finalBar", c.getFinalBar());
        return m;
    }

    private static Map<String, Object> feedStatus(FeedStatus f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("venue", f.getVenue());
        m.put("symbol", f.getSymbol());
        m.put("status", f.getStatus().name());
        m.put("detail", f.getDetail());
        m.put("channel", f.getChannel());
        m.put("eventTime", f.getEventTime().toString());
        return m;
    }

    private static Map<String, Object> quote(Quote q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("venue", q.getVenue());
        m.put("symbol", q.getSymbol());
        m.put("bidPrice", plain(q.getBidPrice()));
        m.put("bidSize", plain(q.getBidSize()));
        m.put("askPrice", plain(q.getAskPrice()));
        m.put("askSize", plain(q.getAskSize()));
        m.put("eventTime", q.getEventTime().toString());
        return m;
    }

    private static Map<String, Object> liquidation(Liquidation l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("venue", l.getVenue());
        m.put("symbol", l.getSymbol());
        m.put("venueSymbol", l.getVenueSymbol());
        m.put("side", l.getSide().name());
        m.put("price", plain(l.getPrice()));
        m.put("quantity", plain(l.getQuantity()));
        m.put("liquidationId", l.getLiquidationId());
        m.put("eventTime", l.getEventTime().toString());
        m.put("receiveTime", l.getReceiveTime().toString());
        return m;
    }

    private static Map<String, Object> liquidationStats(LiquidationStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", s.getSymbol());
        m.put("bucketStart", s.getBucketStart().toString());
        m.put("bucketEnd", s.getBucketEnd().toString());
        m.put("longCount", s.getLongCount());
        m.put("longQuantity", plain(s.getLongQuantity()));
        m.put("longNotional", plain(s.getLongNotional()));
        m.put("shortCount", s.getShortCount());
        m.put("shortQuantity", plain(s.getShortQuantity()));
        m.put("shortNotional", plain(s.getShortNotional()));
        m.put("venues", s.getVenues());
        m.put("finalBar", s.getFinalBar());
        m.put("updateTime", s.getUpdateTime().toString());
        return m;
    }

    private static Map<String, Object> bbo(Bbo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", b.getSymbol());
        m.put("eventTime", b.getEventTime().toString());
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
        m.put("eventTime", i.getEventTime().toString());
        m.put("price", plain(i.getPrice()));
        m.put("method", i.getMethod());
        m.put("venues", i.getVenues());
        List<Map<String, Object>> deviations = new ArrayList<>();
        i.getDeviations().forEach(d -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("venue", d.getVenue());
            v.put("mid", plain(d.getMid()));
            v.put("deviationBps", d.getDeviationBps());
            deviations.add(v);
        });
        m.put("deviations", deviations);
        m.put("excluded", i.getExcluded());
        return m;
    }

    private static Map<String, Object> accuracy(Accuracy a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", a.getSymbol());
        m.put("eventTime", a.getEventTime().toString());
        m.put("oracleSource", a.getOracleSource());
        m.put("roundId", a.getRoundId());
        m.put("oraclePrice", plain(a.getOraclePrice()));
        m.put("oracleUpdatedAt", a.getOracleUpdatedAt().toString());
        m.put("apiAverage", plain(a.getApiAverage()));
        m.put("apiSources", a.getApiSources());
        m.put("pctDiff", plain(a.getPctDiff()));
        m.put("indexSymbol", a.getIndexSymbol());
        m.put("indexPrice", plain(a.getIndexPrice()));
        m.put("indexTime", a.getIndexTime() == null ? null : a.getIndexTime().toString());
        m.put("pctDiffIndex", plain(a.getPctDiffIndex()));
        m.put("oracleAgeSeconds", a.getOracleAgeSeconds());
        m.put("stale", a.getStale());
        return m;
    }

    private static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", a.getSymbol());
        m.put("eventTime", a.getEventTime().toString());
        m.put("kind", a.getKind().name());
        m.put("active", a.getActive());
        m.put("detail", a.getDetail());
        m.put("value", plain(a.getValue()));
        m.put("threshold", plain(a.getThreshold()));
        return m;
    }

    private static String plain(Decimal d) {
        return d == null ? null : Decimals.toPlainString(d);
    }

    @Override
    public void close() {
        running = false;
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
    }
}
