package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Alert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes alerts ({@code tp.alerts}) into {@code alerts}, at most once per (symbol, event time, kind): batched
 * INSERT ... ON CONFLICT DO NOTHING. Not thread-safe.
 */
public final class AlertWriter extends BatchStatementWriter<Alert> {
    private static final String INSERT = "INSERT INTO alerts (symbol, event_time, kind, active, detail, value,"
        + " threshold) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    public AlertWriter(ConnectionFactory connections) {
        super(connections, "alerts");
    }

    @Override
    Instant partitionTime(Alert a) {
        return a.getEventTime();
    }

    @Override
    String sql() {
        return INSERT;
    }

    @Override
    void bind(Connection c, PreparedStatement ps, Alert a) throws SQLException {
        ps.setString(1, a.getSymbol());
        ps.setObject(2, Rows.timestamptz(a.getEventTime()));
        ps.setString(3, a.getKind().name());
        ps.setBoolean(4, a.getActive());
        ps.setString(5, a.getDetail());
        ps.setBigDecimal(6, Decimals.toBigDecimal(a.getValue()));
        ps.setBigDecimal(7, Decimals.toBigDecimal(a.getThreshold()));
    }
}
