-- TimescaleDB only, right after V1__trades.sql: trades becomes a hypertable with one chunk per day, like the
-- native layout's daily partitions. No default time index: the primary key, trades_symbol_time_idx and the BRIN
-- index already cover time ranges.
SELECT create_hypertable('trades', 'event_time',
    chunk_time_interval => INTERVAL '1 day',
    create_default_indexes => FALSE,
    if_not_exists => TRUE);
