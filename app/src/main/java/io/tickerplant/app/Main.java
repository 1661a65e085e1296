package io.tickerplant.app;

import io.tickerplant.app.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The {@code tickerplant} command: {@code up}, {@code demo} and {@code config}. Exit status 0 on a clean stop,
 * 1 when the platform failed to start, 2 for a configuration or usage error.
 */
@Command(name = "tickerplant",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        subcommands = {UpCommand.class, DemoCommand.class, ConfigCommand.class, RecordCommand.class,
                ReplayCommand.class, CommandLine.HelpCommand.class},
        description = "Real-time crypto market data on Apache Kafka: venues -> Kafka Connect -> Kafka -> "
                + "Kafka Streams -> PostgreSQL -> REST API and dashboard, all in one JVM by default.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  tickerplant demo",
                "      everything in this JVM, fed by emulated venues (no internet needed)",
                "  tickerplant up",
                "      the same, fed by the real venues",
                "  tickerplant up --kafka-port 0 --connect-port 0 --web-port 0",
                "      embedded servers on free ports",
                "  tickerplant up --kafka-bootstrap-servers kafka:9092 \\",
                "                 --connect-url http://connect:8083",
                "      an existing Kafka cluster and Connect cluster",
                "  tickerplant record --venue BINANCE --symbols BTC-USDT --duration 5m",
                "      raw frames to a file that 'tickerplant replay' reads",
                "  tickerplant config",
                "      every setting: value, origin, default, documentation",
                "",
                "Settings: command line, then TICKERPLANT_* environment variables, then",
                "./tickerplant.properties (or --config FILE), then defaults.",
                "'tickerplant help COMMAND' shows the options of a command."})
public final class Main implements Runnable {

    /** Exit status for a configuration or usage error. */
    public static final int CONFIG_ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The fully wired command line, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (String name : List.of("up", "demo", "config")) {
            ConfigOptions.addTo(cl.getSubcommands().get(name).getCommandSpec());
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("tickerplant: " + e.getMessage());
                return CONFIG_ERROR;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest; "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tickerplant " + (version == null ? "dev" : version)
                    + " (Kafka " + kafkaVersion() + ", Java " + Runtime.version() + ")"};
        }

        // Read directly: Kafka's AppInfoParser would initialize logging just to print a version.
        private static String kafkaVersion() {
            try (var in = Main.class.getResourceAsStream("/kafka/kafka-version.properties")) {
                java.util.Properties props = new java.util.Properties();
                if (in != null) {
                    props.load(in);
                }
                return props.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
