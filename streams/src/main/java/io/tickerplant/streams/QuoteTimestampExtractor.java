package io.tickerplant.streams;

import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a quote or a feed status: its own {@code eventTime}, whatever timestamp the producer put on the
 * record, so that the quote age {@link BboTopology} measures never depends on how the record reached Kafka.
 * Anything else keeps its record timestamp.
 */
public final class QuoteTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Quote q && q.getEventTime() != null) {
            return q.getEventTime().toEpochMilli();
        }
        if (record.value() instanceof FeedStatus s && s.getEventTime() != null) {
            return s.getEventTime().toEpochMilli();
        }
        return record.timestamp();
    }
}
