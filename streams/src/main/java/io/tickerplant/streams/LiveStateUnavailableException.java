package io.tickerplant.streams;

/**
 * The state stores cannot answer now: the application is starting, rebalancing, restoring the stores from their
 * changelogs, or stopping. Asking again a little later is the remedy; an HTTP API answers 503.
 */
public final class LiveStateUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LiveStateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
