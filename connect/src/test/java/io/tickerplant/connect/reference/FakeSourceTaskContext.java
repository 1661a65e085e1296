package io.tickerplant.connect.reference;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** A task context whose offset storage is a map the test fills: what Connect would have committed. */
final class FakeSourceTaskContext implements SourceTaskContext {

    final Map<Map<String, ?>, Map<String, Object>> committed = new HashMap<>();
    private final Map<String, String> configs;

    FakeSourceTaskContext(Map<String, String> configs) {
        this.configs = configs;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return committed.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                for (Map<String, T> p : partitions) {
                    out.put(p, committed.get(p));
                }
                return out;
            }
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
