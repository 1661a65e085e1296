package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Decimal;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Writes oracle accuracy rows ({@code tp.accuracy}) into {@code accuracy}, at most once per (symbol, event time,
 * round): batched INSERT ... ON CONFLICT DO NOTHING, as a few rows a minute per pair need nothing faster. Not
 * thread-safe.
 */
public final class AccuracyWriter extends BatchStatementWriter<Accuracy> {
    private static final String INSERT = "INSERT INTO accuracy (symbol, event_time, oracle_source, round_id,"
        + " oracle_price, oracle_updated_at, api_average, api_sources, pct_diff, index_price, oracle_age_s, stale,"
        + " index_symbol, index_time, pct_diff_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT DO NOTHING";

    public AccuracyWriter(ConnectionFactory connections) {
        super(connections, "accuracy");
    }

    @Override
    Instant partitionTime(Accuracy a) {
        return a.getEventTime();
    }

    @Override
    String sql() {
        return INSERT;
    }

    @Override
    void bind(Connection c, PreparedStatement ps, Accuracy a) throws SQLException {
        ps.setString(1, a.getSymbol());
        ps.setObject(2, Rows.timestamptz(a.getEventTime()));
        ps.setString(3, a.getOracleSource());
        ps.setBigDecimal(4, new BigDecimal(a.getRoundId()));
        ps.setBigDecimal(5, Decimals.toBigDecimal(a.getOraclePrice()));
        ps.setObject(6, Rows.timestamptz(a.getOracleUpdatedAt()));
        ps.setBigDecimal(7, nullable(a.getApiAverage()));
        ps.setArray(8, c.createArrayOf("text", a.getApiSources().toArray()));
        ps.setBigDecimal(9, nullable(a.getPctDiff()));
        ps.setBigDecimal(10, nullable(a.getIndexPrice()));
        ps.setLong(11, a.getOracleAgeSeconds());
        ps.setBoolean(12, a.getStale());
        ps.setString(13, a.getIndexSymbol());
        if (a.getIndexTime() == null) {
            ps.setNull(14, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(14, Rows.timestamptz(a.getIndexTime()));
        }
        ps.setBigDecimal(15, nullable(a.getPctDiffIndex()));
    }

    private static BigDecimal nullable(Decimal d) {
        return d == null ? null : Decimals.toBigDecimal(d);
    }
}
