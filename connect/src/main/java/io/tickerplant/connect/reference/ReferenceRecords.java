package io.tickerplant.connect.reference;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Keys;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.venues.reference.ReferenceRejection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Connect records for reference prices, feed statuses and dead letters. Values are Avro bytes from
 * {@link AvroSerdes} (the connector runs with the ByteArrayConverter, like the venue connector).
 *
 * <p>Source partition {@code {source, pair}}; offset {@code {last}}: the last published round id (Chainlink) or
 * source time in epoch microseconds (the APIs), what the task compares against to publish only new prices.
 */
final class ReferenceRecords {

    static final String PARTITION_SOURCE = "source";
    static final String PARTITION_PAIR = "pair";
    static final String OFFSET_LAST = "last";
    static final String CHANNEL = "refprices";

    private final Topics topics;

    ReferenceRecords(Topics topics) {
        this.topics = topics;
    }

    static Map<String, String> partition(String source, String pair) {
        return Map.of(PARTITION_SOURCE, source, PARTITION_PAIR, pair);
    }

    SourceRecord price(ReferencePrice p, String last) {
        return new SourceRecord(partition(p.getSource(), p.getSymbol()), Map.of(OFFSET_LAST, last),
                topics.refPrices(), null, Schema.STRING_SCHEMA, p.getSymbol(), Schema.BYTES_SCHEMA,
                AvroSerdes.encode(p), p.getEventTime().toEpochMilli());
    }

    static FeedStatus status(String source, String pair, String sourceId, FeedState state, String detail,
                             Instant now) {
        Instant t = Micros.toInstant(Micros.of(now));
        return FeedStatus.newBuilder().setVenue(source).setSymbol(pair).setVenueSymbol(sourceId)
                .setEventTime(t).setReceiveTime(t).setStatus(state).setDetail(detail).setChannel(CHANNEL).build();
    }

    SourceRecord feedStatus(FeedStatus s) {
        return new SourceRecord(null, null, topics.feedStatus(), null, Schema.STRING_SCHEMA,
                Keys.venueSymbol(s.getVenue(), s.getSymbol()), Schema.BYTES_SCHEMA, AvroSerdes.encode(s),
                s.getEventTime().toEpochMilli());
    }

    SourceRecord deadLetter(String source, String pair, ReferenceRejection r, Instant received) {
        long micros = Micros.of(received);
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(DeadLetters.REASON, pair + " " + r.getMessage());
        headers.addString(DeadLetters.STAGE, "source:" + source);
        headers.addString(DeadLetters.VENUE, source);
        headers.addString(DeadLetters.ERROR_CLASS, ReferenceRejection.class.getSimpleName() + "." + r.kind());
        headers.addString(DeadLetters.RECEIVE_TIME, Long.toString(micros));
        return new SourceRecord(null, null, topics.deadLetters(), null, Schema.STRING_SCHEMA, source,
                Schema.BYTES_SCHEMA, r.raw().getBytes(StandardCharsets.UTF_8), micros / 1000, headers);
    }
}
