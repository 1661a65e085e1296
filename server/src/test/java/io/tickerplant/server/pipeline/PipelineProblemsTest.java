package io.tickerplant.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.server.pipeline.PipelineReport.Connector;
import io.tickerplant.server.pipeline.PipelineReport.ConsumerLag;
import io.tickerplant.server.pipeline.PipelineReport.DeadLetterFigures;
import io.tickerplant.server.pipeline.PipelineReport.OpenStatus;
import io.tickerplant.server.pipeline.PipelineReport.SinkFigures;
import io.tickerplant.server.pipeline.PipelineReport.Task;
import io.tickerplant.server.pipeline.PipelineReport.VenueFigures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The problems-in-words logic with made-up figures. */
class PipelineProblemsTest {

    static final Instant NOW = Instant.parse("2026-05-01T12:05:00Z");
    static final SinkFigures FAST_SINK = new SinkFigures(60.0, 140.0, 50, 3000, null);

    static Connector running(String name) {
        return new Connector(name, "RUNNING", List.of(new Task(0, "RUNNING", null)), null);
    }

    static VenueFigures venue(String name, Instant lastEvent, OpenStatus... open) {
        return new VenueFigures(name, 100, 10, 0, 0, 0, "CONNECTED", NOW.minusSeconds(60), "connected",
                lastEvent, List.of(open));
    }

    static List<String> problems(List<Connector> connectors, List<VenueFigures> venues, DeadLetterFigures dl,
            List<ConsumerLag> lags, SinkFigures sink) {
        return PipelineProblems.of(NOW, connectors, venues, dl, lags, sink);
    }

    @Test
    void allWellIsNoProblemAtAll() {
        assertThat(problems(List.of(running("binance-source"), running("postgres-sink")),
                List.of(venue("BINANCE", NOW.minusSeconds(1))), DeadLetterFigures.NONE,
                List.of(new ConsumerLag("connect-postgres-sink", 12L, null)), FAST_SINK)).isEmpty();
    }

    @Test
    void aFailedTaskIsNamedWithTheFirstLineOfItsTrace() {
        Connector failed = new Connector("binance-source", "RUNNING", List.of(new Task(0, "FAILED",
                "org.apache.kafka.connect.errors.ConnectException: venue refused\n\tat io.tickerplant.X.y(X.java:1)")),
                null);
        Connector down = new Connector("postgres-sink", "FAILED", List.of(), "java.sql.SQLException: gone\n\tat x");
        Connector paused = new Connector("kraken-source", "PAUSED", List.of(new Task(0, "PAUSED", null)), null);
        Connector unknown = new Connector("okx-source", "UNKNOWN", List.of(), "Connect did not answer: refused");
        assertThat(problems(List.of(failed, down, paused, unknown), List.of(), DeadLetterFigures.NONE, List.of(),
                FAST_SINK)).containsExactly(
                "binance-source task 0 FAILED: org.apache.kafka.connect.errors.ConnectException: venue refused",
                "postgres-sink FAILED: java.sql.SQLException: gone",
                "kraken-source is PAUSED",
                "kraken-source task 0 is PAUSED",
                "okx-source status unknown: Connect did not answer: refused");
    }

    @Test
    void aRecentGapAndADisconnectionAreProblemsWithTheirTimeButAnOldGapIsNot() {
        OpenStatus gap = new OpenStatus("BTC-USD", "trades", "GAP", NOW.minusSeconds(10), NOW.minusSeconds(10),
                "trades 5..9 missed");
        OpenStatus oldGap = new OpenStatus("ETH-USD", "book", "GAP", NOW.minusSeconds(600), NOW.minusSeconds(600),
                "book 1..2 missed");
        OpenStatus disconnected = new OpenStatus(null, null, "DISCONNECTED", Instant.parse("2026-05-01T12:00:01Z"),
                Instant.parse("2026-05-01T12:00:01Z"), "connection closed by the venue");
        assertThat(problems(List.of(), List.of(venue("KRAKEN", NOW.minusSeconds(1), gap, oldGap),
                venue("COINBASE", NOW.minusSeconds(2), disconnected)), DeadLetterFigures.NONE, List.of(), FAST_SINK))
                .containsExactly("KRAKEN BTC-USD trades in GAP since 12:04:50: trades 5..9 missed",
                        "COINBASE in DISCONNECTED since 12:00:01: connection closed by the venue");
    }

    @Test
    void aVenueThatWentSilentIsAProblemButOneNeverHeardFromIsNot() {
        VenueFigures silent = venue("BYBIT", NOW.minusSeconds(95));
        VenueFigures never = new VenueFigures("OKX", 0, 0, 0, 0, 0, null, null, null, null, List.of());
        assertThat(problems(List.of(), List.of(silent, never), DeadLetterFigures.NONE, List.of(), FAST_SINK))
                .containsExactly("BYBIT sent no data for 95 s (since 12:03:25)");
    }

    @Test
    void recentDeadLettersLagAndASlowSinkAreProblemsInWords() {
        DeadLetterFigures dl = new DeadLetterFigures(2, "malformed frame: unexpected end of input",
                NOW.minusSeconds(30), "source:BINANCE");
        List<ConsumerLag> lags = List.of(new ConsumerLag("connect-postgres-sink", 25_000L, null),
                new ConsumerLag("tickerplant-candles", null, "no committed offsets"),
                new ConsumerLag("tickerplant-bbo", 10L, null));
        SinkFigures slow = new SinkFigures(900.0, 12_345.0, 10, 600, null);
        assertThat(problems(List.of(), List.of(), dl, lags, slow)).containsExactly(
                "2 dead letters since start, the latest at 12:04:30 from source:BINANCE: malformed frame: unexpected"
                        + " end of input",
                "connect-postgres-sink is 25000 records behind",
                "trades take 12.3 s from the venue socket to the database (p99 over the last minute)");
        DeadLetterFigures old = new DeadLetterFigures(1, "x", NOW.minusSeconds(3600), null);
        assertThat(problems(List.of(), List.of(), old, List.of(), FAST_SINK)).isEmpty();
    }
}
