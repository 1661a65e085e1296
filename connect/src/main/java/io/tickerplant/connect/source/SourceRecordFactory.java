package io.tickerplant.connect.source;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Keys;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns adapter events into Connect records. Values are already Avro bytes (from {@link AvroSerdes}, the one
 * place of the wire format), so the connector runs with the ByteArrayConverter and Connect never re-encodes them.
 *
 * <p>Source partitions and offsets: one partition per (venue, symbol, channel); the offset of a trade is its trade
 * id, which is what the adapter resumes after on restart. Quotes and book records carry no source offset: nothing
 * is resumed from them, a book always starts again from a fresh snapshot after a restart.
 */
final class SourceRecordFactory {

    static final String PARTITION_VENUE = "venue";
    static final String PARTITION_SYMBOL = "symbol";
    static final String PARTITION_CHANNEL = "channel";
    static final String OFFSET_TRADE_ID = "trade_id";
    static final String CHANNEL_TRADES = "trades";

    private final Topics topics;

    SourceRecordFactory(Topics topics) {
        this.topics = topics;
    }

    static Map<String, String> tradesPartition(String venue, String symbol) {
        return Map.of(PARTITION_VENUE, venue, PARTITION_SYMBOL, symbol, PARTITION_CHANNEL, CHANNEL_TRADES);
    }

    SourceRecord trade(Trade t) {
        // The record timestamp is the venue's event time, so Streams windows are event-time windows.
        long timestampMs = t.getEventTime().toEpochMilli();
        return new SourceRecord(tradesPartition(t.getVenue(), t.getSymbol()), Map.of(OFFSET_TRADE_ID, t.getTradeId()),
                topics.trades(), null, Schema.STRING_SCHEMA, Keys.venueSymbol(t.getVenue(), t.getSymbol()),
                Schema.BYTES_SCHEMA, AvroSerdes.encode(t), timestampMs);
    }

    SourceRecord quote(Quote q) {
        return new SourceRecord(null, null, topics.quotes(), null, Schema.STRING_SCHEMA,
                Keys.venueSymbol(q.getVenue(), q.getSymbol()), Schema.BYTES_SCHEMA, AvroSerdes.encode(q),
                q.getEventTime().toEpochMilli());
    }

    SourceRecord book(BookUpdate b) {
        // Same key as the symbol's other records: one partition holds a book's snapshot and its deltas in order.
        return new SourceRecord(null, null, topics.book(), null, Schema.STRING_SCHEMA,
                Keys.venueSymbol(b.getVenue(), b.getSymbol()), Schema.BYTES_SCHEMA, AvroSerdes.encode(b),
                b.getEventTime().toEpochMilli());
    }

    SourceRecord liquidation(Liquidation l) {
        return new SourceRecord(null, null, topics.liquidations(), null, Schema.STRING_SCHEMA,
                Keys.venueSymbol(l.getVenue(), l.getSymbol()), Schema.BYTES_SCHEMA, AvroSerdes.encode(l),
                l.getEventTime().toEpochMilli());
    }

    SourceRecord funding(Funding f) {
        return new SourceRecord(null, null, topics.funding(), null, Schema.STRING_SCHEMA,
                Keys.venueSymbol(f.getVenue(), f.getSymbol()), Schema.BYTES_SCHEMA, AvroSerdes.encode(f),
                f.getEventTime().toEpochMilli());
    }

    SourceRecord feedStatus(FeedStatus s) {
        String key = s.getSymbol() == null ? s.getVenue() : Keys.venueSymbol(s.getVenue(), s.getSymbol());
        return new SourceRecord(null, null, topics.feedStatus(), null, Schema.STRING_SCHEMA, key,
                Schema.BYTES_SCHEMA, AvroSerdes.encode(s), s.getEventTime().toEpochMilli());
    }

    SourceRecord deadLetter(RejectedFrame f) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(DeadLetters.REASON, f.reason());
        headers.addString(DeadLetters.STAGE, "source:" + f.venue());
        headers.addString(DeadLetters.VENUE, f.venue());
        headers.addString(DeadLetters.ERROR_CLASS, f.errorClass());
        headers.addString(DeadLetters.RECEIVE_TIME, Long.toString(f.receiveTimeMicros()));
        return new SourceRecord(null, null, topics.deadLetters(), null, Schema.STRING_SCHEMA, f.venue(),
                Schema.BYTES_SCHEMA, f.raw().getBytes(StandardCharsets.UTF_8), f.receiveTimeMicros() / 1000, headers);
    }
}
