package io.tickerplant.venues.reference;

import java.time.Duration;
import java.util.Objects;

/**
 * A reference source's answer that must not become a price: an HTTP error, a rate limit, malformed JSON, a reverted
 * contract call, a price that is not positive, a stale update time. The message names the field at fault; the raw
 * body travels along for the dead-letter topic.
 */
public final class ReferenceRejection extends Exception {

    /** What was wrong. {@link #STALE} becomes a STALE feed status, everything else a GAP. */
    public enum Kind {
        /** HTTP status other than 2xx, or no response at all. */
        HTTP,
        /** 429: the caller should wait {@link #retryAfter()} before asking again. */
        RATE_LIMITED,
        /** Not JSON, or JSON without the expected fields, or ABI data of the wrong shape. */
        MALFORMED,
        /** The contract call reverted (JSON-RPC error with code 3 or "execution reverted"). */
        REVERTED,
        /** Any other JSON-RPC error object. */
        RPC_ERROR,
        /** A price of zero or less. */
        NOT_POSITIVE,
        /** The source's own update time is older than the allowed maximum age, or missing. */
        STALE,
        /** A value that does not fit the model (an answer beyond 18 digits, a time beyond the year 292277026596). */
        OUT_OF_RANGE,
        /** The source answered for something else than configured (a feed whose description names another pair). */
        MISMATCH
    }

    private final Kind kind;
    private final String field;
    private final String raw;
    private final Duration retryAfter;

    public ReferenceRejection(Kind kind, String field, String reason, String raw) {
        this(kind, field, reason, raw, null, null);
    }

    public ReferenceRejection(Kind kind, String field, String reason, String raw, Duration retryAfter,
                              Throwable cause) {
        super(field + ": " + reason, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = Objects.requireNonNull(field, "field");
        this.raw = raw == null ? "" : raw;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The field (or {@code http}, {@code body}) the reason is about. */
    public String field() {
        return field;
    }

    /** The body exactly as received, or what is known about the failure when there was no body. */
    public String raw() {
        return raw;
    }

    /** How long the source asked us to wait (429 Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean stale() {
        return kind == Kind.STALE;
    }

    /** The same rejection carrying the whole response body, for decoders that only saw part of it. */
    public ReferenceRejection withRaw(String body) {
        ReferenceRejection r = new ReferenceRejection(kind, field, getMessage().substring(field.length() + 2), body,
                retryAfter, getCause());
        r.setStackTrace(getStackTrace());
        return r;
    }
}
