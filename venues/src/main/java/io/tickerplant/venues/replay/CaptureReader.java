package io.tickerplant.venues.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the capture formats of {@code captures/README.md} into {@link CapturedMessage}s, in file order.
 *
 * <p>Format A (cryptofeed legacy, {@code cryptofeed_<VENUE>.*.txt}): {@code <ts>: <frame>} received frames,
 * {@code URL -> <ts>: <body>} REST answers, {@code URL <-> <ts>} connections, {@code URL <- <ts>: <frame>} sent
 * frames, a final {@code configuration:} line. A received frame belongs to the last connection opened in the file.
 * Format B (cryptofeed v3 JSONL, {@code cryptofeed-v3_<VENUE>.*.jsonl}): one object per line, {@code t} =
 * header | http | connect | send | recv, the frame as a JSON string in {@code data}; {@code tickerplant record}
 * writes the same ({@code tickerplant_<VENUE>.*.jsonl}). Lines that are neither are
 * counted as unreadable with the reason, never thrown: one bad line must not hide the rest of a recording.
 */
public final class CaptureReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * File name prefix of {@code tickerplant record} output. Its format is format B's line types (header, connect,
     * send, recv, http; {@code ts} epoch seconds with microseconds; {@code data} the frame verbatim as a JSON
     * string; {@code conn} of a recv line is the websocket URL itself), so one reader serves both.
     */
    public static final String RECORDING_PREFIX = "tickerplant_";

    private CaptureReader() {
    }

    /** The capture formats. */
    public enum Format {
        /** cryptofeed legacy text lines. */
        CRYPTOFEED_A,
        /** cryptofeed v3 JSON lines. */
        CRYPTOFEED_B_JSONL
    }

    /**
     * What a file held.
     *
     * @param lines non-blank lines read
     * @param control lines that are neither frames nor REST answers (headers, configuration)
     * @param unreadable per reason, lines that could not be read
     */
    public record Capture(Path file, String venue, Format format, List<CapturedMessage> messages, long lines,
                          long control, Map<String, Long> unreadable) {
    }

    /**
     * The venue id a capture file name carries ({@code cryptofeed_BINANCE_FUTURES.ws.1.0.txt} → BINANCE_FUTURES),
     * or empty for a name that is not a capture of a supported format; the reason is in {@link #unsupported}.
     */
    public static Optional<String> venueOf(String fileName) {
        if (unsupported(fileName).isPresent()) {
            return Optional.empty();
        }
        int start = fileName.indexOf('_') + 1;
        int dot = fileName.indexOf('.', start);
        return dot > start ? Optional.of(fileName.substring(start, dot).toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    /** Why a file name is not a capture this reader can read, or empty when it is. */
    public static Optional<String> unsupported(String fileName) {
        if (fileName.endsWith(".zst") || fileName.endsWith(".gz")) {
            return Optional.of("compressed; decompress it first (zstd -dc FILE > FILE.jsonl)");
        }
        if (fileName.startsWith("cryptofeed_") && fileName.endsWith(".txt")) {
            return Optional.empty();
        }
        if ((fileName.startsWith("cryptofeed-v3_") || fileName.startsWith(RECORDING_PREFIX))
                && fileName.endsWith(".jsonl")) {
            return Optional.empty();
        }
        return Optional.of("not a capture (cryptofeed_<VENUE>.*.txt, cryptofeed-v3_<VENUE>.*.jsonl or "
                + RECORDING_PREFIX + "<VENUE>.*.jsonl)");
    }

    /** Reads a whole capture file. */
    public static Capture read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String venue = venueOf(name).orElseThrow(() -> new IllegalArgumentException(
                name + ": " + unsupported(name).orElse("no venue in the file name")));
        Format format = name.endsWith(".jsonl") ? Format.CRYPTOFEED_B_JSONL : Format.CRYPTOFEED_A;
        Reading r = new Reading();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                r.lines++;
                if (format == Format.CRYPTOFEED_A) {
                    r.formatA(line);
                } else {
                    r.formatB(line);
                }
            }
        }
        return new Capture(file, venue, format, r.messages, r.lines, r.control, r.unreadable);
    }

    private static final class Reading {
        final List<CapturedMessage> messages = new ArrayList<>();
        final Map<String, Long> unreadable = new TreeMap<>();
        final Map<String, String> connections = new HashMap<>();
        String connection;
        long lines;
        long control;

        void formatA(String line) {
            if (line.startsWith("configuration: ")) {
                control++;
                return;
            }
            if (line.startsWith("wss://") || line.startsWith("ws://")) {
                int open = line.indexOf(" <-> ");
                if (open > 0) {
                    connection = line.substring(0, open);
                    add(CapturedMessage.Kind.CONNECT, connection, "", line.substring(open + 5));
                    return;
                }
                int sent = line.indexOf(" <- ");
                int colon = sent < 0 ? -1 : line.indexOf(": ", sent);
                if (colon < 0) {
                    bad("unreadable connection line (no ' <-> <ts>' or ' <- <ts>: ')");
                    return;
                }
                add(CapturedMessage.Kind.SENT, line.substring(0, sent), line.substring(colon + 2),
                        line.substring(sent + 4, colon));
                return;
            }
            if (line.startsWith("https://") || line.startsWith("http://")) {
                int arrow = line.indexOf(" -> ");
                int colon = arrow < 0 ? -1 : line.indexOf(": ", arrow);
                if (colon < 0) {
                    bad("unreadable REST line (no ' -> <ts>: ')");
                    return;
                }
                add(CapturedMessage.Kind.HTTP, line.substring(0, arrow), line.substring(colon + 2),
                        line.substring(arrow + 4, colon));
                return;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                bad("unreadable line (no '<ts>: ')");
                return;
            }
            add(CapturedMessage.Kind.RECEIVED, connection, line.substring(colon + 2), line.substring(0, colon));
        }

        void formatB(String line) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                bad("unreadable JSON line");
                return;
            }
            String t = n.path("t").asText("");
            String conn = n.path("conn").asText(null);
            String ts = n.path("ts").asText("");
            switch (t) {
                case "header" -> control++;
                case "connect" -> {
                    String addr = n.path("addr").asText(conn);
                    if (conn != null) {
                        connections.put(conn, addr);
                    }
                    add(CapturedMessage.Kind.CONNECT, addr, "", ts);
                }
                case "send" -> add(CapturedMessage.Kind.SENT, n.path("addr").asText(connections.get(conn)),
                        n.path("data").asText(""), ts);
                case "recv" -> add(CapturedMessage.Kind.RECEIVED, conn == null ? null
                        : connections.getOrDefault(conn, conn), n.path("data").asText(""), ts);
                case "http" -> add(CapturedMessage.Kind.HTTP, n.path("url").asText(""), n.path("data").asText(""),
                        ts);
                default -> bad("unknown line type t='" + t + "'");
            }
        }

        private void add(CapturedMessage.Kind kind, String conn, String text, String ts) {
            double seconds;
            try {
                seconds = Double.parseDouble(ts.trim());
            } catch (NumberFormatException e) {
                bad("unreadable receive time '" + (ts.length() > 20 ? ts.substring(0, 20) + "..." : ts) + "'");
                return;
            }
            messages.add(new CapturedMessage(kind, conn, text, (long) Math.floor(seconds * 1_000_000d)));
        }

        private void bad(String reason) {
            unreadable.merge(reason, 1L, Long::sum);
        }
    }
}
