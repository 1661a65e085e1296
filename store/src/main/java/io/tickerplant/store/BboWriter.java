package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Decimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Writes consolidated BBO updates into {@code bbo}, one row per {@code (symbol, event_time)}; the last update at an
 * instant wins, so a redelivered batch rewrites the same values. See {@link BatchStatementWriter} for batching,
 * failures and reconnection. Not thread-safe.
 */
public final class BboWriter extends BatchStatementWriter<Bbo> {
    private static final String UPSERT = "INSERT INTO bbo (symbol, event_time, best_bid, best_bid_size, best_bid_venue,"
        + " best_ask, best_ask_size, best_ask_venue, spread, spread_bps, crossed, venues, excluded)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT ON CONSTRAINT bbo_pkey DO UPDATE SET best_bid = excluded.best_bid,"
        + " best_bid_size = excluded.best_bid_size, best_bid_venue = excluded.best_bid_venue,"
        + " best_ask = excluded.best_ask, best_ask_size = excluded.best_ask_size,"
        + " best_ask_venue = excluded.best_ask_venue, spread = excluded.spread, spread_bps = excluded.spread_bps,"
        + " crossed = excluded.crossed, venues = excluded.venues, excluded = excluded.excluded,"
        + " ingest_time = now()";

    private record Key(String symbol, Instant eventTime) {
    }

    public BboWriter(ConnectionFactory connections) {
        super(connections, "bbo");
    }

    /** Why this update cannot be stored, or null if it can. Lets a caller set bad records aside before writing. */
    public static String problemWith(Bbo b) {
        if (b == null) {
            return "null BBO";
        }
        String p = Rows.text("symbol", b.getSymbol());
        if (p == null) {
            p = Rows.time("eventTime", b.getEventTime());
        }
        if (p == null && (b.getVenues() == null || b.getExcluded() == null)) {
            p = "venues or excluded is missing";
        }
        return p;
    }

    @Override
    Instant partitionTime(Bbo r) {
        return r.getEventTime();
    }

    @Override
    String sql() {
        return UPSERT;
    }

    @Override
    Object key(Bbo b) {
        return new Key(b.getSymbol(), b.getEventTime());
    }

    @Override
    String problemOf(Bbo b) {
        return problemWith(b);
    }

    @Override
    void bind(Connection c, PreparedStatement ps, Bbo b) throws SQLException {
        ps.setString(1, b.getSymbol());
        ps.setObject(2, Rows.timestamptz(b.getEventTime()));
        numeric(ps, 3, b.getBestBid());
        numeric(ps, 4, b.getBestBidSize());
        ps.setString(5, b.getBestBidVenue());
        numeric(ps, 6, b.getBestAsk());
        numeric(ps, 7, b.getBestAskSize());
        ps.setString(8, b.getBestAskVenue());
        numeric(ps, 9, b.getSpread());
        if (b.getSpreadBps() == null || !Double.isFinite(b.getSpreadBps())) {
            ps.setNull(10, Types.DOUBLE);
        } else {
            ps.setDouble(10, b.getSpreadBps());
        }
        ps.setBoolean(11, b.getCrossed());
        ps.setArray(12, c.createArrayOf("text", b.getVenues().toArray()));
        ps.setArray(13, c.createArrayOf("text", b.getExcluded().toArray()));
    }

    private static void numeric(PreparedStatement ps, int i, Decimal d) throws SQLException {
        ps.setBigDecimal(i, d == null ? null : Decimals.toBigDecimal(d));
    }
}
