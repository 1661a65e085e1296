package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Read queries on {@code trades}, for tests and the API. Each takes a connection the caller owns. Values come
 * back exactly as stored: numerics with their scale, times to the microsecond.
 */
public final class TradeQueries {
    private TradeQueries() {
    }

    private static final String COLUMNS =
        "venue, symbol, venue_symbol, event_time, receive_time, trade_id, price, size, side";

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trades");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static long count(Connection c, String venue, String symbol) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trades WHERE venue = ? AND symbol = ?")) {
            ps.setString(1, venue);
            ps.setString(2, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The stored trade ids of one instrument on one venue, in event-time order. */
    public static List<String> tradeIds(Connection c, String venue, String symbol) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT trade_id FROM trades WHERE venue = ? AND symbol = ?"
            + " ORDER BY event_time, trade_id")) {
            ps.setString(1, venue);
            ps.setString(2, symbol);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /**
     * The newest {@code limit} trades of a symbol across all venues, newest first. Trades in the same millisecond
     * are ordered by id, longest first, so numeric ids (most venues') compare as numbers, not as text.
     */
    public static List<Trade> latest(Connection c, String symbol, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM trades WHERE symbol = ?"
            + " ORDER BY event_time DESC, venue, length(trade_id) DESC, trade_id DESC LIMIT ?")) {
            ps.setString(1, symbol);
            ps.setInt(2, limit);
            List<Trade> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Trade(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        rs.getString(6),
                        Decimals.of(rs.getBigDecimal(7)),
                        Decimals.of(rs.getBigDecimal(8)),
                        Side.valueOf(rs.getString(9))));
                }
            }
            return out;
        }
    }
}
