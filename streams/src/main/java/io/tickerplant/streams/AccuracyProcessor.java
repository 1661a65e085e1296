package io.tickerplant.streams;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.AlertKind;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.ReferencePrice;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The processor of {@link AccuracyTopology}: see there for what it computes and publishes. */
final class AccuracyProcessor implements Processor<String, ReferencePrice, String, SpecificRecord> {

    private final AccuracyTopology.Settings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ReferencePrice> apiPrices;
    private KeyValueStore<String, Accuracy> latest;
    private KeyValueStore<String, String> raised;
    private KeyValueStore<String, IndexPrice> indexes;

    AccuracyProcessor(AccuracyTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        apiPrices = context.getStateStore(AccuracyTopology.API_STORE);
        latest = context.getStateStore(AccuracyTopology.LATEST_STORE);
        raised = context.getStateStore(AccuracyTopology.ALERT_STORE);
        indexes = context.getStateStore(AccuracyTopology.INDEX_STORE);
        context.schedule(settings.cadence(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, ReferencePrice> record) {
        ReferencePrice p = record.value();
        if (p == null || p.getSymbol() == null || p.getPrice() == null || p.getEventTime() == null) {
            return;
        }
        if (settings.apiSources().contains(p.getSource())) {
            String key = AccuracyTopology.apiKey(p.getSymbol(), p.getSource());
            ReferencePrice known = apiPrices.get(key);
            // A repeated poll may bring an older quote back (another API server, a cache): keep the newest.
            if (known == null || !p.getEventTime().isBefore(known.getEventTime())) {
                apiPrices.put(key, p);
            }
        } else if (settings.oracleSources().contains(p.getSource()) && p.getRoundId() != null) {
            round(p, record.timestamp());
        }
    }

    private void round(ReferencePrice round, long timestamp) {
        String symbol = round.getSymbol();
        Accuracy a = accuracy(round, freshApiPrices(round));
        context.forward(new Record<>(symbol, a, timestamp), AccuracyTopology.ACCURACY_SINK);
        Accuracy before = latest.get(symbol);
        if (before != null && round.getEventTime().isBefore(before.getOracleUpdatedAt())) {
            return;
        }
        latest.put(symbol, a);
        if (a.getPctDiff() != null) {
            BigDecimal pct = Decimals.toBigDecimal(a.getPctDiff());
            boolean deviating = AccuracyMath.exceeds(pct, settings.thresholdPct());
            change(symbol, AlertKind.DEVIATION, deviating, a.getEventTime(), a.getPctDiff(),
                    Decimals.of(settings.thresholdPct()), deviationDetail(a, deviating), timestamp);
        }
        stale(a, timestamp);
    }

    /** The latest price of each API source for the round's pair, unless older than the maximum age before it. */
    private Map<String, ReferencePrice> freshApiPrices(ReferencePrice round) {
        Map<String, ReferencePrice> out = new TreeMap<>();
        Instant oldest = round.getEventTime().minus(settings.maxApiAge());
        String prefix = AccuracyTopology.apiKey(round.getSymbol(), "");
        try (KeyValueIterator<String, ReferencePrice> it = apiPrices.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                ReferencePrice q = it.next().value;
                if (!q.getEventTime().isBefore(oldest)) {
                    out.put(q.getSource(), q);
                }
            }
        }
        return out;
    }

    private Accuracy accuracy(ReferencePrice round, Map<String, ReferencePrice> api) {
        Accuracy.Builder b = Accuracy.newBuilder()
                .setSymbol(round.getSymbol())
                .setEventTime(round.getEventTime())
                .setOracleSource(round.getSource())
                .setRoundId(round.getRoundId())
                .setOraclePrice(round.getPrice())
                .setOracleUpdatedAt(round.getEventTime())
                .setApiSources(new ArrayList<>(api.keySet()))
                .setIndexPrice(null)
                .setIndexSymbol(settings.indexSymbols().get(round.getSymbol()))
                .setIndexTime(null)
                .setPctDiffIndex(null)
                .setOracleAgeSeconds(0)
                .setStale(false);
        if (api.isEmpty()) {
            b.setApiAverage(null).setPctDiff(null);
        } else {
            List<BigDecimal> prices = api.values().stream().map(q -> Decimals.toBigDecimal(q.getPrice())).toList();
            BigDecimal average = AccuracyMath.average(prices);
            BigDecimal pct = AccuracyMath.pctDiff(Decimals.toBigDecimal(round.getPrice()), average);
            b.setApiAverage(AccuracyMath.toDecimal(average)).setPctDiff(AccuracyMath.toDecimal(pct));
        }
        IndexPrice index = freshIndex(round);
        if (index != null) {
            BigDecimal price = Decimals.toBigDecimal(index.getPrice());
            b.setIndexPrice(index.getPrice()).setIndexTime(index.getEventTime())
                    .setPctDiffIndex(AccuracyMath.toDecimal(
                            AccuracyMath.pctDiff(Decimals.toBigDecimal(round.getPrice()), price)));
        }
        return withAge(b.build(), round.getEventTime());
    }

    /** The latest index price of the symbol the round's pair maps to, if it has a price and is recent enough. */
    private IndexPrice freshIndex(ReferencePrice round) {
        String symbol = settings.indexSymbols().get(round.getSymbol());
        IndexPrice index = symbol == null ? null : indexes.get(symbol);
        if (index == null || index.getPrice() == null || Decimals.toBigDecimal(index.getPrice()).signum() <= 0) {
            return null;
        }
        boolean stale = index.getEventTime().isBefore(round.getEventTime().minus(settings.maxIndexAge()));
        return stale ? null : index;
    }

    /** The accuracy as of {@code now}: its age and stale flag recomputed. */
    private Accuracy withAge(Accuracy a, Instant now) {
        Duration age = Duration.between(a.getOracleUpdatedAt(), now);
        return Accuracy.newBuilder(a)
                .setEventTime(now)
                .setOracleAgeSeconds(Math.floorDiv(age.toMillis(), 1000L))
                .setStale(age.compareTo(settings.staleAfter(a.getSymbol())) > 0)
                .build();
    }

    private void tick(long wallClockMillis) {
        Instant now = Micros.toInstant(Micros.ofMillis(wallClockMillis));
        List<KeyValue<String, Accuracy>> all = new ArrayList<>();
        try (KeyValueIterator<String, Accuracy> it = latest.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, Accuracy> kv : all) {
            Accuracy a = withAge(kv.value, now);
            context.forward(new Record<>(kv.key, a, wallClockMillis), AccuracyTopology.ACCURACY_SINK);
            stale(a, wallClockMillis);
        }
    }

    private void stale(Accuracy a, long timestamp) {
        Duration limit = settings.staleAfter(a.getSymbol());
        // The age to the millisecond: whole seconds would say "4 s old, more than 4 s" for a 4.3 s old round.
        BigDecimal age = BigDecimal.valueOf(
                Duration.between(a.getOracleUpdatedAt(), a.getEventTime()).toMillis(), 3).stripTrailingZeros();
        BigDecimal max = BigDecimal.valueOf(limit.toMillis(), 3).stripTrailingZeros();
        String detail = a.getStale()
                ? String.format("%s %s feed is stale: round %s updated at %s is %s s old, more than heartbeat + grace"
                        + " %s s", a.getSymbol(), a.getOracleSource(), a.getRoundId(), a.getOracleUpdatedAt(),
                        age.toPlainString(), max.toPlainString())
                : String.format("%s %s feed is fresh again: round %s updated at %s is %s s old (limit %s s)",
                        a.getSymbol(), a.getOracleSource(), a.getRoundId(), a.getOracleUpdatedAt(),
                        age.toPlainString(), max.toPlainString());
        change(a.getSymbol(), AlertKind.STALE, a.getStale(), a.getEventTime(), Decimals.of(age), Decimals.of(max),
                detail, timestamp);
    }

    private String deviationDetail(Accuracy a, boolean deviating) {
        String pct = signed(Decimals.toBigDecimal(a.getPctDiff()));
        return String.format("%s %s round %s at %s: %s %s%% from the API average %s of %s (threshold %s%%)",
                a.getSymbol(), a.getOracleSource(), a.getRoundId(), a.getOracleUpdatedAt(),
                deviating ? "deviates" : "back within the threshold,", pct,
                Decimals.toPlainString(a.getApiAverage()), String.join(", ", a.getApiSources()),
                settings.thresholdPct().toPlainString());
    }

    private static String signed(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "") + v.toPlainString();
    }

    /** Publishes an alert when the condition's state differs from the one recorded, and records the new one. */
    private void change(String symbol, AlertKind kind, boolean active, Instant eventTime,
            io.tickerplant.model.avro.Decimal value, io.tickerplant.model.avro.Decimal threshold, String detail,
            long timestamp) {
        String key = AccuracyTopology.alertKey(symbol, kind);
        boolean wasActive = raised.get(key) != null;
        if (wasActive == active) {
            return;
        }
        if (active) {
            raised.put(key, eventTime.toString());
        } else {
            raised.delete(key);
        }
        Alert alert = Alert.newBuilder().setSymbol(symbol).setEventTime(eventTime).setKind(kind).setActive(active)
                .setDetail(detail).setValue(value).setThreshold(threshold).build();
        context.forward(new Record<>(symbol, alert, timestamp), AccuracyTopology.ALERT_SINK);
    }
}
