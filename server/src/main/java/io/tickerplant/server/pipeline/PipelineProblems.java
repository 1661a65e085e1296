package io.tickerplant.server.pipeline;

import io.tickerplant.server.pipeline.PipelineReport.Connector;
import io.tickerplant.server.pipeline.PipelineReport.ConsumerLag;
import io.tickerplant.server.pipeline.PipelineReport.DeadLetterFigures;
import io.tickerplant.server.pipeline.PipelineReport.OpenStatus;
import io.tickerplant.server.pipeline.PipelineReport.SinkFigures;
import io.tickerplant.server.pipeline.PipelineReport.Task;
import io.tickerplant.server.pipeline.PipelineReport.VenueFigures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the pipeline's figures into what is wrong, in words a person on call understands without the figures:
 * which connector or task failed and why (first line of its trace), which venue is disconnected or lost data and
 * since when, dead letters, lag and slow writes. A pure function of its inputs, so it is tested with made-up ones.
 */
public final class PipelineProblems {
    private PipelineProblems() {
    }

    /** A GAP stays a problem this long after the latest one: gaps are reported once, and recovery says nothing. */
    public static final Duration GAP_WINDOW = Duration.ofSeconds(60);
    /** A venue that sent data and then nothing for this long is silent. */
    public static final Duration SILENCE = Duration.ofSeconds(30);
    /** Dead letters are a problem while the latest is younger than this. */
    public static final Duration DEAD_LETTER_WINDOW = Duration.ofMinutes(5);
    /** A consumer group further behind than this many records is a problem. */
    public static final long MAX_LAG = 10_000;
    /** Trades taking longer than this from the socket to the table (p99) are a problem. */
    public static final double MAX_SINK_P99_MS = 10_000;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Every problem, in pipeline order: connectors, venues, dead letters, lag, sink. */
    public static List<String> of(Instant now, List<Connector> connectors, List<VenueFigures> venues,
            DeadLetterFigures deadLetters, List<ConsumerLag> lags, SinkFigures sink) {
        List<String> out = new ArrayList<>();
        connectors.forEach(c -> connector(c, out));
        venues.forEach(v -> venue(now, v, out));
        if (deadLetters.total() > 0 && deadLetters.lastTime() != null
                && deadLetters.lastTime().isAfter(now.minus(DEAD_LETTER_WINDOW))) {
            out.add(deadLetters.total() + " dead letter" + (deadLetters.total() == 1 ? "" : "s")
                    + " since start, the latest at " + CLOCK.format(deadLetters.lastTime())
                    + (deadLetters.lastStage() == null ? "" : " from " + deadLetters.lastStage()) + ": "
                    + (deadLetters.lastReason() == null ? "(no reason given)" : deadLetters.lastReason()));
        }
        for (ConsumerLag l : lags) {
            if (l.lag() != null && l.lag() > MAX_LAG) {
                out.add(l.group() + " is " + l.lag() + " records behind");
            }
        }
        if (sink.latencyP99Ms() != null && sink.latencyP99Ms() > MAX_SINK_P99_MS) {
            out.add(String.format(Locale.ROOT, "trades take %.1f s from the venue socket to the database (p99 over"
                    + " the last minute)", sink.latencyP99Ms() / 1000));
        }
        return out;
    }

    private static void connector(Connector c, List<String> out) {
        if ("FAILED".equals(c.state())) {
            out.add(c.name() + " FAILED: " + firstLine(c.trace()));
        } else if ("UNKNOWN".equals(c.state())) {
            out.add(c.name() + " status unknown: " + firstLine(c.trace()));
        } else if (!"RUNNING".equals(c.state())) {
            out.add(c.name() + " is " + c.state());
        } else if (c.tasks().isEmpty()) {
            out.add(c.name() + " has no task running");
        }
        for (Task t : c.tasks()) {
            if ("FAILED".equals(t.state())) {
                out.add(c.name() + " task " + t.id() + " FAILED: " + firstLine(t.trace()));
            } else if (!"RUNNING".equals(t.state())) {
                out.add(c.name() + " task " + t.id() + " is " + t.state());
            }
        }
    }

    private static void venue(Instant now, VenueFigures v, List<String> out) {
        for (OpenStatus s : v.openStatuses()) {
            if (s.status().equals("GAP") && s.last().isBefore(now.minus(GAP_WINDOW))) {
                continue;
            }
            String what = s.symbol() == null ? v.venue()
                    : v.venue() + " " + s.symbol() + (s.channel() == null ? "" : " " + s.channel());
            out.add(what + " in " + s.status() + " since " + CLOCK.format(s.since()) + ": " + s.detail());
        }
        if (v.events() > 0 && v.lastEventTime() != null && v.lastEventTime().isBefore(now.minus(SILENCE))) {
            out.add(v.venue() + " sent no data for " + Duration.between(v.lastEventTime(), now).toSeconds()
                    + " s (since " + CLOCK.format(v.lastEventTime()) + ")");
        }
    }

    private static String firstLine(String trace) {
        if (trace == null || trace.isBlank()) {
            return "(no trace)";
        }
        String t = trace.strip();
        int eol = t.indexOf('\n');
        return eol < 0 ? t : t.substring(0, eol).strip();
    }
}
