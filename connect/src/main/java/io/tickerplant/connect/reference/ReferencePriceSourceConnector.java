package io.tickerplant.connect.reference;

import io.tickerplant.connect.Versions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Publishes reference prices from one source (Chainlink price feeds, CoinGecko or Coinpaprika) to
 * {@code <prefix>refprices}, keyed by pair, with bad answers reported on {@code <prefix>feedstatus} and
 * {@code <prefix>dlq}. One task: a handful of pairs polled every few seconds needs no more, and a single poller
 * keeps the request rate inside the source's limits.
 */
public class ReferencePriceSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        // Fail at creation, naming the key, rather than in the task.
        new ReferencePriceSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ReferencePriceSourceTask.class;
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
        return ReferencePriceSourceConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
