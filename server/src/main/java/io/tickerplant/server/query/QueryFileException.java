package io.tickerplant.server.query;

/**
 * A queries file cannot be used. The message is for the person who wrote it: the file, the query and what is wrong,
 * printed without a stack trace.
 */
public final class QueryFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueryFileException(String message) {
        super(message);
    }
}
