package io.tickerplant.app;

import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.binance.BinanceReplayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Reads the cryptofeed legacy capture format (format A of {@code captures/README.md}): {@code <ts>: <frame>}
 * lines for received frames, {@code URL -> <ts>: <body>} for REST answers, {@code URL <-> <ts>} and
 * {@code URL <- <ts>: ...} for connections and sent frames, a final {@code configuration:} line. The files of one
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

    private record Line(double ts, int order, FileStats file, String url, String payload) {
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

    /** Replays the files; Binance spot format-A files share one timeline. */
    List<FileStats> replay(List<Path> files) throws IOException {
        List<FileStats> report = new ArrayList<>();
        List<Line> binance = new ArrayList<>();
        for (Path f : files) {
            FileStats st = new FileStats(f.getFileName().toString());
            report.add(st);
            String name = st.name;
            if (!name.startsWith("cryptofeed_") || !name.endsWith(".txt")) {
                st.skipped = "not the cryptofeed legacy format (format A)";
            } else if (!name.startsWith("cryptofeed_BINANCE.")) {
                st.skipped = "no replay path for this venue yet";
            } else {
                read(f, st, binance);
            }
        }
        binance.sort(Comparator.comparingDouble(Line::ts).thenComparingInt(Line::order));
        Counting listener = new Counting();
        BinanceReplayer replayer = new BinanceReplayer(listener, 0);
        for (Line l : binance) {
            listener.current = l.file();
            long micros = (long) Math.floor(l.ts() * 1_000_000d);
            if (l.url() == null) {
                l.file().frames++;
                replayer.onFrame(l.payload(), micros);
            } else {
                l.file().restAnswers++;
                URI u = URI.create(l.url());
                String symbol = query(u, "symbol");
                if (u.getPath().endsWith("/api/v3/depth") && symbol != null) {
                    l.file().count("depth snapshot (REST)");
                    replayer.onDepthSnapshot(symbol, l.payload(), micros);
                } else {
                    l.file().count("other REST answer");
                }
            }
        }
        FileStats last = binance.isEmpty() ? null : binance.get(binance.size() - 1).file();
        replayer.unsyncedDiffs().forEach((symbol, n) -> {
            if (last != null && n > 0) {
                last.gapDetails.add("book " + symbol + " never synchronized: " + n + " diffs without a usable snapshot");
            }
        });
        return report;
    }

    private static void read(Path f, FileStats st, List<Line> into) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        int order = into.size();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            st.lines++;
            if (line.startsWith("configuration: ")) {
                st.control++;
                continue;
            }
            if (line.startsWith("wss://") || line.startsWith("ws://")) {
                // " <-> ts": a connection opened; " <- ts: frame": a frame the client sent.
                st.control++;
                continue;
            }
            if (line.startsWith("https://") || line.startsWith("http://")) {
                int arrow = line.indexOf(" -> ");
                int colon = arrow < 0 ? -1 : line.indexOf(": ", arrow);
                if (colon < 0) {
                    st.rejected++;
                    st.reasons.merge("unreadable REST line (no ' -> <ts>: ')", 1L, Long::sum);
                    continue;
                }
                into.add(new Line(ts(line.substring(arrow + 4, colon)), order++, st, line.substring(0, arrow),
                        line.substring(colon + 2)));
                continue;
            }
            int colon = line.indexOf(": ");
            double ts = colon < 0 ? Double.NaN : ts(line.substring(0, colon));
            if (Double.isNaN(ts)) {
                st.rejected++;
                st.reasons.merge("unreadable line (no '<ts>: ')", 1L, Long::sum);
                continue;
            }
            into.add(new Line(ts, order++, st, null, line.substring(colon + 2)));
        }
    }

    private static double ts(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String query(URI u, String name) {
        String q = u.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return kv.substring(eq + 1);
            }
        }
        return null;
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
