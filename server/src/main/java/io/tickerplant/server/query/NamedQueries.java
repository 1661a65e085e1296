package io.tickerplant.server.query;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The named queries a server offers and the limits every one of them runs under.
 *
 * @param catalog the queries
 * @param statementTimeout how long one query may run before PostgreSQL cancels it
 * @param maxRows the most rows one request returns (the largest {@code limit}); further rows are on later pages
 */
public record NamedQueries(QueryCatalog catalog, Duration statementTimeout, int maxRows) {

    /** The default of {@code queries.statement.timeout}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    /** The default of {@code queries.max.rows}. */
    public static final int DEFAULT_MAX_ROWS = 1000;

    public NamedQueries {
        Objects.requireNonNull(catalog, "catalog");
        if (statementTimeout.isNegative() || statementTimeout.isZero() || statementTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("statementTimeout must be from 1 ms to 24 days: " + statementTimeout);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
        }
    }

    /** The built-in queries with the default limits. */
    public static NamedQueries builtIn() {
        return new NamedQueries(QueryCatalog.builtIn(), DEFAULT_STATEMENT_TIMEOUT, DEFAULT_MAX_ROWS);
    }

    /**
     * The built-in queries plus those of {@code userFile}.
     *
     * @throws QueryFileException naming the file, the query and what is wrong
     */
    public static NamedQueries load(Optional<Path> userFile, Duration statementTimeout, int maxRows) {
        return new NamedQueries(QueryCatalog.load(userFile), statementTimeout, maxRows);
    }

    /** The timeout as people write it: {@code 5s}, {@code 1500ms}. */
    public String statementTimeoutText() {
        long ms = statementTimeout.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
