package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    /** Where a trade sits in {@link #latest} order: enough to continue the listing after it. */
    public record TradeKey(Instant eventTime, String venue, String tradeId) {
        public static TradeKey of(Trade t) {
            return new TradeKey(t.getEventTime(), t.getVenue(), t.getTradeId());
        }
    }

    /**
     * The newest {@code limit} trades of a symbol across all venues, newest first. Trades in the same microsecond
     * are ordered by venue, then by id, longest first, so numeric ids (most venues') compare as numbers, not as text.
     */
    public static List<Trade> latest(Connection c, String symbol, int limit) throws SQLException {
        return latest(c, symbol, null, limit);
    }

    /**
     * Like {@link #latest(Connection, String, int)}, continuing after {@code after} (null: from the newest). Every
     * key of the order runs the same way (descending), so "after" is one row comparison, and the redundant bound on
     * event_time lets the (symbol, event_time) index start the scan there.
     */
    public static List<Trade> latest(Connection c, String symbol, TradeKey after, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM trades WHERE symbol = ?"
            + (after == null ? "" : " AND event_time <= ?"
                + " AND (event_time, venue, length(trade_id), trade_id) < (?, ?, ?, ?)")
            + " ORDER BY event_time DESC, venue DESC, length(trade_id) DESC, trade_id DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, symbol);
            if (after != null) {
                OffsetDateTime t = after.eventTime().atOffset(ZoneOffset.UTC);
                ps.setObject(i++, t, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(i++, t, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(i++, after.venue());
                ps.setInt(i++, after.tradeId().length());
                ps.setString(i++, after.tradeId());
            }
            ps.setInt(i, limit);
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
