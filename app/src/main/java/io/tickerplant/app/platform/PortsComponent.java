package io.tickerplant.app.platform;

import io.tickerplant.app.config.ConfigKey;
import io.tickerplant.app.config.PlatformConfig;

/**
 * Checks, before anything starts, that every port this process will listen on is free: a busy web port should
 * fail the start at once, not after the broker, the database and Connect took twenty seconds to come up.
 */
public final class PortsComponent implements Component {

    private final PlatformConfig config;

    public PortsComponent(PlatformConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "port check";
    }

    @Override
    public void start() {
        for (ConfigKey<Integer> key : config.embeddedPortKeys()) {
            int port = config.get(key);
            if (port != 0 && !Ports.isFree(port)) {
                throw new Ports.PortInUseException(port, PlatformConfig.settingHint(key));
            }
        }
    }

    @Override
    public void close() {
    }
}
