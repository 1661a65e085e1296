package io.tickerplant.app.platform.testconnector;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** See {@link CountingSourceConnector}. */
public class CountingSourceTask extends SourceTask {

    private static final Map<String, String> PARTITION = Map.of("source", "counter");

    private String topic;
    private int count;
    private long next;

    @Override
    public void start(Map<String, String> props) {
        topic = props.get(CountingSourceConnector.TOPIC);
        count = Integer.parseInt(props.get(CountingSourceConnector.COUNT));
        Map<String, Object> offset = context.offsetStorageReader().offset(PARTITION);
        next = offset == null ? 0 : ((Number) offset.get("last")).longValue() + 1;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (next >= count) {
            Thread.sleep(100);
            return null;
        }
        List<SourceRecord> records = new ArrayList<>();
        while (next < count) {
            records.add(new SourceRecord(PARTITION, Map.of("last", next), topic, null, null, null,
                    Schema.BYTES_SCHEMA, Long.toString(next).getBytes(StandardCharsets.UTF_8)));
            next++;
        }
        return records;
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "test";
    }
}
