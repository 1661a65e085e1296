package io.tickerplant.venues.coinbase;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Coinbase's RFC 3339 UTC times ({@code 2026-08-09T21:05:48.228568804Z}, fraction of 0 to 9 digits) to epoch
 * microseconds without the formatter machinery of {@code Instant.parse}: every frame carries at least one of them,
 * so the parse path pays for it on every message. Digits beyond microseconds are truncated. Anything else in the
 * usual form (an offset other than {@code Z}) goes through {@link OffsetDateTime#parse}.
 */
final class CoinbaseTime {
    private CoinbaseTime() {
    }

    /** Epoch microseconds, or {@link Long#MIN_VALUE} when the text is not such a time. */
    static long parseMicros(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return slow(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        long micros = 0;
        int i = 19;
        if (i < n - 1) {
            if (s.charAt(i) != '.' || n - 1 - (i + 1) < 1) {
                return Long.MIN_VALUE;
            }
            int scale = 0;
            for (i = i + 1; i < n - 1; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return Long.MIN_VALUE;
                }
                if (scale < 6) {
                    micros = micros * 10 + (c - '0');
                    scale++;
                }
            }
            for (; scale < 6; scale++) {
                micros *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second;
        return seconds * 1_000_000L + micros;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long slow(String s) {
        try {
            java.time.Instant t = OffsetDateTime.parse(s).toInstant();
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        } catch (DateTimeException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }
}
