package io.tickerplant.app;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.EmbeddedPlatform;

/**
 * Which components {@code tickerplant up} and {@code tickerplant demo} run, in start order. This is the one
 * place where the platform is put together; each component decides itself between embedded and external from
 * the configuration.
 */
public final class PlatformAssembly {

    private PlatformAssembly() {
    }

    /**
     * Kafka, topics and Connect so far. Still to be added here, in this order, as {@code Component}s:
     * PostgreSQL (embedded unless {@code postgres.jdbc.url}; endpoint {@code postgresql://127.0.0.1:15432/...}),
     * the emulators (demo only), the Streams application, the connectors (through
     * {@code platform.connect().client()}), and the web server (endpoint {@code http://127.0.0.1:8080}).
     */
    public static EmbeddedPlatform assemble(PlatformConfig config, Mode mode) {
        EmbeddedPlatform platform = EmbeddedPlatform.standard(config);
        return platform;
    }
}
