package io.tickerplant.streams;

import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.Quote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest quote and feed status per venue of each symbol of its partition, and publishes the symbol's BBO
 * and index price whenever an input or the passing of stream time changes them. See {@link BboTopology}.
 */
final class ConsolidationProcessor implements Processor<String, BboInput, String, SpecificRecord> {
    private final long maxQuoteAgeMs;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Quote> quotes;
    private KeyValueStore<String, FeedStatus> symbolStatus;
    private KeyValueStore<String, FeedStatus> connectionStatus;
    private KeyValueStore<String, Bbo> latestBbo;
    private KeyValueStore<String, IndexPrice> latestIndex;

    ConsolidationProcessor(Duration maxQuoteAge) {
        this.maxQuoteAgeMs = maxQuoteAge.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        quotes = context.getStateStore(BboTopology.QUOTES_STORE);
        symbolStatus = context.getStateStore(BboTopology.FEED_STATUS_STORE);
        connectionStatus = context.getStateStore(BboTopology.CONNECTION_STATUS_STORE);
        latestBbo = context.getStateStore(BboTopology.LATEST_BBO_STORE);
        latestIndex = context.getStateStore(BboTopology.LATEST_INDEX_STORE);
        context.schedule(BboTopology.TICK, PunctuationType.STREAM_TIME, this::tick);
    }

    @Override
    public void process(Record<String, BboInput> r) {
        BboInput in = r.value();
        if (in == null) {
            return;
        }
        long now = Math.max(context.currentStreamTimeMs(), r.timestamp());
        if (in.quote() != null) {
            Quote q = in.quote();
            quotes.put(BboTopology.storeKey(q.getSymbol(), q.getVenue()), q);
            publish(q.getSymbol(), now, Micros.of(q.getEventTime()));
        } else if (!in.connectionLevel()) {
            FeedStatus s = in.status();
            symbolStatus.put(BboTopology.storeKey(s.getSymbol(), s.getVenue()), s);
            publish(s.getSymbol(), now, Micros.of(s.getEventTime()));
        } else {
            FeedStatus s = in.status();
            connectionStatus.put(s.getVenue(), s);
            for (String symbol : symbolsQuotedBy(s.getVenue())) {
                publish(symbol, now, Micros.of(s.getEventTime()));
            }
        }
    }

    private void tick(long streamTime) {
        for (String symbol : symbolsQuotedBy(null)) {
            publish(symbol, streamTime, Micros.ofMillis(streamTime));
        }
    }

    /** The symbols with a quote from {@code venue} in this task, or from any venue when it is null. */
    private Set<String> symbolsQuotedBy(String venue) {
        Set<String> symbols = new LinkedHashSet<>();
        try (KeyValueIterator<String, Quote> it = quotes.all()) {
            while (it.hasNext()) {
                Quote q = it.next().value;
                if (venue == null || venue.equals(q.getVenue())) {
                    symbols.add(q.getSymbol());
                }
            }
        }
        return symbols;
    }

    /**
     * Recomputes the symbol's BBO and index and forwards each one that changed.
     *
     * @param inputMicros event time of the input, finer than {@code now} (milliseconds, as Streams keeps time)
     */
    private void publish(String symbol, long now, long inputMicros) {
        List<Quote> included = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        try (KeyValueIterator<String, Quote> it = quotes.prefixScan(symbol + "/", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Quote> e = it.next();
                String why = exclusion(e.key, e.value, now);
                if (why == null) {
                    included.add(e.value);
                } else {
                    excluded.add(e.value.getVenue() + ": " + why);
                }
            }
        }
        // An input late in event time is published at stream time, and no update goes back in time: the
        // (symbol, event_time) rows downstream stay in the order they were published.
        long micros = Math.max(inputMicros, Micros.ofMillis(now));
        Bbo lastBbo = latestBbo.get(symbol);
        Instant bboTime = Micros.toInstant(lastBbo == null ? micros : Math.max(micros, Micros.of(lastBbo.getEventTime())));
        Bbo bbo = BboMath.bbo(symbol, bboTime, included, excluded);
        if (lastBbo == null || !Bbo.newBuilder(bbo).setEventTime(lastBbo.getEventTime()).build().equals(lastBbo)) {
            latestBbo.put(symbol, bbo);
            context.forward(new Record<>(symbol, bbo, now));
        }
        IndexPrice lastIndex = latestIndex.get(symbol);
        Instant indexTime = Micros.toInstant(lastIndex == null ? micros
                : Math.max(micros, Micros.of(lastIndex.getEventTime())));
        IndexPrice index = BboMath.index(symbol, indexTime, included, excluded);
        if (lastIndex == null
                || !IndexPrice.newBuilder(index).setEventTime(lastIndex.getEventTime()).build().equals(lastIndex)) {
            latestIndex.put(symbol, index);
            context.forward(new Record<>(symbol, index, now));
        }
    }

    /** Why this quote does not count at stream time {@code now}, or null if it does. */
    private String exclusion(String storeKey, Quote q, long now) {
        FeedStatus connection = connectionStatus.get(q.getVenue());
        if (connection != null && unhealthy(connection.getStatus())) {
            return connection.getStatus() + " (connection)";
        }
        FeedStatus feed = symbolStatus.get(storeKey);
        if (feed != null && unhealthy(feed.getStatus())) {
            return feed.getStatus() + (feed.getChannel() == null ? "" : " (" + feed.getChannel() + ")");
        }
        // The threshold, not the actual age: the reason must not change with every tick, or the BBO would too.
        if (now - q.getEventTime().toEpochMilli() > maxQuoteAgeMs) {
            return "no quote for more than " + maxQuoteAgeMs + " ms";
        }
        return null;
    }

    private static boolean unhealthy(FeedState s) {
        return s == FeedState.DISCONNECTED || s == FeedState.GAP || s == FeedState.STALE;
    }
}
