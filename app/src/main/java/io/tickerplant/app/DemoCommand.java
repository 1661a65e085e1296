package io.tickerplant.app;

import picocli.CommandLine.Command;

/** {@code tickerplant demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts the platform fed by emulated venues in this JVM (no internet needed) and runs "
                + "until Ctrl-C.",
                "Same components and settings as 'up'; the emulators speak each venue's real protocol."},
        footerHeading = "%nExamples:%n",
        footer = {"  tickerplant demo",
                "  tickerplant demo --data-dir /tmp/tp-demo --kafka-port 0 --connect-port 0"})
final class DemoCommand extends PlatformCommand {
    @Override
    Mode mode() {
        return Mode.DEMO;
    }
}
