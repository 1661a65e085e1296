package io.tickerplant.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * The daily partitions of {@code trades} in the {@link StorageLayout#PARTITIONED} layout: {@code trades_pYYYYMMDD}
 * holds event times in {@code [day 00:00 UTC, next day 00:00 UTC)}. See {@link DailyPartitions} for why there is no
 * DEFAULT partition and how days are created ahead.
 *
 * <p>Retention is dropping a partition: {@code DROP TABLE trades_p20240101}.
 */
public final class TradePartitions {
    private TradePartitions() {
    }

    private static final DailyPartitions TRADES = new DailyPartitions("trades");

    /** The partition name for a UTC day: {@code trades_p20240131}. */
    public static String name(LocalDate day) {
        return TRADES.name(day);
    }

    /** See {@link DailyPartitions#ensure}. */
    public static List<LocalDate> ensure(Connection c, Collection<LocalDate> days) throws SQLException {
        return TRADES.ensure(c, days);
    }

    /** See {@link DailyPartitions#precreate}. */
    public static List<LocalDate> precreate(Connection c, LocalDate first, int days) throws SQLException {
        return TRADES.precreate(c, first, days);
    }

    /** See {@link DailyPartitions#existing}. */
    public static List<LocalDate> existing(Connection c) throws SQLException {
        return TRADES.existing(c);
    }
}
