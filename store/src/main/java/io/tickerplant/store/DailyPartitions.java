package io.tickerplant.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The daily partitions of a table range-partitioned by a time column: {@code <table>_pYYYYMMDD} holds times in
 * {@code [day 00:00 UTC, next day 00:00 UTC)}. Used for {@code trades} in the {@link StorageLayout#PARTITIONED}
 * layout ({@link TradePartitions}) and, in both layouts, for the tables V6 partitions (reference prices, accuracy,
 * alerts, BBO, index prices), which the {@link BatchStatementWriter}s extend before inserting.
 *
 * <p>There is deliberately no DEFAULT partition: with one, every new day's partition would have to scan it for
 * rows that belong to the new range. Instead the writer creates the days it needs before inserting, and
 * {@link #precreate} lets a scheduler create the coming days ahead, so that no writer has to take the brief
 * exclusive lock on {@code trades} that creating a partition needs while trades are flowing.
 *
 * <p>Retention is dropping a partition: {@code DROP TABLE trades_p20240101}.
 */
public final class DailyPartitions {
    private final String table;
    private final String prefix;

    /** @param table the partitioned table, an SQL identifier that needs no quoting */
    public DailyPartitions(String table) {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain table name: " + table);
        }
        this.table = table;
        this.prefix = table + "_p";
    }

    public String table() {
        return table;
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    /** Serializes partition creation across writers; any constant distinct from the other advisory locks. */
    private static final long PARTITION_LOCK = 0x7470_5041_5254_4954L;

    /** The partition name for a UTC day: {@code trades_p20240131}. */
    public String name(LocalDate day) {
        return prefix + DAY.format(day);
    }

    /**
     * Creates the partitions among {@code days} that do not exist yet and returns the days it created. Runs and
     * commits its own transaction, so it must not be called inside one.
     */
    public List<LocalDate> ensure(Connection c, Collection<LocalDate> days) throws SQLException {
        Set<LocalDate> missing = new TreeSet<>(days);
        if (missing.isEmpty()) {
            return List.of();
        }
        missing.removeAll(existing(c));
        if (missing.isEmpty()) {
            return List.of();
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        List<LocalDate> created = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            // Two writers meeting a new day at once would otherwise race on the catalog: IF NOT EXISTS checks
            // before it locks, and the loser fails with a duplicate-key error.
            st.execute("SELECT pg_advisory_xact_lock(" + PARTITION_LOCK + ")");
            Set<LocalDate> present = new TreeSet<>(existing(c));
            for (LocalDate day : missing) {
                if (present.contains(day)) {
                    continue;
                }
                st.execute("CREATE TABLE IF NOT EXISTS " + name(day) + " PARTITION OF " + table + " FOR VALUES FROM ('"
                    + day.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('"
                    + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
                created.add(day);
            }
            c.commit();
            return created;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Creates the partitions for {@code days} consecutive days from {@code first}; returns the days it created. */
    public List<LocalDate> precreate(Connection c, LocalDate first, int days) throws SQLException {
        List<LocalDate> wanted = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            wanted.add(first.plusDays(i));
        }
        return ensure(c, wanted);
    }

    /** The days that have a partition, in order. Partitions not named by this class are ignored. */
    public List<LocalDate> existing(Connection c) throws SQLException {
        List<LocalDate> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT p.relname FROM pg_inherits i"
                 + " JOIN pg_class p ON p.oid = i.inhrelid"
                 + " WHERE i.inhparent = to_regclass('" + table + "') ORDER BY 1")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.startsWith(prefix)) {
                    try {
                        out.add(LocalDate.parse(name.substring(prefix.length()), DAY));
                    } catch (DateTimeParseException ignored) {
                        // someone else's partition: not ours to manage
                    }
                }
            }
        }
        return out;
    }
}
