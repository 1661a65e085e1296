package io.tickerplant.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a batch with one batched statement in one transaction, for tables whose rates are low enough that COPY
 * buys nothing: {@code INSERT ... ON CONFLICT DO UPDATE} where the last update of a key wins (override {@link #key}
 * so the batch is first reduced to the last record per key: a statement rewritten into a multi-row insert could not
 * touch one row twice), or {@code ON CONFLICT DO NOTHING} where the first stored row stays. A failed batch is
 * rolled back completely; after a lost connection the next write reconnects ({@link SqlErrors#isRetriable} tells
 * whether to try again). Not thread-safe: one writer per thread.
 */
abstract class BatchStatementWriter<T> implements AutoCloseable {

    private final WriterSession session;
    private final String table;
    private final PartitionDays partitionDays;

    BatchStatementWriter(ConnectionFactory connections, String table) {
        // Checked before each batch: at these rates a round trip is nothing.
        this.session = new WriterSession(connections, this::requireTable, true);
        this.table = table;
        this.partitionDays = new PartitionDays(table);
    }

    /**
     * The value of the column the table is range-partitioned by by day (V6), so that the day's partition is
     * created before the insert; null for a table that is not partitioned (the default).
     */
    Instant partitionTime(T record) {
        return null;
    }

    /** The statement, with one placeholder per bound value. */
    abstract String sql();

    /** The record's primary key, to keep only the last record per key of a batch; by default the record itself. */
    Object key(T record) {
        return record;
    }

    /** Why the record cannot be stored, or null (the default: the database decides). */
    String problemOf(T record) {
        return null;
    }

    abstract void bind(Connection c, PreparedStatement ps, T record) throws SQLException;

    /**
     * Stores the last record per key of the batch, replacing stored rows with the same key, and commits.
     *
     * @return the records offered and the rows inserted or updated
     * @throws IllegalArgumentException if a record cannot be stored; nothing was written
     * @throws SQLException             if the database failed; nothing was written
     */
    public WriteResult write(Collection<? extends T> batch) throws SQLException {
        if (batch.isEmpty()) {
            return new WriteResult(0, 0);
        }
        Map<Object, T> last = new LinkedHashMap<>();
        int i = 0;
        for (T r : batch) {
            String problem = problemOf(r);
            if (problem != null) {
                throw new IllegalArgumentException(table + " record #" + i + " in the batch cannot be stored: " + problem);
            }
            last.remove(key(r));
            last.put(key(r), r);
            i++;
        }
        Connection c = session.connection();
        List<Instant> times = new ArrayList<>();
        for (T r : last.values()) {
            Instant t = partitionTime(r);
            if (t != null) {
                times.add(t);
            }
        }
        try {
            partitionDays.ensure(c, times);
        } catch (SQLException | RuntimeException e) {
            session.abort(e);
            throw e;
        }
        try (PreparedStatement ps = c.prepareStatement(sql())) {
            for (T r : last.values()) {
                bind(c, ps, r);
                ps.addBatch();
            }
            int changed = 0;
            for (int k : ps.executeBatch()) {
                changed += Math.max(k, 0);
            }
            c.commit();
            return new WriteResult(batch.size(), changed);
        } catch (SQLException | RuntimeException e) {
            session.abort(e);
            throw e;
        }
    }

    private void requireTable(Connection c) throws SQLException {
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("table " + table + " does not exist: run StoreSchema.migrate first");
            }
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
