package io.tickerplant.app;

import io.tickerplant.app.config.ConfigKey;
import io.tickerplant.app.config.PlatformConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One command-line option per configuration key ({@code kafka.port} -> {@code --kafka-port}), generated from
 * {@link PlatformConfig#keys()} so that a new key is on the command line, in {@code --help} and in
 * {@code tickerplant config} without further code.
 */
final class ConfigOptions {

    private ConfigOptions() {
    }

    /** Adds an option for every key to {@code spec}. */
    static void addTo(CommandSpec spec) {
        for (ConfigKey<?> key : PlatformConfig.keys()) {
            String defaultText = key.defaultValue().isEmpty() ? "empty" : key.defaultValue();
            // Picocli formats descriptions: a literal % must be doubled.
            String description = (key.doc() + " Default: " + defaultText + ".").replace("%", "%%");
            spec.addOption(OptionSpec.builder(key.cliOption())
                    .paramLabel("<" + key.paramLabel() + ">")
                    .type(String.class)
                    .description(description)
                    .build());
        }
    }

    /** Key name to value for every key given on the command line of {@code spec}. */
    static Map<String, String> values(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : PlatformConfig.keys()) {
            if (parsed.hasMatchedOption(key.cliOption())) {
                values.put(key.name(), parsed.matchedOptionValue(key.cliOption(), ""));
            }
        }
        return values;
    }
}
