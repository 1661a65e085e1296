package io.tickerplant.store;

/**
 * How the {@code trades} table is split by time. Chosen once, when the table is created, and read back from the
 * catalog afterwards: an existing table never changes layout.
 */
public enum StorageLayout {
    /**
     * Native declarative partitioning: {@code PARTITION BY RANGE (event_time)} with one partition per UTC day
     * ({@code trades_pYYYYMMDD}), created on demand by the writer and ahead of time by {@link TradePartitions}.
     * Old days are dropped by dropping a table, and a BRIN index keeps range scans within a day cheap.
     */
    PARTITIONED,
    /** A TimescaleDB hypertable with daily chunks; TimescaleDB creates the chunks itself. */
    TIMESCALE
}
