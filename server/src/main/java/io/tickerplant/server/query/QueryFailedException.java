package io.tickerplant.server.query;

/**
 * A named query could not give its rows. The message is for the API's caller (it names the query and says what
 * happened, never with a stack trace); {@link #kind()} says whose the problem is, which the web layer turns into a
 * status.
 */
public final class QueryFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the query failed. */
    public enum Kind {
        /** It ran past the statement timeout: try a narrower range, or ask for a longer timeout. */
        TIMEOUT,
        /** It tried to change data (or anything else a read-only transaction refuses). */
        WRITE_REFUSED,
        /** PostgreSQL refused a value computed from the parameters (division by zero, out of range, ...). */
        BAD_INPUT,
        /** The query itself is wrong: no result set, an unknown table, two columns of one name, ... */
        BROKEN,
        /** The database cannot be reached. */
        UNAVAILABLE
    }

    private final String query;
    private final Kind kind;

    public QueryFailedException(String query, Kind kind, String message) {
        super(message);
        this.query = query;
        this.kind = kind;
    }

    public String query() {
        return query;
    }

    public Kind kind() {
        return kind;
    }
}
