package io.tickerplant.app;

import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueDefinition;
import io.tickerplant.venues.replay.CaptureReader;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tickerplant replay --dry-run PATH}: recorded frames through the same parsers and book sync as the live
 * adapters, with a per-file account of what they made of them.
 *
 * <p>Reads both cryptofeed capture formats of {@code captures/README.md} ({@link CaptureReader}); the venue comes
 * from the file name and its {@link VenueDefinition#replayer replayer} does the parsing. The files of one
 * venue in a directory are replayed as one timeline ordered by receive time, so a recorded depth snapshot meets the
 * diffs recorded around it, as it would live. Venues and formats without a replay path yet are listed as skipped.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Replays recorded venue frames through the adapters' parsers and order-book sync.",
                "With --dry-run nothing is published: prints per file the frames read, the events made by type,"
                        + " the frames rejected with their reasons, and the gaps detected."},
        footerHeading = "%nExamples:%n",
        footer = {"  tickerplant replay --dry-run captures/binance/",
                "  tickerplant replay --dry-run captures/binance/cryptofeed_BINANCE.ws.1.0.txt"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A capture file, or a directory of them (not recursive).")
    Path path;

    @Option(names = "--dry-run", description = "Parse and check only; publish nothing. (Required for now: publishing"
            + " replayed frames into the pipeline is not implemented yet.)")
    boolean dryRun;

    @Option(names = "--max-reasons", defaultValue = "10", description = "Rejection reasons listed per file "
            + "(most frequent first). Default: ${DEFAULT-VALUE}.")
    int maxReasons;

    /** What one file yielded. */
    static final class FileStats {
        final String name;
        String skipped;
        long lines;
        long frames;
        long restAnswers;
        long control;
        final Map<String, Long> events = new TreeMap<>();
        final Map<String, Long> reasons = new TreeMap<>();
        long rejected;
        long gaps;
        final List<String> gapDetails = new ArrayList<>();

        FileStats(String name) {
            this.name = name;
        }

        void count(String event) {
            events.merge(event, 1L, Long::sum);
        }
    }

    private record Line(int order, FileStats file, CapturedMessage message) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!dryRun) {
            err.println("tickerplant: replay into the pipeline is not implemented yet; use --dry-run");
            err.flush();
            return Main.CONFIG_ERROR;
        }
        if (!Files.exists(path)) {
            err.println("tickerplant: no such file or directory: " + path);
            err.flush();
            return Main.CONFIG_ERROR;
        }
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(path);
        }
        List<FileStats> report = replay(files);
        print(out, report);
        out.flush();
        return 0;
    }

    /** Replays the files; the files of one venue share one timeline ordered by receive time. */
    List<FileStats> replay(List<Path> files) throws IOException {
        List<FileStats> report = new ArrayList<>();
        Map<Venue, List<Line>> timelines = new TreeMap<>();
        for (Path f : files) {
            FileStats st = new FileStats(f.getFileName().toString());
            report.add(st);
            Optional<String> unsupported = CaptureReader.unsupported(st.name);
            if (unsupported.isPresent()) {
                st.skipped = unsupported.get();
                continue;
            }
            String venueId = CaptureReader.venueOf(st.name).orElseThrow();
            Venue venue;
            try {
                venue = Venue.parse(venueId);
            } catch (IllegalArgumentException e) {
                st.skipped = "venue " + venueId + " is not one tickerplant knows";
                continue;
            }
            if (VenueAdapters.definition(venue).isEmpty()) {
                st.skipped = "no adapter for " + venue + " yet";
                continue;
            }
            CaptureReader.Capture capture = CaptureReader.read(f);
            st.lines = capture.lines();
            st.control = capture.control();
            capture.unreadable().forEach((reason, n) -> {
                st.rejected += n;
                st.reasons.merge(reason, n, Long::sum);
            });
            List<Line> timeline = timelines.computeIfAbsent(venue, v -> new ArrayList<>());
            for (CapturedMessage m : capture.messages()) {
                timeline.add(new Line(timeline.size(), st, m));
            }
        }
        for (Map.Entry<Venue, List<Line>> e : timelines.entrySet()) {
            List<Line> timeline = e.getValue();
            timeline.sort(Comparator.comparingLong((Line l) -> l.message().receiveMicros())
                    .thenComparingInt(Line::order));
            Counting listener = new Counting();
            VenueReplayer replayer = VenueAdapters.definition(e.getKey()).orElseThrow().replayer(listener, 0);
            for (Line l : timeline) {
                listener.current = l.file();
                CapturedMessage m = l.message();
                switch (m.kind()) {
                    case RECEIVED -> l.file().frames++;
                    case HTTP -> l.file().restAnswers++;
                    default -> l.file().control++;
                }
                replayer.onMessage(m);
            }
            FileStats last = timeline.isEmpty() ? null : timeline.get(timeline.size() - 1).file();
            replayer.unsyncedDiffs().forEach((symbol, n) -> {
                if (last != null && n > 0) {
                    last.gapDetails.add("book " + symbol + " never synchronized: " + n
                            + " updates without a usable snapshot");
                }
            });
        }
        return report;
    }

    /** Counts events into the file whose line is being replayed. */
    private static final class Counting implements VenueEventListener {
        FileStats current;

        @Override
        public void onTrade(Trade trade) {
            current.count("trade");
        }

        @Override
        public void onQuote(Quote quote) {
            current.count("quote");
        }

        @Override
        public void onBook(BookUpdate b) {
            current.count(b.getSnapshot() ? "book snapshot" : "book delta");
        }

        @Override
        public void onLiquidation(Liquidation l) {
            current.count("liquidation");
        }

        @Override
        public void onFunding(Funding f) {
            current.count("funding");
        }

        @Override
        public void onFeedStatus(FeedStatus s) {
            current.count("status " + s.getStatus());
            if (s.getStatus() == io.tickerplant.model.avro.FeedState.GAP) {
                current.gaps++;
                current.gapDetails.add(s.getDetail());
            }
        }

        @Override
        public void onRejected(RejectedFrame f) {
            current.rejected++;
            current.reasons.merge(f.reason(), 1L, Long::sum);
        }
    }

    private void print(PrintWriter out, List<FileStats> report) {
        out.printf("%-44s %8s %8s %8s %6s  %s%n", "file", "lines", "frames", "rejected", "gaps", "events");
        for (FileStats s : report) {
            if (s.skipped != null) {
                out.printf("%-44s %8s %8s %8s %6s  skipped: %s%n", s.name, "-", "-", "-", "-", s.skipped);
                continue;
            }
            StringBuilder ev = new StringBuilder();
            s.events.forEach((k, v) -> ev.append(ev.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            if (s.restAnswers > 0) {
                ev.append(ev.length() == 0 ? "" : ", ").append("REST answers ").append(s.restAnswers);
            }
            out.printf("%-44s %8d %8d %8d %6d  %s%n", s.name, s.lines, s.frames, s.rejected, s.gaps,
                    ev.length() == 0 ? "none" : ev);
        }
        for (FileStats s : report) {
            if (s.reasons.isEmpty() && s.gapDetails.isEmpty()) {
                continue;
            }
            out.println();
            out.println(s.name + ":");
            s.reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(maxReasons)
                    .forEach(e -> out.printf("  rejected %6d x %s%n", e.getValue(), e.getKey()));
            if (s.reasons.size() > maxReasons) {
                out.printf("  ... %d more reasons%n", s.reasons.size() - maxReasons);
            }
            Map<String, Long> gaps = new LinkedHashMap<>();
            s.gapDetails.forEach(g -> gaps.merge(g, 1L, Long::sum));
            gaps.forEach((g, n) -> out.printf("  gap      %6d x %s%n", n, g));
        }
    }

    /** For tests: the report without printing. */
    static List<FileStats> dryRun(List<Path> files) {
        try {
            return new ReplayCommand().replay(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
