package io.tickerplant.emulator.reference;

/** A bad answer {@link ReferenceEmulator#inject} makes a source give instead of its next good one. */
public enum ReferenceFault {
    /** HTTP 429 with {@code Retry-After}. */
    RATE_LIMITED,
    /** HTTP 500. */
    SERVER_ERROR,
    /** The good answer cut in half: not JSON. */
    MALFORMED_JSON,
    /** A price (or oracle answer) of 0. */
    ZERO_PRICE,
    /** A negative price (or oracle answer): -1. */
    NEGATIVE_PRICE,
    /** The update time a day in the past. */
    STALE,
    /** Chainlink only: the JSON-RPC error a node returns for a reverted call. */
    REVERTED
}
