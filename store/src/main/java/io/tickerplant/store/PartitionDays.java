package io.tickerplant.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer's memory of which days of one partitioned table exist, so that only a batch meeting a new day asks the
 * database. For a new day it creates that day and the next one: the next day's partition is then in place before
 * midnight, so the first rows after midnight do not wait for the brief exclusive lock creating a partition takes.
 * Not thread-safe: one per writer.
 */
final class PartitionDays {
    private static final Logger log = LoggerFactory.getLogger(PartitionDays.class);
    private static final long SECONDS_PER_DAY = 86_400;

    private final DailyPartitions partitions;
    private final Set<Long> known = new HashSet<>();

    PartitionDays(String table) {
        this.partitions = new DailyPartitions(table);
    }

    /**
     * Makes sure every time has its partition. Commits its own transaction when it creates one, so it must be
     * called before the batch's statements, not among them.
     */
    void ensure(Connection c, Iterable<Instant> times) throws SQLException {
        List<LocalDate> wanted = new ArrayList<>();
        for (Instant t : times) {
            long day = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
            if (!known.contains(day)) {
                wanted.add(LocalDate.ofEpochDay(day));
                wanted.add(LocalDate.ofEpochDay(day + 1));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        List<LocalDate> created = partitions.ensure(c, wanted);
        if (!created.isEmpty()) {
            log.info("Created {} partitions for {}", partitions.table(), created);
        }
        for (LocalDate d : wanted) {
            known.add(d.toEpochDay());
        }
    }
}
