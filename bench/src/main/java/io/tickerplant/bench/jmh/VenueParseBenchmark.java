package io.tickerplant.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.CaptureReader;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Parse + normalize throughput per venue on real recorded frames, next to Jackson's {@code readTree} on the same
 * frames in the same run (target: the adapter at least 3x faster than readTree alone).
 *
 * <p>The frames are the venue's recordings under {@code capturesDir/<venue>/} (the shared captures; they are read
 * from that path, never copied into the project). One operation is the venue's whole recorded timeline: the
 * adapter side feeds every message through a fresh {@link VenueReplayer} (the adapter's own parser, symbol
 * mapping, decimal parsing, book sync with its checks, Avro record building) into a listener that only consumes
 * the events; the reference side runs {@code ObjectMapper.readTree} over the same received frames and does
 * nothing with the trees. The adapter side therefore does strictly more work than its reference.
 *
 * <p>Run {@link #main} ({@code --captures DIR}, required: the directory of recordings, then any JMH option) for the
 * per-frame table and the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VenueParseBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Param({"BINANCE"})
    public String venue;

    /** Set by {@link #main} from {@code --captures}: the recordings are named by the user, never built in. */
    @Param({""})
    public String capturesDir;

    List<CapturedMessage> timeline;
    List<String> frames;

    @Setup
    public void setup() throws IOException {
        if (capturesDir.isBlank()) {
            throw new IllegalStateException("no recordings directory: run main with --captures DIR");
        }
        // Websocket frames only, on both sides: that is the steady-state hot path. Recorded REST book snapshots
        // (1000 levels each on Binance, 70 % of that capture's bytes) happen once per resync live, and building a
        // book from them is book work, not parsing. Books that sync in-band (Kraken, OKX, Bybit snapshots arrive
        // on the websocket) still cost the adapter their book and checksum work, so those ratios are conservative.
        timeline = timeline(Path.of(capturesDir), Venue.parse(venue)).stream()
                .filter(m -> m.kind() == CapturedMessage.Kind.RECEIVED).toList();
        frames = timeline.stream().map(CapturedMessage::text).toList();
        if (frames.isEmpty()) {
            throw new IllegalStateException("no recorded frames for " + venue + " under " + capturesDir);
        }
    }

    /** Every readable capture of a venue in {@code dir/<venue lower case>/}, as one receive-time-ordered timeline. */
    static List<CapturedMessage> timeline(Path dir, Venue venue) throws IOException {
        Path venueDir = dir.resolve(venue.name().toLowerCase(Locale.ROOT));
        List<CapturedMessage> all = new ArrayList<>();
        if (!Files.isDirectory(venueDir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(venueDir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (CaptureReader.unsupported(name).isEmpty()
                        && CaptureReader.venueOf(name).orElse("").equals(venue.name())) {
                    all.addAll(CaptureReader.read(f).messages());
                }
            }
        }
        all.sort(Comparator.comparingLong(CapturedMessage::receiveMicros));
        return all;
    }

    @Benchmark
    public void adapter(Blackhole bh) {
        VenueReplayer replayer = VenueAdapters.definition(Venue.parse(venue)).orElseThrow()
                .replayer(new Consuming(bh), 0);
        for (CapturedMessage m : timeline) {
            replayer.onMessage(m);
        }
    }

    @Benchmark
    public void jacksonReadTree(Blackhole bh) throws IOException {
        for (String f : frames) {
            bh.consume(MAPPER.readTree(f));
        }
    }

    /** Hands every event to the blackhole, so that nothing the adapter builds can be optimized away. */
    private static final class Consuming implements VenueEventListener {
        private final Blackhole bh;

        Consuming(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onTrade(Trade trade) {
            bh.consume(trade);
        }

        @Override
        public void onQuote(Quote quote) {
            bh.consume(quote);
        }

        @Override
        public void onBook(BookUpdate update) {
            bh.consume(update);
        }

        @Override
        public void onLiquidation(Liquidation liquidation) {
            bh.consume(liquidation);
        }

        @Override
        public void onFunding(Funding funding) {
            bh.consume(funding);
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            bh.consume(status);
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            bh.consume(frame);
        }
    }

    /** Runs every venue that has an adapter and recordings, then prints µs per frame and readTree / adapter. */
    public static void main(String[] args) throws Exception {
        String captures = null;
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--captures") && i + 1 < args.length) {
                captures = args[++i];
            } else {
                jmhArgs.add(args[i]);
            }
        }
        if (captures == null) {
            System.err.println("usage: VenueParseBenchmark --captures DIR [JMH options]  (DIR holds one folder of"
                    + " recordings per venue: binance/, okx/, ...)");
            System.exit(2);
        }
        Map<String, Integer> frameCounts = new LinkedHashMap<>();
        for (Venue v : VenueAdapters.supported()) {
            long n = timeline(Path.of(captures), v).stream()
                    .filter(m -> m.kind() == CapturedMessage.Kind.RECEIVED).count();
            if (n > 0) {
                frameCounts.put(v.name(), (int) n);
            } else {
                System.out.println(v + ": no recordings under " + captures + "; skipped");
            }
        }
        Options cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        Options opts = new OptionsBuilder().parent(cli).include(VenueParseBenchmark.class.getName() + "\\.")
                .param("venue", frameCounts.keySet().toArray(String[]::new))
                .param("capturesDir", Path.of(captures).toAbsolutePath().toString()).build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, double[]> byVenue = new LinkedHashMap<>();
        for (RunResult r : results) {
            String v = r.getParams().getParam("venue");
            String bench = r.getParams().getBenchmark();
            double[] pair = byVenue.computeIfAbsent(v, k -> new double[2]);
            pair[bench.endsWith(".adapter") ? 0 : 1] = r.getPrimaryResult().getScore();
        }
        System.out.printf("%n%-16s %8s %16s %16s %10s%n", "venue", "frames", "adapter us/frame",
                "readTree us/frame", "readTree/adapter");
        byVenue.forEach((v, t) -> {
            int n = frameCounts.get(v);
            System.out.printf("%-16s %8d %16.3f %16.3f %9.2fx%n", v, n, t[0] / n, t[1] / n, t[1] / t[0]);
        });
    }
}
