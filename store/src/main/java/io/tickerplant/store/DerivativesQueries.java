package io.tickerplant.store;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Read queries on what the derivatives venues report: {@code liquidations}, {@code liquidation_stats} and
 * {@code funding}. Every value a caller supplies is a bound parameter. Amounts come back as stored (exact, with their
 * scale), times as instants.
 */
public final class DerivativesQueries {
    private DerivativesQueries() {
    }

    /** One forced close as a venue reported it; {@code side} is the side of the liquidation order. */
    public record Liquidation(String venue, String symbol, String venueSymbol, Instant eventTime, String side,
            BigDecimal price, BigDecimal quantity, String liquidationId, Instant receiveTime) {
    }

    /**
     * Where a liquidation sits in {@link #liquidations} order (the table's key): enough to continue after it.
     */
    public record LiquidationKey(Instant eventTime, String venue, String symbol, String side, BigDecimal price,
            BigDecimal quantity) {
        public static LiquidationKey of(Liquidation l) {
            return new LiquidationKey(l.eventTime(), l.venue(), l.symbol(), l.side(), l.price(), l.quantity());
        }
    }

    /** One minute of liquidations of a symbol across venues: longs are forced sells, shorts forced buys. */
    public record LiquidationMinute(String symbol, Instant bucketStart, Instant bucketEnd, long longCount,
            BigDecimal longQuantity, BigDecimal longNotional, long shortCount, BigDecimal shortQuantity,
            BigDecimal shortNotional, List<String> venues, boolean finalBar, Instant updateTime) {
    }

    /**
     * The latest mark price and funding of a perpetual on a venue. The two come from the newest row that carries
     * each (a venue may send mark-price updates without a rate, as OKX does on separate channels), so either side
     * may be null when the venue never sent it.
     */
    public record LatestFunding(String venue, String symbol, String venueSymbol, BigDecimal markPrice,
            BigDecimal indexPrice, Instant markTime, BigDecimal fundingRate, Instant nextFundingTime,
            Instant fundingTime) {
    }

    /**
     * Liquidations newest first, optionally of one symbol and/or venue (null: all) in a range, continuing after
     * {@code after} (null: from the newest). Every key of the order runs descending, so "after" is one row
     * comparison over the primary key's columns; the (symbol, event_time) index or the BRIN on event_time starts
     * the scan.
     */
    public static List<Liquidation> liquidations(Connection c, String symbol, String venue,
            MarketQueries.Range range, LiquidationKey after, int limit) throws SQLException {
        String sql = "SELECT venue, symbol, venue_symbol, event_time, side, price, quantity, liquidation_id, receive_time"
                + " FROM liquidations WHERE (?::text IS NULL OR symbol = ?) AND (?::text IS NULL OR venue = ?)"
                + " AND event_time >= coalesce(?::timestamptz, '-infinity') AND event_time < coalesce(?::timestamptz, 'infinity')"
                + (after == null ? "" : " AND event_time <= ?"
                        + " AND (event_time, venue, symbol, side, price, quantity) < (?, ?, ?, ?, ?, ?)")
                + " ORDER BY event_time DESC, venue DESC, symbol DESC, side DESC, price DESC, quantity DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, symbol);
            ps.setString(i++, symbol);
            ps.setString(i++, venue);
            ps.setString(i++, venue);
            i = setRange(ps, i, range);
            if (after != null) {
                OffsetDateTime t = after.eventTime().atOffset(ZoneOffset.UTC);
                ps.setObject(i++, t, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(i++, t, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(i++, after.venue());
                ps.setString(i++, after.symbol());
                ps.setString(i++, after.side());
                ps.setBigDecimal(i++, after.price());
                ps.setBigDecimal(i++, after.quantity());
            }
            ps.setInt(i, limit);
            List<Liquidation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Liquidation(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                            rs.getString(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getString(8),
                            instant(rs, 9)));
                }
            }
            return out;
        }
    }

    /** The newest {@code limit} minutes of a symbol's liquidation statistics in a range, oldest first. */
    public static List<LiquidationMinute> liquidationStats(Connection c, String symbol, MarketQueries.Range range,
            int limit) throws SQLException {
        String sql = "SELECT symbol, bucket_start, bucket_end, long_count, long_quantity, long_notional, short_count,"
                + " short_quantity, short_notional, venues, final_bar, update_time FROM liquidation_stats"
                + " WHERE symbol = ? AND bucket_start >= coalesce(?::timestamptz, '-infinity')"
                + " AND bucket_start < coalesce(?::timestamptz, 'infinity') ORDER BY bucket_start DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, symbol);
            int i = setRange(ps, 2, range);
            ps.setInt(i, limit);
            List<LiquidationMinute> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LiquidationMinute(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getLong(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getLong(7), rs.getBigDecimal(8),
                            rs.getBigDecimal(9), strings(rs.getArray(10)), rs.getBoolean(11), instant(rs, 12)));
                }
            }
            Collections.reverse(out);
            return out;
        }
    }

    /**
     * The latest mark price and funding per (venue, symbol), optionally of one symbol and/or venue, ordered by
     * symbol then venue. The pairs come from a skip scan over the primary key (venue, symbol, event_time): one index
     * probe per pair, then one backward probe for each of the two latest values, never a scan of the history.
     */
    public static List<LatestFunding> latestFunding(Connection c, String symbol, String venue) throws SQLException {
        String sql = "WITH RECURSIVE pairs AS ("
                + " (SELECT venue, symbol FROM funding ORDER BY venue, symbol LIMIT 1)"
                + " UNION ALL"
                + " SELECT n.venue, n.symbol FROM pairs p CROSS JOIN LATERAL"
                + " (SELECT f.venue, f.symbol FROM funding f WHERE (f.venue, f.symbol) > (p.venue, p.symbol)"
                + " ORDER BY f.venue, f.symbol LIMIT 1) n)"
                + " SELECT p.venue, p.symbol, coalesce(m.venue_symbol, r.venue_symbol), m.mark_price, m.index_price,"
                + " m.event_time, r.funding_rate, r.next_funding_time, r.event_time FROM pairs p"
                + " LEFT JOIN LATERAL (SELECT f.venue_symbol, f.mark_price, f.index_price, f.event_time FROM funding f"
                + " WHERE f.venue = p.venue AND f.symbol = p.symbol AND f.mark_price IS NOT NULL"
                + " ORDER BY f.event_time DESC LIMIT 1) m ON true"
                + " LEFT JOIN LATERAL (SELECT f.venue_symbol, f.funding_rate, f.next_funding_time, f.event_time"
                + " FROM funding f WHERE f.venue = p.venue AND f.symbol = p.symbol AND f.funding_rate IS NOT NULL"
                + " ORDER BY f.event_time DESC LIMIT 1) r ON true"
                + " WHERE (?::text IS NULL OR p.symbol = ?) AND (?::text IS NULL OR p.venue = ?)"
                + " AND (m.event_time IS NOT NULL OR r.event_time IS NOT NULL)"
                + " ORDER BY p.symbol, p.venue";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, symbol);
            ps.setString(2, symbol);
            ps.setString(3, venue);
            ps.setString(4, venue);
            List<LatestFunding> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LatestFunding(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                            rs.getBigDecimal(5), instant(rs, 6), rs.getBigDecimal(7), instant(rs, 8), instant(rs, 9)));
                }
            }
            return out;
        }
    }

    private static int setRange(PreparedStatement ps, int index, MarketQueries.Range range) throws SQLException {
        ps.setObject(index, range.from() == null ? null : range.from().atOffset(ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(index + 1, range.to() == null ? null : range.to().atOffset(ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
        return index + 2;
    }

    private static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add((String) v);
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
