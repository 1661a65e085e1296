package io.tickerplant.store;

/**
 * A trade in a batch cannot be stored as it is (a missing field, a NUL character in a text, a value outside what
 * PostgreSQL can hold). Thrown before anything is sent, so the batch is untouched: the caller can dead-letter the
 * trade at {@link #index()} and write the others.
 */
public final class InvalidTradeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int index;

    public InvalidTradeException(int index, String reason) {
        super("trade #" + index + " in the batch cannot be stored: " + reason);
        this.index = index;
    }

    /** Position of the offending trade in the batch. */
    public int index() {
        return index;
    }
}
