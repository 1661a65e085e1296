package io.tickerplant.connect.source;

import io.tickerplant.connect.Versions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.VenueAdapters;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams one venue's public market data into Kafka. The configured symbols are split across tasks, so a venue's
 * per-connection stream limits are honoured by raising {@code tasks.max}.
 */
public class VenueSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        // Fail at creation, naming the key, rather than in every task.
        VenueSourceConfig config = new VenueSourceConfig(props);
        VenueAdapters.validateSymbols(config.venue(), config.getList(VenueSourceConfig.SYMBOLS),
                VenueAdapters.restBase(config.venue(), config.restUri())).ifPresent(problem -> {
            throw new ConfigException(VenueSourceConfig.SYMBOLS, props.get(VenueSourceConfig.SYMBOLS), problem);
        });
        this.props = Map.copyOf(props);
    }

    /**
     * Adds the venue's own checks to the generic ones: is there an adapter, is each symbol of the venue's form, and
     * does the venue (asked at {@code rest.url}) list it — naming the closest listed symbols when it does not.
     */
    @Override
    public Config validate(Map<String, String> props) {
        Config result = super.validate(props);
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        ConfigValue venue = values.get(VenueSourceConfig.VENUE);
        ConfigValue symbols = values.get(VenueSourceConfig.SYMBOLS);
        ConfigValue rest = values.get(VenueSourceConfig.REST_URL);
        if (venue.errorMessages().isEmpty() && symbols.errorMessages().isEmpty()) {
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) symbols.value();
            Venue v = Venue.parse((String) venue.value());
            // Ask the venue (or the configured REST endpoint) only when the URL itself is valid.
            java.net.URI restBase = !rest.errorMessages().isEmpty() || VenueAdapters.definition(v).isEmpty() ? null
                    : VenueAdapters.restBase(v, rest.value() == null || ((String) rest.value()).isBlank() ? null
                            : java.net.URI.create((String) rest.value()));
            VenueAdapters.validateSymbols(v, list, restBase).ifPresent(symbols::addErrorMessage);
        }
        return result;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return VenueSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> symbols = new VenueSourceConfig(props).getList(VenueSourceConfig.SYMBOLS);
        int tasks = Math.max(1, Math.min(maxTasks, symbols.size()));
        List<List<String>> shares = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < symbols.size(); i++) {
            shares.get(i % tasks).add(symbols.get(i).trim());
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> share : shares) {
            Map<String, String> c = new HashMap<>(props);
            c.put(VenueSourceConfig.SYMBOLS, String.join(",", share));
            configs.add(c);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return VenueSourceConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
