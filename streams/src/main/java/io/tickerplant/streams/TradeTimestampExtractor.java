package io.tickerplant.streams;

import io.tickerplant.model.avro.Trade;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a trade: the venue's {@code eventTime}, whatever timestamp the producer put on the record, so that
 * windows never depend on how the trade reached Kafka. Millisecond precision, as Streams' windows are; a trade at
 * 12:00:59.999999 is in the minute that ends at 12:01:00. Anything that is not a trade keeps its record timestamp.
 */
public final class TradeTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Trade t && t.getEventTime() != null) {
            return t.getEventTime().toEpochMilli();
        }
        return record.timestamp();
    }
}
