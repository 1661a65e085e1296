package io.tickerplant.streams;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.AlertKind;
import io.tickerplant.model.avro.ReferencePrice;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
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
    /** Names of the source, processor and sinks in the topology. */
    public static final String SOURCE = "accuracy-refprices";
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
     */
    public record Settings(Duration cadence, BigDecimal thresholdPct, Duration heartbeat,
                           Map<String, Duration> heartbeats, Duration staleGrace, Duration maxApiAge,
                           Set<String> apiSources, Set<String> oracleSources) {
        public Settings {
            Objects.requireNonNull(thresholdPct, "thresholdPct");
            heartbeats = Map.copyOf(heartbeats);
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
                    DEFAULT_API_SOURCES, DEFAULT_ORACLE_SOURCES);
        }

        public static Settings defaults() {
            return of(DEFAULT_CADENCE, DEFAULT_THRESHOLD_PCT, DEFAULT_HEARTBEAT);
        }

        public Settings withHeartbeats(Map<String, Duration> perPair) {
            return new Settings(cadence, thresholdPct, heartbeat, perPair, staleGrace, maxApiAge, apiSources,
                    oracleSources);
        }

        public Settings withStaleGrace(Duration grace) {
            return new Settings(cadence, thresholdPct, heartbeat, heartbeats, grace, maxApiAge, apiSources,
                    oracleSources);
        }

        public Settings withMaxApiAge(Duration age) {
            return new Settings(cadence, thresholdPct, heartbeat, heartbeats, staleGrace, age, apiSources,
                    oracleSources);
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

    /** Key of {@link #API_STORE}. */
    static String apiKey(String symbol, String source) {
        return symbol + "|" + source;
    }

    /** Key of {@link #ALERT_STORE}. */
    static String alertKey(String symbol, AlertKind kind) {
        return symbol + "|" + kind;
    }
}
