package io.tickerplant.server.query;

import io.tickerplant.server.query.QueryFailedException.Kind;
import io.tickerplant.store.ConnectionFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a named query: in a transaction that is READ ONLY and has a statement timeout, with every parameter bound, and
 * reads one page of its rows. The transaction is always rolled back: nothing a named query does is kept.
 *
 * <p>Pages are counted in rows from the start of the result ({@code offset}). A query's rows have no key that this
 * class could page by, so a later page is the same query run again with the first {@code offset} rows skipped;
 * PostgreSQL is told to stop after {@code offset + limit + 1} rows. Rows that arrive in between shift the pages of a
 * query ordered newest first, which is the price of paging any SQL; {@code /api/trades} pages by key instead.
 */
public final class QueryRunner {

    private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);
    /** Rows fetched per round trip: a deep page streams through instead of being held whole by the driver. */
    private static final int FETCH_SIZE = 500;

    /** One column of the result: its name and PostgreSQL type. */
    public record Column(String name, String type) {
    }

    /** One page of rows, each a map from column name to its JSON value ({@link ColumnValues}). */
    public record Page(List<Column> columns, List<Map<String, Object>> rows, boolean more) {
    }

    private final ConnectionFactory db;
    private final NamedQueries settings;

    public QueryRunner(ConnectionFactory db, NamedQueries settings) {
        this.db = db;
        this.settings = settings;
    }

    /**
     * @param values the typed value of every parameter of {@code query} (null for SQL NULL)
     * @param offset rows to skip
     * @param limit rows to return at most; {@link Page#more()} says whether there were more
     * @throws QueryFailedException when PostgreSQL refuses or cancels the query, or the database is unreachable
     */
    public Page run(NamedQuery query, Map<String, Object> values, long offset, int limit) {
        Connection c;
        try {
            c = db.connect();
        } catch (SQLException e) {
            throw new QueryFailedException(query.name(), Kind.UNAVAILABLE, "query '" + query.name()
                    + "' cannot run: the database is unreachable (" + e.getMessage() + ")");
        }
        try (c) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                try (Statement st = c.createStatement()) {
                    // Said explicitly, not left to the driver's readOnly mode: this is the guarantee, not a hint.
                    st.execute("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = "
                            + settings.statementTimeout().toMillis());
                }
                return page(c, query, values, offset, limit, System.nanoTime() + settings.statementTimeout().toNanos());
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw failure(query, e);
        }
    }

    /**
     * @param deadline {@link System#nanoTime()} by which the page must be read. PostgreSQL restarts the statement
     *     timeout for every fetch of a cursor, so a query that trickles rows out is stopped here too.
     */
    private Page page(Connection c, NamedQuery query, Map<String, Object> values, long offset, int limit,
            long deadline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query.jdbcSql())) {
            int index = 1;
            for (String name : query.parsed().placeholders()) {
                ParameterType type = query.parameter(name).orElseThrow().type();
                type.bindValue(ps, index++, values.get(name));
            }
            ps.setMaxRows((int) Math.min(Integer.MAX_VALUE, offset + limit + 1));
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                List<Column> columns = columns(query, rs.getMetaData());
                for (long skipped = 0; skipped < offset; skipped++) {
                    if (!rs.next()) {
                        return new Page(columns, List.of(), false);
                    }
                    checkDeadline(query, deadline, skipped);
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rows.size() < limit && rs.next()) {
                    checkDeadline(query, deadline, rows.size());
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i).name(), ColumnValues.read(rs, i + 1, columns.get(i).type()));
                    }
                    rows.add(row);
                }
                return new Page(columns, rows, rows.size() == limit && rs.next());
            }
        }
    }

    private void checkDeadline(NamedQuery query, long deadline, long row) {
        if (row % FETCH_SIZE == 0 && System.nanoTime() - deadline > 0) {
            throw timeout(query);
        }
    }

    private QueryFailedException timeout(NamedQuery query) {
        return new QueryFailedException(query.name(), Kind.TIMEOUT, "query '" + query.name() + "' exceeded the"
                + " statement timeout of " + settings.statementTimeoutText() + ": narrow its parameters");
    }

    private static List<Column> columns(NamedQuery query, ResultSetMetaData md) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            if (columns.stream().anyMatch(col -> col.name().equals(name))) {
                throw new QueryFailedException(query.name(), Kind.BROKEN, "query '" + query.name()
                        + "' returns two columns named '" + name + "': give them distinct aliases in "
                        + query.source());
            }
            columns.add(new Column(name, md.getColumnTypeName(i)));
        }
        return columns;
    }

    private QueryFailedException failure(NamedQuery query, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String name = query.name();
        String detail = firstLine(e.getMessage());
        if (state.equals("57014")) {
            return timeout(query);
        }
        if (state.equals("25006")) {
            return new QueryFailedException(name, Kind.WRITE_REFUSED, "query '" + name + "' was refused: named"
                    + " queries run in a read-only transaction (" + detail + ")");
        }
        if (state.startsWith("22")) {
            return new QueryFailedException(name, Kind.BAD_INPUT, "query '" + name + "' failed on these parameters: "
                    + detail);
        }
        if (state.startsWith("08")) {
            return new QueryFailedException(name, Kind.UNAVAILABLE, "query '" + name + "' lost the database: "
                    + detail);
        }
        if (state.equals("02000")) {
            return new QueryFailedException(name, Kind.BROKEN, "query '" + name + "' returns no rows at all: a"
                    + " named query must be a SELECT (defined in " + query.source() + ")");
        }
        log.warn("named query '{}' from {} failed: {} (SQLSTATE {})", name, query.source(), detail, state);
        return new QueryFailedException(name, Kind.BROKEN, "query '" + name + "' failed: " + detail
                + " (SQLSTATE " + state + "; defined in " + query.source() + ")");
    }

    /** PostgreSQL's message without the driver's "Where:"/"Position:" lines. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
