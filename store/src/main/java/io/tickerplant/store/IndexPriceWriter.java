package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.VenueDeviation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Writes index price updates into {@code index_prices}, one row per {@code (symbol, event_time)}; the last update at
 * an instant wins. The per-venue deviations become {@code {"VENUE": {"mid": <exact>, "bps": <double>}}} in a jsonb
 * column (jsonb numbers are numeric, so the mids stay exact). See {@link BatchStatementWriter} for batching, failures
 * and reconnection. Not thread-safe.
 */
public final class IndexPriceWriter extends BatchStatementWriter<IndexPrice> {
    private static final String UPSERT = "INSERT INTO index_prices (symbol, event_time, price, method, venues,"
        + " deviations, excluded) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?)"
        + " ON CONFLICT ON CONSTRAINT index_prices_pkey DO UPDATE SET price = excluded.price,"
        + " method = excluded.method, venues = excluded.venues, deviations = excluded.deviations,"
        + " excluded = excluded.excluded, ingest_time = now()";

    private record Key(String symbol, Instant eventTime) {
    }

    public IndexPriceWriter(ConnectionFactory connections) {
        super(connections, "index_prices");
    }

    /** Why this update cannot be stored, or null if it can. Lets a caller set bad records aside before writing. */
    public static String problemWith(IndexPrice p) {
        if (p == null) {
            return "null index price";
        }
        String why = Rows.text("symbol", p.getSymbol());
        if (why == null) {
            why = Rows.text("method", p.getMethod());
        }
        if (why == null) {
            why = Rows.time("eventTime", p.getEventTime());
        }
        if (why == null && (p.getVenues() == null || p.getDeviations() == null || p.getExcluded() == null)) {
            why = "venues, deviations or excluded is missing";
        }
        return why;
    }

    /** The jsonb form of the deviations; a deviation that is not a finite number becomes null. */
    static String deviationsJson(List<VenueDeviation> deviations) {
        StringBuilder json = new StringBuilder("{");
        for (VenueDeviation d : deviations) {
            if (json.length() > 1) {
                json.append(", ");
            }
            Rows.jsonString(json, d.getVenue());
            json.append(": {\"mid\": ").append(Decimals.toPlainString(d.getMid())).append(", \"bps\": ");
            double bps = d.getDeviationBps();
            json.append(Double.isFinite(bps) ? Double.toString(bps) : "null").append('}');
        }
        return json.append('}').toString();
    }

    @Override
    Instant partitionTime(IndexPrice r) {
        return r.getEventTime();
    }

    @Override
    String sql() {
        return UPSERT;
    }

    @Override
    Object key(IndexPrice p) {
        return new Key(p.getSymbol(), p.getEventTime());
    }

    @Override
    String problemOf(IndexPrice p) {
        return problemWith(p);
    }

    @Override
    void bind(Connection c, PreparedStatement ps, IndexPrice p) throws SQLException {
        ps.setString(1, p.getSymbol());
        ps.setObject(2, Rows.timestamptz(p.getEventTime()));
        ps.setBigDecimal(3, p.getPrice() == null ? null : Decimals.toBigDecimal(p.getPrice()));
        ps.setString(4, p.getMethod());
        ps.setArray(5, c.createArrayOf("text", p.getVenues().toArray()));
        ps.setString(6, deviationsJson(p.getDeviations()));
        ps.setArray(7, c.createArrayOf("text", p.getExcluded().toArray()));
    }
}
