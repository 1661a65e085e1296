package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecordCommandTest {

    @TempDir
    Path dir;

    @Test
    void aRecordingFromTheEmulatorReplaysToTheSameTradesAndBooksWithNoGapsOrRejections() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int status = cl.execute("record", "--venue", "BINANCE", "--emulator", "--symbols", "BTC-USDT,ETH-USDT",
                "--duration", "8s", "--progress-interval", "1s", "--out", dir.toString());
        assertThat(status).as(out.toString()).isZero();
        assertThat(out.toString()).contains("recording BINANCE [BTC-USDT, ETH-USDT]").contains(" s  ")
                .contains("recorded ");
        RecordCommand.Summary summary = ((RecordCommand) cl.getSubcommands().get("record").getCommand()).summary;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertThat(files).singleElement().satisfies(f ->
                assertThat(f.getFileName().toString()).startsWith("tickerplant_BINANCE.").endsWith(".jsonl"));
        assertThat(summary.trades()).isPositive();
        assertThat(summary.bookUpdates()).isPositive();

        ReplayCommand.FileStats replayed = ReplayCommand.dryRun(files).get(0);
        assertThat(replayed.skipped).isNull();
        assertThat(replayed.rejected).isZero();
        assertThat(replayed.gaps).isZero();
        assertThat(replayed.frames).isEqualTo(summary.frames());
        assertThat(replayed.restAnswers).isEqualTo(summary.restAnswers());
        assertThat(replayed.events.get("trade")).isEqualTo(summary.trades());
        assertThat(replayed.events.get("book snapshot")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSymbolTheVenueCannotTradeIsRefusedNamingIt() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("record", "--venue", "BINANCE", "--symbols", "BTC-USDT-PERP", "--duration", "1s"))
                .isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString()).contains("--symbols").contains("BTC-USDT-PERP");
    }
}
