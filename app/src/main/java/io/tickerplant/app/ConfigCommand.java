package io.tickerplant.app;

import io.tickerplant.app.config.PlatformConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tickerplant config}: every key with its effective value, origin, default and documentation. */
@Command(name = "config", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Lists every setting with its effective value and where it came from, its default, its "
                + "command-line option and environment variable, and what it does.",
                "Takes the same options as 'up', so it also checks a configuration without starting anything."},
        footerHeading = "%nExamples:%n",
        footer = {"  tickerplant config",
                "  tickerplant config --config prod.properties --kafka-port 0",
                "  tickerplant config --template > tickerplant.properties"})
final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "<FILE>",
            description = "Properties file with settings. Default: $TICKERPLANT_CONFIG, else "
                    + "./tickerplant.properties if it exists.")
    Path configFile;

    @Option(names = "--template", description = "Print a properties file with every key commented out instead.")
    boolean template;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (template) {
            out.print(PlatformConfig.template());
        } else {
            out.print(PlatformConfig.load(configFile, System.getenv(), ConfigOptions.values(spec)).describe());
        }
        // main() ends in System.exit, which does not flush picocli's writer.
        out.flush();
        return 0;
    }
}
