package io.tickerplant.store;

import java.math.BigDecimal;
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
 * Read queries for the API's market views: candles, latest prices, reference prices and oracle deviation. Every
 * value a caller supplies is a bound parameter, never part of the SQL text. Each method takes a connection the
 * caller owns. Amounts come back as stored (exact, with their scale), times as instants.
 */
public final class MarketQueries {
    private MarketQueries() {
    }

    /** One OHLCV bar from {@code candles}. {@code vwap} is null while the bar has no volume. */
    public record CandleBar(String venue, String symbol, String interval, Instant bucketStart, Instant bucketEnd,
            BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume,
            BigDecimal quoteVolume, long tradeCount, BigDecimal vwap, boolean finalBar) {
    }

    /** The latest trade of one symbol on one venue. */
    public record LastPrice(String venue, String symbol, BigDecimal price, Instant eventTime, String tradeId) {
    }

    /** One oracle round from {@code contract_price}. */
    public record ContractRound(String symbol, String source, BigDecimal roundId, BigDecimal price, Instant updatedAt) {
    }

    /** One price-API quote from {@code api_price}. */
    public record ApiQuote(String symbol, String source, BigDecimal price, Instant sourceTime) {
    }

    /** One row of {@code contract_price_deviation}: an oracle round against the API average near its time. */
    public record Deviation(String symbol, String oracle, BigDecimal roundId, Instant updatedAt, BigDecimal oraclePrice,
            BigDecimal apiAvg, long apiSources, BigDecimal pctDiff) {
    }

    /** A time range; either end may be null (open). {@code from} is inclusive, {@code to} exclusive. */
    public record Range(Instant from, Instant to) {
        public static final Range ALL = new Range(null, null);
    }

    /**
     * The newest {@code limit} bars of a symbol on a venue ({@code ALL} for across venues) and interval within a
     * range, returned oldest first so that a chart can append them as they come.
     */
    public static List<CandleBar> candles(Connection c, String symbol, String venue, String interval, Range range,
            int limit) throws SQLException {
        // Bounds as "coalesce(?, -infinity)" keep one statement text for every combination, and the primary key
        // (venue, symbol, interval, bucket_start) serves the backward scan either way.
        String sql = "SELECT venue, symbol, interval, bucket_start, bucket_end, open, high, low, close, volume,"
                + " quote_volume, trade_count, vwap, final FROM candles"
                + " WHERE venue = ? AND symbol = ? AND interval = ?"
                + " AND bucket_start >= coalesce(?::timestamptz, '-infinity') AND bucket_start < coalesce(?::timestamptz, 'infinity')"
                + " ORDER BY bucket_start DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, venue);
            ps.setString(2, symbol);
            ps.setString(3, interval);
            setRange(ps, 4, range);
            ps.setInt(6, limit);
            List<CandleBar> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CandleBar(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                            instant(rs, 5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                            rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getBigDecimal(11), rs.getLong(12),
                            rs.getBigDecimal(13), rs.getBoolean(14)));
                }
            }
            Collections.reverse(out);
            return out;
        }
    }

    /**
     * The latest trade per (venue, symbol), ordered by symbol then venue. The pairs are found by a skip scan over
     * the primary key (one index probe per pair, not a scan of every trade), then one backward probe each.
     */
    public static List<LastPrice> latestPrices(Connection c) throws SQLException {
        String sql = "WITH RECURSIVE pairs AS ("
                + " (SELECT venue, symbol FROM trades ORDER BY venue, symbol LIMIT 1)"
                + " UNION ALL"
                + " SELECT n.venue, n.symbol FROM pairs p CROSS JOIN LATERAL"
                + " (SELECT t.venue, t.symbol FROM trades t WHERE (t.venue, t.symbol) > (p.venue, p.symbol)"
                + " ORDER BY t.venue, t.symbol LIMIT 1) n)"
                + " SELECT p.venue, p.symbol, l.price, l.event_time, l.trade_id FROM pairs p CROSS JOIN LATERAL"
                + " (SELECT t.price, t.event_time, t.trade_id FROM trades t WHERE t.venue = p.venue AND t.symbol = p.symbol"
                + " ORDER BY t.event_time DESC, length(t.trade_id) DESC, t.trade_id DESC LIMIT 1) l"
                + " ORDER BY p.symbol, p.venue";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<LastPrice> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new LastPrice(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), instant(rs, 4),
                        rs.getString(5)));
            }
            return out;
        }
    }

    /** Oracle rounds of a pair in a range, the newest {@code limit}, oldest first. */
    public static List<ContractRound> contractRounds(Connection c, String pair, Range range, int limit)
            throws SQLException {
        String sql = "SELECT symbol, source, round_id, price, updated_at FROM contract_price WHERE symbol = ?"
                + " AND updated_at >= coalesce(?::timestamptz, '-infinity') AND updated_at < coalesce(?::timestamptz, 'infinity')"
                + " ORDER BY updated_at DESC, source LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pair);
            setRange(ps, 2, range);
            ps.setInt(4, limit);
            List<ContractRound> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ContractRound(rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
                            rs.getBigDecimal(4), instant(rs, 5)));
                }
            }
            Collections.reverse(out);
            return out;
        }
    }

    /** Price-API quotes of a pair in a range, the newest {@code limit}, oldest first. */
    public static List<ApiQuote> apiQuotes(Connection c, String pair, Range range, int limit) throws SQLException {
        String sql = "SELECT symbol, source, price, source_time FROM api_price WHERE symbol = ?"
                + " AND source_time >= coalesce(?::timestamptz, '-infinity') AND source_time < coalesce(?::timestamptz, 'infinity')"
                + " ORDER BY source_time DESC, source LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pair);
            setRange(ps, 2, range);
            ps.setInt(4, limit);
            List<ApiQuote> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiQuote(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), instant(rs, 4)));
                }
            }
            Collections.reverse(out);
            return out;
        }
    }

    /** Deviation of each oracle round of a pair in a range, the newest {@code limit}, oldest first. */
    public static List<Deviation> deviations(Connection c, String pair, Range range, int limit) throws SQLException {
        String sql = "SELECT " + DEVIATION_COLUMNS + " FROM contract_price_deviation WHERE symbol = ?"
                + " AND updated_at >= coalesce(?::timestamptz, '-infinity') AND updated_at < coalesce(?::timestamptz, 'infinity')"
                + " ORDER BY updated_at DESC, oracle LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pair);
            setRange(ps, 2, range);
            ps.setInt(4, limit);
            List<Deviation> out = readDeviations(ps);
            Collections.reverse(out);
            return out;
        }
    }

    /**
     * The deviation of the latest round per (pair, oracle) that has API quotes near it, ordered by pair. The view
     * is only evaluated for those latest rounds, not for the whole history.
     */
    public static List<Deviation> latestDeviations(Connection c) throws SQLException {
        String sql = "SELECT d.symbol, d.oracle, d.round_id, d.updated_at, d.oracle_price, d.api_avg, d.api_sources, d.pct_diff"
                + " FROM (SELECT DISTINCT ON (symbol, source) symbol, source, round_id, updated_at FROM contract_price"
                + " ORDER BY symbol, source, updated_at DESC) l"
                + " JOIN contract_price_deviation d ON d.symbol = l.symbol AND d.oracle = l.source"
                + " AND d.round_id = l.round_id AND d.updated_at = l.updated_at"
                + " ORDER BY d.symbol, d.oracle";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return readDeviations(ps);
        }
    }

    private static final String DEVIATION_COLUMNS =
            "symbol, oracle, round_id, updated_at, oracle_price, api_avg, api_sources, pct_diff";

    private static List<Deviation> readDeviations(PreparedStatement ps) throws SQLException {
        List<Deviation> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Deviation(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), instant(rs, 4),
                        rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getLong(7), rs.getBigDecimal(8)));
            }
        }
        return out;
    }

    private static void setRange(PreparedStatement ps, int index, Range range) throws SQLException {
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
