package io.tickerplant.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer's database session: opened on first use with the writer's own per-connection setup, rolled back after
 * a failed write, replaced after a lost connection, closed once. Every writer in this package holds one, so what
 * happens to a connection when a write fails is decided in one place. Not thread-safe, like the writers.
 */
final class WriterSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriterSession.class);

    /** Prepares a new connection (session settings, temp tables, statements); runs with auto-commit on. */
    @FunctionalInterface
    interface Setup {
        void prepare(Connection c) throws SQLException;
    }

    private final ConnectionFactory connections;
    private final Setup setup;
    private final boolean checkBeforeUse;
    private Connection connection;

    /**
     * @param checkBeforeUse ask the server whether the connection is alive before each use: a round trip, cheap at
     *     low write rates, that turns a connection which died between batches into a reconnect instead of a failed
     *     batch
     */
    WriterSession(ConnectionFactory connections, Setup setup, boolean checkBeforeUse) {
        this.connections = connections;
        this.setup = setup;
        this.checkBeforeUse = checkBeforeUse;
    }

    /** The session's connection, in a transaction (auto-commit off), opened and prepared if needed. */
    Connection connection() throws SQLException {
        if (connection != null && checkBeforeUse && !connection.isValid(5)) {
            log.warn("Database connection was lost; reconnecting");
            drop();
        }
        if (connection == null) {
            Connection c = connections.connect();
            try {
                c.setAutoCommit(true);
                setup.prepare(c);
                c.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    boolean isOpen() {
        return connection != null;
    }

    /** After a failed write: rolls back, or drops a broken connection so that the next write opens a new one. */
    void abort(Exception cause) {
        if (connection == null) {
            return;
        }
        boolean broken = SqlErrors.isConnectionLost(cause);
        if (!broken) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                cause.addSuppressed(e);
                broken = true;
            }
        }
        if (broken) {
            log.warn("Database connection lost ({}); reconnecting on the next write", SqlErrors.describe(cause));
            drop();
        }
    }

    private void drop() {
        closeQuietly(connection);
        connection = null;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing left to release
        }
    }

    /** Closes the connection (a session's temp tables go with it). */
    @Override
    public void close() {
        if (connection != null) {
            drop();
        }
    }
}
