package io.tickerplant.store;

import io.tickerplant.store.copy.PgCopyBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Checks and conversions shared by the row writers. */
final class Rows {
    private Rows() {
    }

    /** Null when {@code s} can be stored as text, else why not. */
    static String text(String field, String s) {
        if (s == null) {
            return field + " is missing";
        }
        return s.indexOf('\0') >= 0 ? field + " contains a NUL character" : null;
    }

    /** Null when {@code t} fits a PostgreSQL timestamp, else why not. */
    static String time(String field, Instant t) {
        if (t == null) {
            return field + " is missing";
        }
        if (t.getEpochSecond() < PgCopyBuffer.MIN_TIMESTAMP_EPOCH_SECOND
            || t.getEpochSecond() >= PgCopyBuffer.END_TIMESTAMP_EPOCH_SECOND) {
            return field + " " + t + " is outside PostgreSQL's timestamp range";
        }
        return null;
    }

    /** UTC, so the value never depends on the JVM's or the session's time zone. */
    static OffsetDateTime timestamptz(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** Appends {@code s} as a JSON string literal. */
    static void jsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
