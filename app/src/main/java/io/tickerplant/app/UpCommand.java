package io.tickerplant.app;

import picocli.CommandLine.Command;

/** {@code tickerplant up}. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts the platform fed by the real venues and runs until Ctrl-C.",
                "Kafka, Kafka Connect and PostgreSQL run embedded in this JVM unless their URL is given; state "
                        + "is kept in the data directory, so a restart resumes where it stopped."},
        footerHeading = "%nExamples:%n",
        footer = {"  tickerplant up",
                "  tickerplant up --data-dir /var/lib/tickerplant --symbols BTC-USDT,SOL-USDT",
                "  tickerplant up --kafka-bootstrap-servers kafka:9092 \\",
                "                 --topic-replication-factor 3"})
final class UpCommand extends PlatformCommand {
    @Override
    Mode mode() {
        return Mode.UP;
    }
}
