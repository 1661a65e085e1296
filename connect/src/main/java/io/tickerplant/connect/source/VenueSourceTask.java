package io.tickerplant.connect.source;

import io.tickerplant.connect.Versions;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueEventListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one venue adapter for a share of the symbols. The adapter's I/O thread fills an {@link EventQueue};
 * {@link #poll()} drains it into records. Trades resume after the last committed trade id per symbol.
 */
public class VenueSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(VenueSourceTask.class);
    private static final long POLL_WAIT_MS = 200;

    private VenueSourceConfig config;
    private EventQueue queue;
    private VenueAdapter adapter;
    private SourceRecordFactory records;

    @Override
    public String version() {
        return Versions.current();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new VenueSourceConfig(props);
        records = new SourceRecordFactory(config.topics());
        queue = new EventQueue(config.queueCapacity());
        List<Instrument> instruments = config.instruments();
        Map<String, String> resume = resumePoints(config.venue().name(), instruments);
        // A null endpoint means the venue's production endpoint.
        AdapterSettings settings = new AdapterSettings(instruments, config.websocketUri(), config.restUri(),
                config.reconnectBackoffMin(), config.reconnectBackoffMax(), config.silenceTimeout(),
                config.maxConnectionAge(), resume, config.channels(), config.bookSnapshotInterval());
        adapter = VenueAdapters.create(config.venue(), settings, new QueueingListener(queue));
        log.info("{} source task starting for {} on {} (resuming after {})", config.venue(), instruments,
                config.channels(), resume.isEmpty() ? "nothing" : resume);
        adapter.start();
    }

    private Map<String, String> resumePoints(String venue, List<Instrument> instruments) {
        List<Map<String, String>> partitions = new ArrayList<>();
        for (Instrument i : instruments) {
            partitions.add(SourceRecordFactory.tradesPartition(venue, i.symbol()));
        }
        Map<String, String> resume = new HashMap<>();
        Map<Map<String, String>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        for (Map.Entry<Map<String, String>, Map<String, Object>> e : offsets.entrySet()) {
            if (e.getValue() != null && e.getValue().get(SourceRecordFactory.OFFSET_TRADE_ID) != null) {
                resume.put(e.getKey().get(SourceRecordFactory.PARTITION_SYMBOL),
                        e.getValue().get(SourceRecordFactory.OFFSET_TRADE_ID).toString());
            }
        }
        return resume;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<Object> events = queue.drain(config.pollMaxRecords(), POLL_WAIT_MS);
        if (events.isEmpty()) {
            return null;
        }
        List<SourceRecord> out = new ArrayList<>(events.size());
        for (Object e : events) {
            if (e instanceof Trade t) {
                out.add(records.trade(t));
            } else if (e instanceof Quote q) {
                out.add(records.quote(q));
            } else if (e instanceof BookUpdate b) {
                out.add(records.book(b));
            } else if (e instanceof Liquidation l) {
                out.add(records.liquidation(l));
            } else if (e instanceof Funding f) {
                out.add(records.funding(f));
            } else if (e instanceof FeedStatus s) {
                out.add(records.feedStatus(s));
            } else if (e instanceof RejectedFrame f) {
                out.add(records.deadLetter(f));
            }
        }
        return out;
    }

    @Override
    public void stop() {
        // Connect calls stop() from another thread while poll() may be waiting: close the queue first so a
        // blocked adapter thread is released, then the adapter.
        if (queue != null) {
            queue.close();
        }
        if (adapter != null) {
            adapter.close();
        }
    }

    /** Puts adapter events on the queue; blocking there is the back-pressure. */
    private static final class QueueingListener implements VenueEventListener {
        private final EventQueue queue;

        QueueingListener(EventQueue queue) {
            this.queue = queue;
        }

        @Override
        public void onTrade(Trade trade) {
            queue.put(trade);
        }

        @Override
        public void onQuote(Quote quote) {
            queue.put(quote);
        }

        @Override
        public void onBook(BookUpdate update) {
            queue.put(update);
        }

        @Override
        public void onLiquidation(Liquidation liquidation) {
            queue.put(liquidation);
        }

        @Override
        public void onFunding(Funding funding) {
            queue.put(funding);
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            log.info("{} {} {}: {}", status.getVenue(), status.getSymbol() == null ? "" : status.getSymbol(),
                    status.getStatus(), status.getDetail());
            queue.put(status);
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            log.warn("{} frame rejected to the dead-letter topic: {}", frame.venue(), frame.reason());
            queue.put(frame);
        }
    }
}
