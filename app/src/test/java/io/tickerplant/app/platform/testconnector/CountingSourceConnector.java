package io.tickerplant.app.platform.testconnector;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * Emits the numbers 0 .. count-1 to a topic, one record each, keeping the last one sent as its source offset:
 * enough to see a connector found through service loading, running, and resuming after a restart.
 */
public class CountingSourceConnector extends SourceConnector {

    static final String TOPIC = "topic";
    static final String COUNT = "count";

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CountingSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to.")
                .define(COUNT, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "How many numbers to emit.");
    }

    @Override
    public String version() {
        return "test";
    }
}
