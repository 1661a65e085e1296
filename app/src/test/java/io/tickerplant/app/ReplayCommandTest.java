package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The replay dry run over a small capture written for this test in the cryptofeed legacy format (format A). */
class ReplayCommandTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(ReplayCommandTest.class.getResource("/replay/binance").toURI());
    }

    private static ReplayCommand.FileStats stats(List<ReplayCommand.FileStats> report, String name) {
        return report.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void binanceFramesGoThroughTheParsersAndTheBookSyncWithTheRecordedSnapshots() throws Exception {
        Path dir = fixture();
        List<ReplayCommand.FileStats> report = ReplayCommand.dryRun(List.of(
                dir.resolve("cryptofeed_BINANCE.http.0.0.txt"), dir.resolve("cryptofeed_BINANCE.ws.1.0.txt")));
        ReplayCommand.FileStats ws = stats(report, "cryptofeed_BINANCE.ws.1.0.txt");
        assertThat(ws.frames).isEqualTo(9);
        assertThat(ws.control).isEqualTo(2);
        assertThat(ws.events).isEqualTo(Map.of("book snapshot", 2L, "book delta", 1L, "quote", 1L, "trade", 1L,
                "status GAP", 1L, "status RESYNC", 1L));
        assertThat(ws.gaps).isEqualTo(1);
        assertThat(ws.gapDetails.get(0)).contains("164..165");
        assertThat(ws.rejected).isEqualTo(2);
        assertThat(ws.reasons).isEqualTo(Map.of("unexpected event type 'aggTrade'", 1L,
                "field 'b[0] price' is not a decimal: 'x'", 1L));
        ReplayCommand.FileStats http = stats(report, "cryptofeed_BINANCE.http.0.0.txt");
        assertThat(http.restAnswers).isEqualTo(2);
        assertThat(http.events).isEmpty();
    }

    @Test
    void theCommandPrintsATableWithReasonsAndSkipsVenuesItCannotReplayYet() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int status = cl.execute("replay", "--dry-run", fixture().toString());
        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("cryptofeed_BINANCE.ws.1.0.txt")
                .contains("rejected      1 x unexpected event type 'aggTrade'")
                .contains("cryptofeed_GEMINI.ws.1.0.txt").contains("skipped: venue GEMINI is not one tickerplant knows");
    }

    @Test
    void withoutDryRunTheCommandRefusesWithAUsageError() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("replay", fixture().toString())).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString()).contains("--dry-run");
    }
}
