package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Funding;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes mark price and funding updates ({@code tp.funding}) into {@code funding}, the last update per (venue,
 * symbol, event time) winning. Not thread-safe.
 */
public final class FundingWriter extends BatchStatementWriter<Funding> {
    private static final String UPSERT = "INSERT INTO funding (venue, symbol, venue_symbol, event_time, mark_price,"
        + " index_price, funding_rate, next_funding_time, receive_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT ON CONSTRAINT funding_pkey DO UPDATE SET mark_price = excluded.mark_price,"
        + " index_price = excluded.index_price, funding_rate = excluded.funding_rate,"
        + " next_funding_time = excluded.next_funding_time, receive_time = excluded.receive_time";

    public FundingWriter(ConnectionFactory connections) {
        super(connections, "funding");
    }

    @Override
    String sql() {
        return UPSERT;
    }

    @Override
    Object key(Funding f) {
        return List.of(f.getVenue(), f.getSymbol(), f.getEventTime());
    }

    @Override
    void bind(Connection c, PreparedStatement ps, Funding f) throws SQLException {
        ps.setString(1, f.getVenue());
        ps.setString(2, f.getSymbol());
        ps.setString(3, f.getVenueSymbol());
        ps.setObject(4, Rows.timestamptz(f.getEventTime()));
        ps.setBigDecimal(5, exact(f.getMarkPrice()));
        ps.setBigDecimal(6, exact(f.getIndexPrice()));
        ps.setBigDecimal(7, exact(f.getFundingRate()));
        ps.setObject(8, f.getNextFundingTime() == null ? null : Rows.timestamptz(f.getNextFundingTime()));
        ps.setObject(9, Rows.timestamptz(f.getReceiveTime()));
    }

    private static BigDecimal exact(Decimal d) {
        return d == null ? null : Decimals.toBigDecimal(d);
    }
}
