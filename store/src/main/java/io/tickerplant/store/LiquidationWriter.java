package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Liquidation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes liquidations ({@code tp.liquidations}) into {@code liquidations}; a redelivered record lands on the
 * primary key and is skipped (ON CONFLICT DO NOTHING). Not thread-safe.
 */
public final class LiquidationWriter extends BatchStatementWriter<Liquidation> {
    private static final String INSERT = "INSERT INTO liquidations (venue, symbol, venue_symbol, event_time, side,"
        + " price, quantity, liquidation_id, receive_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    public LiquidationWriter(ConnectionFactory connections) {
        super(connections, "liquidations");
    }

    @Override
    String sql() {
        return INSERT;
    }

    @Override
    void bind(Connection c, PreparedStatement ps, Liquidation l) throws SQLException {
        ps.setString(1, l.getVenue());
        ps.setString(2, l.getSymbol());
        ps.setString(3, l.getVenueSymbol());
        ps.setObject(4, Rows.timestamptz(l.getEventTime()));
        ps.setString(5, l.getSide().name());
        ps.setBigDecimal(6, Decimals.toBigDecimal(l.getPrice()));
        ps.setBigDecimal(7, Decimals.toBigDecimal(l.getQuantity()));
        ps.setString(8, l.getLiquidationId());
        ps.setObject(9, Rows.timestamptz(l.getReceiveTime()));
    }
}
