package io.tickerplant.streams;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.Quote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The consolidated best bid and offer ({@link Bbo}) and the index price ({@link IndexPrice}) of each symbol across
 * the venues that are healthy, from the latest quote of each venue.
 *
 * <p>Input: {@link Topics#quotes()} (key {@code VENUE:SYMBOL}, {@link Quote}) and {@link Topics#feedStatus()}
 * (key {@code VENUE:SYMBOL}, or {@code VENUE} for a status of a whole connection; {@link FeedStatus}), on event
 * time ({@link QuoteTimestampExtractor}). Output, keyed by {@code SYMBOL}, published each time the value changes
 * (a quote that changes neither publishes nothing): {@link Topics#bbo()} and {@link Topics#index()}.
 *
 * <p>Why one topology for both: they are two views of the same per-symbol state (which venue is healthy, with
 * which quote). Kept together they share one copy of it, one repartition and one changelog per store, and a BBO
 * and an index price published at the same moment always agree on which venues counted.
 *
 * <p>A venue's quote for a symbol is left out while
 * <ul>
 * <li>the venue's connection (a status without symbol) or the symbol's feed (a status with one) last reported
 * {@link FeedState#DISCONNECTED}, {@link FeedState#GAP} or {@link FeedState#STALE}, until the same level reports
 * {@link FeedState#CONNECTED} or {@link FeedState#RESYNC}. Statuses of the {@value #TRADES_CHANNEL} channel are
 * ignored: a trade-id gap says nothing about quotes, and is reported once without a recovery status;</li>
 * <li>or it is older than {@code maxQuoteAge} in stream time (the newest event time this task has seen), not wall
 * clock, so that results are reproducible from the input alone. Besides each input, a stream-time punctuation every
 * {@link #TICK} re-checks every symbol, so a venue that falls silent is dropped even if nothing else quotes its
 * symbol. If every feed stops, stream time stops too and the last BBO stands: the feed statuses say why.</li>
 * </ul>
 * The latest quote per venue wins by arrival (Kafka keeps each {@code VENUE:SYMBOL} in the venue's order).
 *
 * <p>Quotes and symbol statuses are re-keyed by symbol into one repartition topic ({@link #BY_SYMBOL}); a
 * connection status is copied to every partition of it, since the venue's symbols are spread over all of them.
 *
 * <p>State stores (key-value, persistent, changelogged), all named here so that they survive topology changes:
 * {@link #QUOTES_STORE}, {@link #FEED_STATUS_STORE}, {@link #CONNECTION_STATUS_STORE}, and the latest outputs for
 * interactive queries, {@link #LATEST_BBO_STORE} and {@link #LATEST_INDEX_STORE}.
 */
public final class BboTopology {
    private BboTopology() {
    }

    /** How old a quote may be, in event time, before its venue is left out. */
    public static final Duration DEFAULT_MAX_QUOTE_AGE = Duration.ofSeconds(10);
    /** How often, in stream time, every symbol is checked for quotes that became too old. */
    public static final Duration TICK = Duration.ofSeconds(1);
    /** Feed statuses of this channel do not affect quotes. */
    public static final String TRADES_CHANNEL = "trades";

    /** Latest quote per venue and symbol; key {@code SYMBOL/VENUE} (see {@link #storeKey}), value {@link Quote}. */
    public static final String QUOTES_STORE = "bbo-quotes";
    /** Latest feed status per venue and symbol; key {@code SYMBOL/VENUE}, value {@link FeedStatus}. */
    public static final String FEED_STATUS_STORE = "bbo-feed-status";
    /** Latest connection status per venue; key {@code VENUE}, value {@link FeedStatus}. */
    public static final String CONNECTION_STATUS_STORE = "bbo-connection-status";
    /** The BBO last published per symbol; key {@code SYMBOL}, value {@link Bbo}. */
    public static final String LATEST_BBO_STORE = "bbo-latest";
    /** The index price last published per symbol; key {@code SYMBOL}, value {@link IndexPrice}. */
    public static final String LATEST_INDEX_STORE = "index-latest";
    /** Name of the repartition topic ({@code <application.id>-bbo-inputs-by-symbol-repartition}). */
    public static final String BY_SYMBOL = "bbo-inputs-by-symbol";

    /** The key of {@link #QUOTES_STORE} and {@link #FEED_STATUS_STORE}: a symbol's entries are one prefix range. */
    public static String storeKey(String symbol, String venue) {
        return symbol + "/" + venue;
    }

    /** The topology with {@link #DEFAULT_MAX_QUOTE_AGE}. */
    public static Topology buildTopology(Topics topics) {
        return buildTopology(topics, DEFAULT_MAX_QUOTE_AGE);
    }

    /** @param maxQuoteAge how old (in event time) a venue's latest quote may be and still count */
    public static Topology buildTopology(Topics topics, Duration maxQuoteAge) {
        if (maxQuoteAge.isNegative() || maxQuoteAge.isZero()) {
            throw new IllegalArgumentException("maxQuoteAge must be positive: " + maxQuoteAge);
        }
        Serde<String> keys = Serdes.String();
        Serde<Quote> quotes = AvroSerdes.serde(Quote.class);
        Serde<FeedStatus> statuses = AvroSerdes.serde(FeedStatus.class);
        Serde<Bbo> bbos = AvroSerdes.serde(Bbo.class);
        Serde<IndexPrice> indexes = AvroSerdes.serde(IndexPrice.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUOTES_STORE), keys, quotes));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(FEED_STATUS_STORE), keys, statuses));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CONNECTION_STATUS_STORE), keys, statuses));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LATEST_BBO_STORE), keys, bbos));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LATEST_INDEX_STORE), keys, indexes));

        KStream<String, BboInput> quoteInputs = builder
                .stream(topics.quotes(), Consumed.with(keys, quotes)
                        .withTimestampExtractor(new QuoteTimestampExtractor()).withName("quotes"))
                .filter((k, q) -> q != null, Named.as("quotes-present"))
                .map((k, q) -> KeyValue.pair(q.getSymbol(), BboInput.of(q)), Named.as("quotes-by-symbol"));
        KStream<String, BboInput> statusInputs = builder
                .stream(topics.feedStatus(), Consumed.with(keys, statuses)
                        .withTimestampExtractor(new QuoteTimestampExtractor()).withName("feed-status"))
                .filter((k, s) -> s != null && !TRADES_CHANNEL.equals(s.getChannel()), Named.as("status-for-quotes"))
                .map((k, s) -> KeyValue.pair(s.getSymbol() == null ? s.getVenue() : s.getSymbol(), BboInput.of(s)),
                        Named.as("status-by-symbol"));

        KStream<String, SpecificRecord> out = quoteInputs
                .merge(statusInputs, Named.as("bbo-inputs"))
                .repartition(Repartitioned.<String, BboInput>as(BY_SYMBOL).withKeySerde(keys)
                        .withValueSerde(BboInput.SERDE).withStreamPartitioner(new BySymbolPartitioner()))
                .process(() -> new ConsolidationProcessor(maxQuoteAge), Named.as("consolidate"),
                        QUOTES_STORE, FEED_STATUS_STORE, CONNECTION_STATUS_STORE, LATEST_BBO_STORE, LATEST_INDEX_STORE);
        out.filter((k, v) -> v instanceof Bbo, Named.as("bbo-only"))
                .mapValues(v -> (Bbo) v, Named.as("as-bbo"))
                .to(topics.bbo(), Produced.with(keys, bbos).withName("bbo-out"));
        out.filter((k, v) -> v instanceof IndexPrice, Named.as("index-only"))
                .mapValues(v -> (IndexPrice) v, Named.as("as-index"))
                .to(topics.index(), Produced.with(keys, indexes).withName("index-out"));
        return builder.build();
    }

    /** By symbol, as the default partitioner would; a connection status to every partition. */
    static final class BySymbolPartitioner implements StreamPartitioner<String, BboInput> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, BboInput value, int numPartitions) {
            if (value != null && value.connectionLevel()) {
                return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
            }
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % numPartitions));
        }
    }
}
