package io.tickerplant.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * How fast and how far behind the sink writes, measured in the database itself: each trade row carries the local
 * receive time (set by the source when the frame arrived) and the ingest time (set by PostgreSQL when the row was
 * written), so their difference is the whole way from the venue socket through Kafka and Connect to the table.
 */
public final class SinkQueries {
    private SinkQueries() {
    }

    /**
     * Trades written in the last {@code window}: how many, and the receive-to-ingest latency's median and 99th
     * percentile in milliseconds (null when no row was written).
     */
    public record SinkLatency(long rows, Double p50Ms, Double p99Ms) {
    }

    /**
     * The latency of the trades ingested within {@code window} of now. Rows whose event time is more than
     * {@code window} + 5 minutes old are left out: that bound lets the planner skip every older daily partition and
     * use the BRIN index, and such rows are replays or backfills, whose latency says nothing about the live path.
     * A statement timeout keeps this monitoring query from ever weighing on the database: over it, it fails.
     */
    public static SinkLatency tradeLatency(Connection c, Duration window, Duration statementTimeout)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // SET LOCAL lasts for this transaction only
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
            }
            String sql = "SELECT count(*),"
                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)"
                    + " FROM (SELECT extract(epoch FROM ingest_time - receive_time) * 1000 AS ms FROM trades"
                    + " WHERE event_time >= now() - ?::interval AND ingest_time >= now() - ?::interval) r";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                long ms = window.toMillis();
                ps.setString(1, (ms + Duration.ofMinutes(5).toMillis()) + " milliseconds");
                ps.setString(2, ms + " milliseconds");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long rows = rs.getLong(1);
                    double p50 = rs.getDouble(2);
                    Double p50Ms = rs.wasNull() ? null : p50;
                    double p99 = rs.getDouble(3);
                    Double p99Ms = rs.wasNull() ? null : p99;
                    return new SinkLatency(rows, p50Ms, p99Ms);
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }
}
