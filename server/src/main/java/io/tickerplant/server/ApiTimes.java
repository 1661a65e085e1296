package io.tickerplant.server;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How every endpoint reads a time parameter, so that {@code from=} means the same in {@code /api/candles} and in a
 * named query: ISO-8601 with an offset ({@code 2026-05-01T12:00:00Z}), a date (its UTC midnight) or epoch
 * milliseconds.
 */
public final class ApiTimes {
    private ApiTimes() {
    }

    /** What a valid value looks like, for error messages. */
    public static final String EXPECTED = "ISO-8601 (2026-05-01T12:00:00Z) or epoch milliseconds";

    /**
     * @throws IllegalArgumentException naming the value and what is expected
     */
    public static Instant parse(String raw) {
        String t = raw.trim();
        try {
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + raw + "' is neither ISO-8601 (2026-05-01T12:00:00Z)"
                    + " nor epoch milliseconds");
        }
    }
}
