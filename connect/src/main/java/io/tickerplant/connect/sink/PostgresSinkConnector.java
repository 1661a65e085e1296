package io.tickerplant.connect.sink;

import io.tickerplant.connect.Versions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes the platform's topics into PostgreSQL or TimescaleDB with batched COPY, idempotently: a record delivered
 * twice (after a restart or a rebalance) never becomes two rows. Offsets are committed only after the rows are.
 */
public class PostgresSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new PostgresSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(Math.max(1, maxTasks), props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return PostgresSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
