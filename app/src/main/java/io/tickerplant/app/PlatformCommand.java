package io.tickerplant.app;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.EmbeddedPlatform;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What {@code up} and {@code demo} share: read the configuration, start the platform, wait for Ctrl-C. */
abstract class PlatformCommand implements Callable<Integer> {

    /** System property read by log4j2.xml for the file log; set before the first logger exists. */
    static final String LOG_DIR_PROPERTY = "tickerplant.log.dir";

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "<FILE>",
            description = "Properties file with settings (see 'tickerplant config'). Default: $TICKERPLANT_CONFIG, "
                    + "else ./tickerplant.properties if it exists.")
    Path configFile;

    abstract Mode mode();

    @Override
    public Integer call() throws Exception {
        PlatformConfig config = PlatformConfig.load(configFile, System.getenv(), ConfigOptions.values(spec));
        // Loggers read this when log4j initializes, which is on first use: nothing may log before this line.
        System.setProperty(LOG_DIR_PROPERTY, config.logDir().toAbsolutePath().toString());
        Logger log = LoggerFactory.getLogger(PlatformCommand.class);
        log.info("tickerplant {} starting (data {})", mode().name().toLowerCase(java.util.Locale.ROOT),
                config.dataDir().toAbsolutePath().normalize());

        EmbeddedPlatform platform = PlatformAssembly.assemble(config, mode());
        // log4j's own shutdown hook is disabled in log4j2.xml: logging stops after the platform, not before.
        platform.closeOnShutdown(LogManager::shutdown);
        try {
            platform.start();
        } catch (EmbeddedPlatform.StartException e) {
            if (e.cancelled()) {
                log.info("{}", e.getMessage());
                platform.awaitClosed();
                return 130;
            }
            log.error("{}", e.getMessage());
            log.debug("start failure", e);
            return 1;
        }
        log.info("{}", platform.readyLine());
        platform.awaitClosed();
        return 0;
    }
}
