package io.tickerplant.streams;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.AlertKind;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.ReferencePrice;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Oracle accuracy: how far each on-chain oracle round is from the price APIs, and alerts when it is too far or when
 * the oracle stops updating.
 *
 * <p>Input: {@link Topics#refPrices()}, key {@code SYMBOL}, value {@link ReferencePrice}; the record timestamp is the
 * source's own time (the connector sets it). API prices ({@link Settings#apiSources}, default COINGECKO and
 * COINPAPRIKA) update the latest price per (symbol, source) in {@link #API_STORE}; an oracle round
 * ({@link Settings#oracleSources}, default CHAINLINK, with a round id) is compared with the average of the latest
 * API prices of its pair that are at most {@link Settings#maxApiAge} older than the round, and an {@link Accuracy}
 * is published to {@link Topics#accuracy()} keyed by symbol (eventTime = the round's updatedAt, age 0). Rounds are
 * processed in the order they reach the partition, so "latest" means the latest the platform had received.
 *
 * <p>The latest API prices are a table (a changelogged key-value store, {@code SYMBOL|SOURCE} to the newest
 * {@link ReferencePrice} by source time) read by the same processor as the rounds, not a DSL KTable joined to the
 * round stream: the input is already partitioned by symbol, so every source of a pair and its rounds meet in one
 * task without a repartition topic; a DSL KTable keyed by (symbol, source) would need one, and a join on symbol
 * could not reach all sources of a pair. The processor needs its own stores and a punctuator anyway.
 *
 * <p>Cadence: every {@link Settings#cadence} of <b>wall-clock</b> time the latest accuracy of every pair is
 * published again with eventTime = now, the oracle's current age and the stale flag (age above the pair's
 * heartbeat plus {@link Settings#staleGrace}). Wall clock, not stream time, because stream time advances only when
 * records arrive: a stalled oracle whose partition also stops receiving API prices (an outage of the reference
 * connectors, the very case to detect) would never be reported stale. The price is a dependence on the host clock,
 * which the source times are compared with; the reference sources' times are UTC wall clock too.
 *
 * <p>Alerts go to {@link Topics#alerts()} keyed by symbol, once per change of a condition: DEVIATION when
 * {@code |pctDiff|} rises above the threshold (and a cleared one when it falls back), STALE when the age passes the
 * limit (cleared by the next round or a fresh age). The raised conditions are kept in {@link #ALERT_STORE}, so a
 * restart does not repeat them. A round older than the latest one seen (out of order) gets its accuracy published
 * but changes neither the latest accuracy nor the alerts.
 *
 * <p>Index difference: each round is also compared with the venues' index price ({@link Topics#index()}, from
 * {@link BboTopology}) of the symbol its pair maps to ({@link Settings#indexSymbols}, default ETH-USD to ETH-USDT,
 * BTC-USD to BTC-USDT, LINK-USD to LINK-USDT), giving {@code indexPrice}, {@code indexTime} and
 * {@code pctDiffIndex = (oracle - index) / index * 100}; all null when the pair maps to no symbol, no index price
 * is known, its price is null (no healthy venue) or it is more than {@link Settings#maxIndexAge} older than the
 * round. USDT is taken at par with USD: the venues quote ETH against USDT, the oracle against USD, and USDT has
 * traded within a few tenths of a percent of a dollar for years, so the difference is the oracle's error plus
 * USDT's premium or discount of the day. That is an approximation: it is right to a few basis points, not exact,
 * and it would mislead during a depeg; map a pair to an {@code -USD} symbol once venues quoting USD are consolidated.
 *
 * <p>The latest index price per symbol is a global store ({@link #INDEX_STORE}) fed by tp.index, not a store in the
 * rounds' task: tp.index is keyed by the venues' symbol (ETH-USDT) and tp.refprices by the pair (ETH-USD), so
 * the two never share a partition, and a repartition topic to bring them together would cost more than a copy of a
 * few records (one per symbol) on every instance. A global store restores by copying its topic as it is, so after a
 * restore it holds the last record per symbol by offset, which is the newest: BboTopology never publishes a
 * symbol's index back in time.
 */
public final class AccuracyTopology {
    private AccuracyTopology() {
    }

    /** Latest API price per pair and source: key {@code SYMBOL|SOURCE}, value {@link ReferencePrice}. */
    public static final String API_STORE = "accuracy-api-latest";
    /** Latest accuracy per pair (of the newest round): key {@code SYMBOL}, value {@link Accuracy}. */
    public static final String LATEST_STORE = "accuracy-latest";
    /** Raised alert conditions: key {@code SYMBOL|KIND}, present while raised. */
    public static final String ALERT_STORE = "accuracy-alert-state";
    /** Latest venues' index price per symbol, a global store fed by tp.index: key {@code SYMBOL}, value {@link IndexPrice}. */
    public static final String INDEX_STORE = "accuracy-index-latest";
    /** Names of the sources, processors and sinks in the topology. */
    public static final String SOURCE = "accuracy-refprices";
    public static final String INDEX_SOURCE = "accuracy-index";
    public static final String INDEX_PROCESSOR = "accuracy-index-latest";
    public static final String PROCESSOR = "accuracy";
    public static final String ACCURACY_SINK = "accuracy-out";
    public static final String ALERT_SINK = "alerts-out";

    public static final Duration DEFAULT_CADENCE = Duration.ofSeconds(10);
    public static final BigDecimal DEFAULT_THRESHOLD_PCT = new BigDecimal("1.0");
    /** Chainlink's heartbeat of the mainnet ETH/USD, BTC/USD and LINK/USD feeds. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofHours(1);
    /** How late past its heartbeat a round may land before the feed counts as stale (block and poll latency). */
    public static final Duration DEFAULT_STALE_GRACE = Duration.ofSeconds(60);
    /** API prices older than this before a round are left out of its average (CoinGecko updates every 1-2 min). */
    public static final Duration DEFAULT_MAX_API_AGE = Duration.ofMinutes(10);
    public static final Set<String> DEFAULT_API_SOURCES = Set.of("COINGECKO", "COINPAPRIKA");
    public static final Set<String> DEFAULT_ORACLE_SOURCES = Set.of("CHAINLINK");
    /** Which venues' index stands for each oracle pair: the USDT market, USDT taken at par (see the class doc). */
    public static final Map<String, String> DEFAULT_INDEX_SYMBOLS = Map.of("ETH-USD", "ETH-USDT", "BTC-USD", "BTC-USDT",
            "LINK-USD", "LINK-USDT");
    /**
     * An index price older than this before a round is not compared with it. The index is published only when it
     * changes, and a liquid pair's mid changes many times a second, so a minute without a change means the venues'
     * quotes stopped, not a quiet market.
     */
    public static final Duration DEFAULT_MAX_INDEX_AGE = Duration.ofSeconds(60);

    /**
     * What the topology does.
     *
     * @param cadence       wall-clock period of the re-emission and the staleness check
     * @param thresholdPct  a DEVIATION alert when {@code |pctDiff|} is strictly above this (percent, e.g. 1.0)
     * @param heartbeat     the oracle's heartbeat for pairs not in {@code heartbeats}
     * @param heartbeats    per-pair heartbeats (BTC-USD to 1h, ...), overriding {@code heartbeat}
     * @param staleGrace    added to the heartbeat before a feed counts as stale
     * @param maxApiAge     API prices older than this before a round's time are not in its average
     * @param apiSources    the sources averaged
     * @param oracleSources the sources evaluated
     * @param indexSymbols  pair to the venues' symbol whose index price it is compared with; pairs not in it get none
     * @param maxIndexAge   an index price older than this before a round is not used
     */
    public record Settings(Duration cadence, BigDecimal thresholdPct, Duration heartbeat,
                           Map<String, Duration> heartbeats, Duration staleGrace, Duration maxApiAge,
                           Set<String> apiSources, Set<String> oracleSources, Map<String, String> indexSymbols,
                           Duration maxIndexAge) {
        public Settings {
            Objects.requireNonNull(thresholdPct, "thresholdPct");
            heartbeats = Map.copyOf(heartbeats);
            indexSymbols = Map.copyOf(indexSymbols);
            positive("maximum index age", maxIndexAge);
            apiSources = Set.copyOf(apiSources);
            oracleSources = Set.copyOf(oracleSources);
            if (cadence.isNegative() || cadence.isZero() || cadence.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException("accuracy cadence " + cadence
                        + " must be a positive whole number of milliseconds");
            }
            if (thresholdPct.signum() < 0) {
                throw new IllegalArgumentException("accuracy threshold must not be negative: " + thresholdPct);
            }
            for (Duration d : heartbeats.values()) {
                positive("heartbeat", d);
            }
            positive("heartbeat", heartbeat);
            if (staleGrace.isNegative() || maxApiAge.isNegative()) {
                throw new IllegalArgumentException("stale grace and maximum API age must not be negative");
            }
            if (apiSources.isEmpty() || oracleSources.isEmpty()) {
                throw new IllegalArgumentException("at least one API source and one oracle source are needed");
            }
        }

        /** Defaults except for the four settings most often changed. */
        public static Settings of(Duration cadence, BigDecimal thresholdPct, Duration heartbeat) {
            return new Settings(cadence, thresholdPct, heartbeat, Map.of(), DEFAULT_STALE_GRACE, DEFAULT_MAX_API_AGE,
                    DEFAULT_API_SOURCES, DEFAULT_ORACLE_SOURCES, DEFAULT_INDEX_SYMBOLS, DEFAULT_MAX_INDEX_AGE);
        }

        public static Settings defaults() {
            return of(DEFAULT_CADENCE, DEFAULT_THRESHOLD_PCT, DEFAULT_HEARTBEAT);
        }

        public Settings withHeartbeats(Map<String, Duration> perPair) {
            return new Settings(cadence, thresholdPct, heartbeat, perPair, staleGrace, maxApiAge, apiSources,
                    oracleSources, indexSymbols, maxIndexAge);
        }

        public Settings withStaleGrace(Duration grace) {
            return new Settings(cadence, thresholdPct, heartbeat, heartbeats, grace, maxApiAge, apiSources,
                    oracleSources, indexSymbols, maxIndexAge);
        }

        public Settings withMaxApiAge(Duration age) {
            return new Settings(cadence, thresholdPct, heartbeat, heartbeats, staleGrace, age, apiSources,
                    oracleSources, indexSymbols, maxIndexAge);
        }

        /** Pairs mapped to the venues' symbols whose index price they are compared with, replacing the defaults. */
        public Settings withIndexSymbols(Map<String, String> pairToIndexSymbol) {
            return new Settings(cadence, thresholdPct, heartbeat, heartbeats, staleGrace, maxApiAge, apiSources,
                    oracleSources, pairToIndexSymbol, maxIndexAge);
        }

        public Settings withMaxIndexAge(Duration age) {
            return new Settings(cadence, thresholdPct, heartbeat, heartbeats, staleGrace, maxApiAge, apiSources,
                    oracleSources, indexSymbols, age);
        }

        /** Heartbeat plus grace of one pair: older than this, its oracle is stale. */
        public Duration staleAfter(String symbol) {
            return heartbeats.getOrDefault(symbol, heartbeat).plus(staleGrace);
        }

        private static void positive(String what, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
        }
    }

    /** Default stale grace, maximum API age and sources. */
    public static Topology buildTopology(Topics topics, Duration cadence, BigDecimal thresholdPct, Duration heartbeat) {
        return buildTopology(topics, Settings.of(cadence, thresholdPct, heartbeat));
    }

    public static Topology buildTopology(Topics topics, Settings settings) {
        Topology t = new Topology();
        t.addSource(SOURCE, Serdes.String().deserializer(), AvroSerdes.deserializer(ReferencePrice.class),
                topics.refPrices());
        t.addProcessor(PROCESSOR, () -> new AccuracyProcessor(settings), SOURCE);
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INDEX_STORE), Serdes.String(),
                        AvroSerdes.serde(IndexPrice.class)).withLoggingDisabled(),
                INDEX_SOURCE, Serdes.String().deserializer(), AvroSerdes.deserializer(IndexPrice.class),
                topics.index(), INDEX_PROCESSOR, LatestIndex::new);
        // Caching off: a few records a minute, and every change must reach the changelog before the outputs do.
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(API_STORE), Serdes.String(),
                AvroSerdes.serde(ReferencePrice.class)).withCachingDisabled(), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LATEST_STORE), Serdes.String(),
                AvroSerdes.serde(Accuracy.class)).withCachingDisabled(), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_STORE), Serdes.String(),
                Serdes.String()).withCachingDisabled(), PROCESSOR);
        t.addSink(ACCURACY_SINK, topics.accuracy(), Serdes.String().serializer(),
                AvroSerdes.<SpecificRecord>serializer(), PROCESSOR);
        t.addSink(ALERT_SINK, topics.alerts(), Serdes.String().serializer(), AvroSerdes.<SpecificRecord>serializer(),
                PROCESSOR);
        return t;
    }

    /** Feeds {@link #INDEX_STORE}: the newest index price per symbol by event time. */
    private static final class LatestIndex implements Processor<String, IndexPrice, Void, Void> {
        private KeyValueStore<String, IndexPrice> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(INDEX_STORE);
        }

        @Override
        public void process(Record<String, IndexPrice> record) {
            IndexPrice p = record.value();
            if (p == null || p.getSymbol() == null || p.getEventTime() == null) {
                return;
            }
            IndexPrice known = store.get(p.getSymbol());
            if (known == null || !p.getEventTime().isBefore(known.getEventTime())) {
                store.put(p.getSymbol(), p);
            }
        }
    }

    /** Key of {@link #API_STORE}. */
    static String apiKey(String symbol, String source) {
        return symbol + "|" + source;
    }

    /** Key of {@link #ALERT_STORE}. */
    static String alertKey(String symbol, AlertKind kind) {
        return symbol + "|" + kind;
    }
}
