package io.tickerplant.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.emulator.VenueEmulator;
import io.tickerplant.emulator.VenueEmulators;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.FrameTap;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.CaptureReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickerplant record}: one venue's raw traffic, with receive timestamps, into a file that
 * {@code tickerplant replay} reads back through the same adapters.
 *
 * <p>The format is JSON lines, one object per websocket frame or REST answer, using the line types of cryptofeed's
 * v3 capture format so that one reader serves both (documented in {@link CaptureReader#RECORDING_PREFIX}):
 * <pre>
 * {"t":"header","format":"tickerplant-record/1","venue":"BINANCE","symbols":["BTC-USDT"],"channels":["trades"],"recorded":1786310817.601629}
 * {"t":"connect","ts":1786310818.223514,"addr":"wss://.../stream?streams=..."}
 * {"t":"send","ts":...,"addr":"wss://...","data":"{...}"}
 * {"t":"recv","ts":...,"conn":"wss://...","data":"{...frame verbatim...}"}
 * {"t":"http","ts":...,"url":"https://.../depth?symbol=BTCUSDT","data":"{...body verbatim...}"}
 * </pre>
 * The adapter runs for real while recording (answering pings, resynchronizing books), so the recording holds the
 * snapshots and recoveries a replay needs; its events are only counted.
 */
@Command(name = "record", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Records one venue's raw websocket frames and REST answers, with receive timestamps, to a JSON"
                + " lines file that 'tickerplant replay' reads.",
                "Prints progress every few seconds and a summary at the end; stops after --duration or on Ctrl-C."},
        footerHeading = "%nExamples:%n",
        footer = {"  tickerplant record --venue BINANCE --symbols BTC-USDT,ETH-USDT --duration 10m",
                "  tickerplant record --venue BINANCE --emulator --duration 30s --out /tmp/rec",
                "  tickerplant replay --dry-run /tmp/rec/"})
final class RecordCommand implements Callable<Integer> {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** How long to wait for the first connection before giving up. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--venue", required = true, description = "The venue to record: ${COMPLETION-CANDIDATES}.")
    Venue venue;

    @Option(names = "--symbols", split = ",", defaultValue = "BTC-USDT,ETH-USDT", description = "Canonical symbols"
            + " (BASE-QUOTE, BASE-QUOTE-PERP). Default: ${DEFAULT-VALUE}.")
    List<String> symbols;

    @Option(names = "--channels", split = ",", description = "Channels: trades, quotes, book, liquidations,"
            + " funding. Default: every channel the venue has.")
    List<String> channels;

    @Option(names = "--duration", description = "How long to record (500ms, 30s, 5m, 1h), from the first connection."
            + " Default: until Ctrl-C.")
    String duration;

    @Option(names = "--out", defaultValue = ".", description = "Directory for the file (created if missing), or a"
            + " file name ending in .jsonl. Default: the current directory.")
    Path out;

    @Option(names = "--websocket-url", description = "Websocket base URL. Default: the venue's production endpoint.")
    URI websocketUrl;

    @Option(names = "--rest-url", description = "REST base URL. Default: the venue's production endpoint.")
    URI restUrl;

    @Option(names = "--emulator", description = "Record from the venue's built-in emulator (offline).")
    boolean emulator;

    @Option(names = "--progress-interval", defaultValue = "5s", description = "How often to print progress."
            + " Default: ${DEFAULT-VALUE}.")
    String progressInterval;

    /** What a recording held, for the summary and for tests. */
    record Summary(Path file, long frames, long restAnswers, long bytes, long trades, long bookUpdates, long gaps,
                   long rejected) {
    }

    volatile Summary summary;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration limit;
        Duration progressEvery;
        try {
            limit = duration == null ? null : PlatformConfig.parseDuration(duration);
            progressEvery = PlatformConfig.parseDuration(progressInterval);
        } catch (IllegalArgumentException e) {
            err.println("tickerplant: " + e.getMessage() + " (--duration/--progress-interval take 500ms, 30s, 5m, 1h)");
            err.flush();
            return Main.CONFIG_ERROR;
        }
        if (VenueAdapters.definition(venue).isEmpty()) {
            err.println("tickerplant: --venue " + venue + " has no adapter yet; supported: " + VenueAdapters.supported());
            err.flush();
            return Main.CONFIG_ERROR;
        }
        var problem = VenueAdapters.validateSymbols(venue, symbols);
        if (problem.isPresent()) {
            err.println("tickerplant: --symbols: " + problem.get());
            err.flush();
            return Main.CONFIG_ERROR;
        }
        Set<Channel> wanted;
        try {
            wanted = channels == null || channels.isEmpty() ? Channel.all() : EnumSet.noneOf(Channel.class);
            if (channels != null) {
                channels.forEach(c -> wanted.add(Channel.parse(c)));
            }
        } catch (IllegalArgumentException e) {
            err.println("tickerplant: --channels: " + e.getMessage());
            err.flush();
            return Main.CONFIG_ERROR;
        }
        Set<Channel> recorded = EnumSet.copyOf(wanted);
        recorded.retainAll(VenueAdapters.definition(venue).get().channels());
        if (recorded.isEmpty()) {
            err.println("tickerplant: --channels: " + venue + " has none of " + wanted + "; it has "
                    + VenueAdapters.definition(venue).get().channels());
            err.flush();
            return Main.CONFIG_ERROR;
        }
        Path file = out.toString().endsWith(".jsonl") ? out
                : out.resolve(CaptureReader.RECORDING_PREFIX + venue + "." + FILE_TIME.format(java.time.Instant.now())
                        + ".jsonl");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        List<Instrument> instruments = symbols.stream().map(Instrument::parse).toList();
        VenueEmulator emu = null;
        try (JsonLinesRecorder rec = new JsonLinesRecorder(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            if (emulator) {
                emu = VenueEmulators.start(venue.name(), new VenueEmulators.Spec(
                        instruments.stream().map(Instrument::symbol).toList(), 20, 0, System.nanoTime()));
                websocketUrl = emu.websocketUri();
                restUrl = emu.restUri();
            }
            rec.header(venue, instruments, recorded);
            Counting events = new Counting();
            FrameTap.install(rec);
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "record-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            long started = System.nanoTime();
            stdout.printf("recording %s %s (%s) to %s%s%n", venue, instruments, channelNames(recorded), file,
                    limit == null ? "; Ctrl-C stops" : " for " + duration);
            stdout.flush();
            AdapterSettings settings = new AdapterSettings(instruments, websocketUrl, restUrl, null, null, null, null,
                    Map.of(), recorded, 0);
            try (VenueAdapter adapter = VenueAdapters.create(venue, settings, events)) {
                adapter.start();
                // The duration is of recorded traffic: it starts with the first connection, so a slow connect (or
                // a loaded machine) does not eat into it.
                long deadline = Long.MAX_VALUE;
                while (true) {
                    long now = System.nanoTime();
                    long connected = rec.firstConnectNanos;
                    if (limit != null && deadline == Long.MAX_VALUE && connected != 0) {
                        deadline = connected + limit.toNanos();
                    }
                    if (connected == 0 && now - started > CONNECT_TIMEOUT.toNanos()) {
                        err.printf("tickerplant: record: no connection to %s within %d s; nothing recorded%n",
                                websocketUrl == null ? venue + "'s production endpoint" : websocketUrl,
                                CONNECT_TIMEOUT.toSeconds());
                        err.flush();
                        return 1;
                    }
                    long wait = Math.min(progressEvery.toNanos(), deadline - now);
                    if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                    stdout.printf("  %5.0f s  %s%n", (System.nanoTime() - started) / 1e9, progress(rec, events));
                    stdout.flush();
                }
            } finally {
                FrameTap.install(null);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the JVM is already stopping; the file is closed below all the same.
                }
            }
            rec.flush();
            summary = new Summary(file, rec.frames.get(), rec.http.get(), rec.bytes.get(), events.trades.get(),
                    events.books.get(), events.gaps.get(), events.rejected.get());
            stdout.printf("recorded %s in %.1f s: %s%n", file, (System.nanoTime() - started) / 1e9,
                    progress(rec, events));
            stdout.flush();
        } finally {
            if (emu != null) {
                emu.close();
            }
        }
        return 0;
    }

    private static String channelNames(Set<Channel> channels) {
        return String.join(",", channels.stream().map(Channel::configName).toList());
    }

    private static String progress(JsonLinesRecorder rec, Counting e) {
        return String.format("%d frames, %d REST answers, %d KB; %d trades, %d book updates, %d gaps, %d rejected",
                rec.frames.get(), rec.http.get(), rec.bytes.get() / 1024, e.trades.get(), e.books.get(), e.gaps.get(),
                e.rejected.get());
    }

    /** Counts what the adapter made of the traffic, for the progress lines. */
    private static final class Counting implements VenueEventListener {
        final AtomicLong trades = new AtomicLong();
        final AtomicLong books = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        @Override
        public void onTrade(Trade trade) {
            trades.incrementAndGet();
        }

        @Override
        public void onBook(BookUpdate update) {
            books.incrementAndGet();
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            if (status.getStatus() == FeedState.GAP) {
                gaps.incrementAndGet();
            }
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            rejected.incrementAndGet();
        }
    }

    /** Writes the traffic as JSON lines; synchronized because several I/O threads call it. */
    static final class JsonLinesRecorder implements FrameTap.Recorder, AutoCloseable {
        private final Writer out;
        private final JsonGenerator json;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong http = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile long firstConnectNanos;

        JsonLinesRecorder(BufferedWriter out) throws IOException {
            this.out = out;
            this.json = new JsonFactory().createGenerator(out);
            json.setRootValueSeparator(null);
        }

        synchronized void header(Venue venue, List<Instrument> instruments, Set<Channel> channels) {
            line(() -> {
                json.writeStringField("t", "header");
                json.writeStringField("format", "tickerplant-record/1");
                json.writeStringField("venue", venue.name());
                json.writeArrayFieldStart("symbols");
                for (Instrument i : instruments) {
                    json.writeString(i.symbol());
                }
                json.writeEndArray();
                json.writeArrayFieldStart("channels");
                for (Channel c : new LinkedHashSet<>(channels)) {
                    json.writeString(c.configName());
                }
                json.writeEndArray();
                json.writeFieldName("recorded");
                json.writeNumber(seconds(Micros.now()));
            });
        }

        @Override
        public synchronized void connected(String url, long micros) {
            if (firstConnectNanos == 0) {
                firstConnectNanos = System.nanoTime();
            }
            line(() -> {
                json.writeStringField("t", "connect");
                ts(micros);
                json.writeStringField("addr", url);
            });
        }

        @Override
        public synchronized void sent(String url, String text, long micros) {
            line(() -> {
                json.writeStringField("t", "send");
                ts(micros);
                json.writeStringField("addr", url);
                json.writeStringField("data", text);
            });
        }

        @Override
        public synchronized void received(String url, String text, long micros) {
            frames.incrementAndGet();
            bytes.addAndGet(text.length());
            line(() -> {
                json.writeStringField("t", "recv");
                ts(micros);
                json.writeStringField("conn", url);
                json.writeStringField("data", text);
            });
        }

        @Override
        public synchronized void http(String url, String body, long micros) {
            http.incrementAndGet();
            bytes.addAndGet(body.length());
            line(() -> {
                json.writeStringField("t", "http");
                ts(micros);
                json.writeStringField("url", url);
                json.writeStringField("data", body);
            });
        }

        private void ts(long micros) throws IOException {
            json.writeFieldName("ts");
            json.writeNumber(seconds(micros));
        }

        /** Epoch seconds with exactly six decimals, as text: a double would lose the last microsecond digits. */
        private static java.math.BigDecimal seconds(long micros) {
            return java.math.BigDecimal.valueOf(micros, 6);
        }

        private interface Fields {
            void write() throws IOException;
        }

        private void line(Fields fields) {
            try {
                json.writeStartObject();
                fields.write();
                json.writeEndObject();
                json.flush();
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void flush() throws IOException {
            json.flush();
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            json.close();
        }
    }
}
