package io.tickerplant.model;

import java.time.Clock;
import java.time.Instant;

/** Times are epoch microseconds, UTC, everywhere in the pipeline. */
public final class Micros {
    private Micros() {
    }

    public static long now() {
        Instant i = Clock.systemUTC().instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    public static long of(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    public static long ofMillis(long millis) {
        return Math.multiplyExact(millis, 1_000L);
    }
}
