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
 * Read queries over the tables the Streams topologies fill: the consolidated best bid/offer ({@code bbo}), the
 * venues' index price ({@code index_prices}), oracle accuracy ({@code accuracy}) and its alerts ({@code alerts}).
 * Kept apart from {@link MarketQueries}, which reads what the venues and oracles sent. Every value a caller supplies
 * is a bound parameter; amounts come back exact, times as instants.
 */
public final class DerivedQueries {
    private DerivedQueries() {
    }

    /** The consolidated best bid and offer of a symbol across venues at one moment. */
    public record BboRow(String symbol, Instant eventTime, BigDecimal bestBid, BigDecimal bestBidSize,
            String bestBidVenue, BigDecimal bestAsk, BigDecimal bestAskSize, String bestAskVenue, BigDecimal spread,
            Double spreadBps, boolean crossed, List<String> venues, List<String> excluded) {
    }

    /** One venue's mid and its distance from the index price in basis points. */
    public record VenueDeviation(String venue, BigDecimal mid, Double deviationBps) {
    }

    /** The index price of a symbol (median of the venues' mids) at one moment, with each venue's distance from it. */
    public record IndexRow(String symbol, Instant eventTime, BigDecimal price, String method, List<String> venues,
            List<VenueDeviation> deviations, List<String> excluded) {
    }

    /**
     * One row of {@code accuracy}: an oracle round (or a cadence re-emission of it) compared with the price APIs'
     * average ({@code pctDiff}) and with the venues' index price ({@code pctDiffIndex}), both in percent.
     */
    public record AccuracyRow(String symbol, Instant eventTime, String oracleSource, BigDecimal roundId,
            BigDecimal oraclePrice, Instant oracleUpdatedAt, BigDecimal apiAverage, List<String> apiSources,
            BigDecimal pctDiff, String indexSymbol, BigDecimal indexPrice, Instant indexTime, BigDecimal pctDiffIndex,
            long oracleAgeSeconds, boolean stale) {
    }

    /** One raised ({@code active}) or cleared DEVIATION / STALE condition of a pair. */
    public record AlertRow(String symbol, Instant eventTime, String kind, boolean active, String detail,
            BigDecimal value, BigDecimal threshold) {
    }

    /** The latest consolidated BBO of a symbol, or null when there is none. */
    public static BboRow latestBbo(Connection c, String symbol) throws SQLException {
        String sql = "SELECT symbol, event_time, best_bid, best_bid_size, best_bid_venue, best_ask, best_ask_size,"
                + " best_ask_venue, spread, spread_bps, crossed, venues, excluded FROM bbo WHERE symbol = ?"
                + " ORDER BY event_time DESC LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                double bps = rs.getDouble(10);
                Double spreadBps = rs.wasNull() ? null : bps;
                return new BboRow(rs.getString(1), instant(rs, 2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        rs.getString(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getString(8),
                        rs.getBigDecimal(9), spreadBps, rs.getBoolean(11), strings(rs, 12), strings(rs, 13));
            }
        }
    }

    /** The latest index price of a symbol with each venue's deviation (ordered by venue), or null when none. */
    public static IndexRow latestIndex(Connection c, String symbol) throws SQLException {
        // The deviations are stored as jsonb {"VENUE": {"mid": n, "bps": x}}; jsonb numbers are numeric, so
        // ->> gives the mid's exact digits.
        String sql = "SELECT i.symbol, i.event_time, i.price, i.method, i.venues, i.excluded, d.venue, d.mid, d.bps"
                + " FROM (SELECT * FROM index_prices WHERE symbol = ? ORDER BY event_time DESC LIMIT 1) i"
                + " LEFT JOIN LATERAL (SELECT key AS venue, (value ->> 'mid')::numeric AS mid,"
                + " (value ->> 'bps')::float8 AS bps FROM jsonb_each(i.deviations)) d ON true"
                + " ORDER BY d.venue";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                IndexRow head = null;
                List<VenueDeviation> deviations = new ArrayList<>();
                while (rs.next()) {
                    if (head == null) {
                        head = new IndexRow(rs.getString(1), instant(rs, 2), rs.getBigDecimal(3), rs.getString(4),
                                strings(rs, 5), deviations, strings(rs, 6));
                    }
                    String venue = rs.getString(7);
                    if (venue != null) {
                        BigDecimal mid = rs.getBigDecimal(8);
                        double bps = rs.getDouble(9);
                        deviations.add(new VenueDeviation(venue, mid, rs.wasNull() ? null : bps));
                    }
                }
                return head;
            }
        }
    }

    /** Accuracy rows of a pair in a range, the newest {@code limit}, oldest first. */
    public static List<AccuracyRow> accuracy(Connection c, String pair, MarketQueries.Range range, int limit)
            throws SQLException {
        String sql = "SELECT symbol, event_time, oracle_source, round_id, oracle_price, oracle_updated_at, api_average,"
                + " api_sources, pct_diff, index_symbol, index_price, index_time, pct_diff_index, oracle_age_s, stale"
                + " FROM accuracy WHERE symbol = ?"
                + " AND event_time >= coalesce(?::timestamptz, '-infinity') AND event_time < coalesce(?::timestamptz, 'infinity')"
                + " ORDER BY event_time DESC, oracle_source, round_id LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pair);
            setRange(ps, 2, range);
            ps.setInt(4, limit);
            List<AccuracyRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccuracyRow(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getBigDecimal(4),
                            rs.getBigDecimal(5), instant(rs, 6), rs.getBigDecimal(7), strings(rs, 8),
                            rs.getBigDecimal(9), rs.getString(10), rs.getBigDecimal(11), instant(rs, 12),
                            rs.getBigDecimal(13), rs.getLong(14), rs.getBoolean(15)));
                }
            }
            Collections.reverse(out);
            return out;
        }
    }

    /**
     * The newest {@code limit} alerts, newest first, of one pair or (pair null) of every pair.
     */
    public static List<AlertRow> alerts(Connection c, String pair, int limit) throws SQLException {
        String sql = "SELECT symbol, event_time, kind, active, detail, value, threshold FROM alerts"
                + " WHERE (?::text IS NULL OR symbol = ?) ORDER BY event_time DESC, symbol, kind LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pair);
            ps.setString(2, pair);
            ps.setInt(3, limit);
            List<AlertRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertRow(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), rs.getBigDecimal(6), rs.getBigDecimal(7)));
                }
            }
            return out;
        }
    }

    /**
     * The DEVIATION threshold (percent) named by the pair's latest DEVIATION alert, or null when it never had one:
     * the threshold is a setting of the Streams application, and its alerts are where the database records it.
     */
    public static BigDecimal deviationThreshold(Connection c, String pair) throws SQLException {
        String sql = "SELECT threshold FROM alerts WHERE symbol = ? AND kind = 'DEVIATION'"
                + " ORDER BY event_time DESC LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pair);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : null;
            }
        }
    }

    private static List<String> strings(ResultSet rs, int column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        try {
            Object[] values = (Object[]) a.getArray();
            List<String> out = new ArrayList<>(values.length);
            for (Object v : values) {
                out.add(String.valueOf(v));
            }
            return out;
        } finally {
            a.free();
        }
    }

    private static void setRange(PreparedStatement ps, int index, MarketQueries.Range range) throws SQLException {
        ps.setObject(index, range.from() == null ? null : range.from().atOffset(ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(index + 1, range.to() == null ? null : range.to().atOffset(ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
