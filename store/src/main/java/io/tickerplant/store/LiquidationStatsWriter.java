package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.LiquidationStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes per-minute liquidation statistics ({@code tp.liquidation-stats}) into {@code liquidation_stats}: one row
 * per (symbol, minute), the latest update winning, so corrections and the final update overwrite the live row.
 * An update older than the stored one (a redelivery) leaves the row alone. Not thread-safe.
 */
public final class LiquidationStatsWriter extends BatchStatementWriter<LiquidationStats> {
    private static final String UPSERT = "INSERT INTO liquidation_stats (symbol, bucket_start, bucket_end, long_count,"
        + " long_quantity, long_notional, short_count, short_quantity, short_notional, venues, final_bar,"
        + " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT ON CONSTRAINT liquidation_stats_pkey DO UPDATE SET bucket_end = excluded.bucket_end,"
        + " long_count = excluded.long_count, long_quantity = excluded.long_quantity,"
        + " long_notional = excluded.long_notional, short_count = excluded.short_count,"
        + " short_quantity = excluded.short_quantity, short_notional = excluded.short_notional,"
        + " venues = excluded.venues, final_bar = excluded.final_bar, update_time = excluded.update_time,"
        + " ingest_time = now() WHERE liquidation_stats.update_time <= excluded.update_time";

    public LiquidationStatsWriter(ConnectionFactory connections) {
        super(connections, "liquidation_stats");
    }

    @Override
    String sql() {
        return UPSERT;
    }

    @Override
    Object key(LiquidationStats s) {
        return List.of(s.getSymbol(), s.getBucketStart());
    }

    @Override
    void bind(Connection c, PreparedStatement ps, LiquidationStats s) throws SQLException {
        ps.setString(1, s.getSymbol());
        ps.setObject(2, Rows.timestamptz(s.getBucketStart()));
        ps.setObject(3, Rows.timestamptz(s.getBucketEnd()));
        ps.setLong(4, s.getLongCount());
        ps.setBigDecimal(5, Decimals.toBigDecimal(s.getLongQuantity()));
        ps.setBigDecimal(6, Decimals.toBigDecimal(s.getLongNotional()));
        ps.setLong(7, s.getShortCount());
        ps.setBigDecimal(8, Decimals.toBigDecimal(s.getShortQuantity()));
        ps.setBigDecimal(9, Decimals.toBigDecimal(s.getShortNotional()));
        ps.setArray(10, c.createArrayOf("text", s.getVenues().toArray()));
        ps.setBoolean(11, s.getFinalBar());
        ps.setObject(12, Rows.timestamptz(s.getUpdateTime()));
    }
}
