-- Daily range partitions for the reference, accuracy and derived tables (contract_price, api_price, accuracy,
-- alerts, bbo, index_prices), like trades: retention becomes DROP TABLE of a day, a time-range query reads only the
-- days it needs, and the BRIN indexes stay small per day. V3-V5 left them plain because partition management was
-- written for trades only; DailyPartitions now serves every table, and the writers create the day they meet and
-- the next one before inserting. No DEFAULT partition, for the same reason as trades (TradePartitions).
--
-- Each table is partitioned by its time column: updated_at (contract_price), source_time (api_price), event_time
-- (the others); each primary key already contains it, so the writers' ON CONFLICT clauses are unchanged. Always
-- native partitions, also when trades is a TimescaleDB hypertable: the partition management is the same code in
-- both layouts, and these tables are small enough that chunk compression would buy little.
--
-- Existing rows move: the plain table is renamed, a partitioned one is created with the same columns, defaults and
-- CHECK constraints, a partition is made for every day that holds rows plus today and tomorrow (UTC), the rows are
-- copied, the plain table is dropped, and the primary keys, indexes and views are created again under their old
-- names. All in the migration's one transaction: a failure leaves V5's tables as they were.
--
-- accuracy gains the comparison with the venues' index price (AccuracyTopology): index_symbol (the venues' symbol
-- that stands for the pair, USDT taken at par), index_time (the index price's event time) and pct_diff_index =
-- (oracle_price - index_price) / index_price * 100. Null when no fresh index price was known.

DROP VIEW accuracy_hourly;
DROP VIEW contract_price_deviation_hourly;
DROP VIEW contract_price_deviation;

ALTER TABLE accuracy ADD COLUMN index_symbol text, ADD COLUMN index_time timestamptz, ADD COLUMN pct_diff_index numeric;

CREATE FUNCTION pg_temp.partition_by_day(tbl text, col text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old  text := tbl || '_unpartitioned';
    day  date;
BEGIN
    EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE'
        || ' INCLUDING COMMENTS) PARTITION BY RANGE (%I)', tbl, old, col);
    FOR day IN EXECUTE format('SELECT DISTINCT (%I AT TIME ZONE ''UTC'')::date FROM %I'
        || ' UNION SELECT (now() AT TIME ZONE ''UTC'')::date UNION SELECT (now() AT TIME ZONE ''UTC'')::date + 1',
        col, old)
    LOOP
        -- Same names and bounds as io.tickerplant.store.DailyPartitions: <table>_pYYYYMMDD, [day, day + 1) in UTC.
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            tbl || '_p' || to_char(day, 'YYYYMMDD'), tbl,
            to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
    END LOOP;
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);
    EXECUTE format('DROP TABLE %I', old);
END
$$;

SELECT pg_temp.partition_by_day('contract_price', 'updated_at');
ALTER TABLE contract_price ADD CONSTRAINT contract_price_pkey PRIMARY KEY (symbol, source, round_id, updated_at);
CREATE INDEX contract_price_symbol_time_idx ON contract_price (symbol, updated_at DESC);
CREATE INDEX contract_price_updated_at_brin ON contract_price USING brin (updated_at);

SELECT pg_temp.partition_by_day('api_price', 'source_time');
ALTER TABLE api_price ADD CONSTRAINT api_price_pkey PRIMARY KEY (symbol, source, source_time);
CREATE INDEX api_price_symbol_time_idx ON api_price (symbol, source_time);
CREATE INDEX api_price_source_time_brin ON api_price USING brin (source_time);

SELECT pg_temp.partition_by_day('accuracy', 'event_time');
ALTER TABLE accuracy ADD CONSTRAINT accuracy_pkey PRIMARY KEY (symbol, event_time, round_id);
CREATE INDEX accuracy_event_time_brin ON accuracy USING brin (event_time);
CREATE INDEX accuracy_round_idx ON accuracy (symbol, oracle_source, round_id, event_time);

SELECT pg_temp.partition_by_day('alerts', 'event_time');
ALTER TABLE alerts ADD CONSTRAINT alerts_pkey PRIMARY KEY (symbol, event_time, kind);
CREATE INDEX alerts_event_time_brin ON alerts USING brin (event_time);

SELECT pg_temp.partition_by_day('bbo', 'event_time');
ALTER TABLE bbo ADD CONSTRAINT bbo_pkey PRIMARY KEY (symbol, event_time);
CREATE INDEX bbo_event_time_brin ON bbo USING brin (event_time);

SELECT pg_temp.partition_by_day('index_prices', 'event_time');
ALTER TABLE index_prices ADD CONSTRAINT index_prices_pkey PRIMARY KEY (symbol, event_time);
CREATE INDEX index_prices_event_time_brin ON index_prices USING brin (event_time);

DROP FUNCTION pg_temp.partition_by_day(text, text);

-- The views of V3, unchanged.
CREATE VIEW contract_price_deviation AS
SELECT c.symbol,
       c.source                                   AS oracle,
       c.round_id,
       c.updated_at,
       c.price                                    AS oracle_price,
       a.api_avg,
       a.api_sources,
       (c.price - a.api_avg) / a.api_avg * 100    AS pct_diff
FROM contract_price c
CROSS JOIN LATERAL (
    SELECT avg(n.price) AS api_avg, count(*) AS api_sources
    FROM (SELECT DISTINCT s.source
          FROM api_price s
          WHERE s.symbol = c.symbol
            AND s.source_time BETWEEN c.updated_at - interval '10 minutes' AND c.updated_at + interval '10 minutes'
         ) src
    CROSS JOIN LATERAL (
        SELECT q.price
        FROM ((SELECT b.price, c.updated_at - b.source_time AS distance
               FROM api_price b
               WHERE b.symbol = c.symbol AND b.source = src.source AND b.source_time <= c.updated_at
               ORDER BY b.source_time DESC LIMIT 1)
              UNION ALL
              (SELECT f.price, f.source_time - c.updated_at AS distance
               FROM api_price f
               WHERE f.symbol = c.symbol AND f.source = src.source AND f.source_time > c.updated_at
               ORDER BY f.source_time LIMIT 1)) q
        ORDER BY q.distance, q.price
        LIMIT 1
    ) n
) a
WHERE a.api_sources > 0;

CREATE VIEW contract_price_deviation_hourly AS
SELECT symbol,
       oracle,
       date_trunc('hour', updated_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'  AS hour,
       count(*)                                                             AS rounds,
       avg(abs(pct_diff))                                                   AS avg_abs_pct_diff,
       avg(pct_diff)                                                        AS avg_pct_diff,
       max(abs(pct_diff))                                                   AS worst_abs_pct_diff,
       (array_agg(pct_diff ORDER BY abs(pct_diff) DESC, updated_at))[1]     AS worst_pct_diff
FROM contract_price_deviation
GROUP BY symbol, oracle, 3;

-- V5's "average and worst deviation per pair per hour", with the same for the difference to the venues' index
-- appended (avg_abs_pct_diff_index, worst_pct_diff_index; null for hours without an index comparison).
CREATE VIEW accuracy_hourly AS
WITH rounds AS (
    SELECT DISTINCT ON (symbol, oracle_source, round_id)
           symbol, oracle_source, round_id, oracle_updated_at, pct_diff, pct_diff_index
    FROM accuracy
    ORDER BY symbol, oracle_source, round_id, event_time
), deviation AS (
    SELECT symbol,
           oracle_source,
           date_trunc('hour', oracle_updated_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'            AS hour,
           count(*)                                                                           AS rounds,
           count(pct_diff)                                                                    AS compared_rounds,
           avg(abs(pct_diff))                                                                 AS avg_abs_pct_diff,
           avg(pct_diff)                                                                      AS avg_pct_diff,
           max(abs(pct_diff))                                                                 AS worst_abs_pct_diff,
           (array_agg(pct_diff ORDER BY abs(pct_diff) DESC, oracle_updated_at)
               FILTER (WHERE pct_diff IS NOT NULL))[1]                                        AS worst_pct_diff,
           (array_agg(round_id ORDER BY abs(pct_diff) DESC, oracle_updated_at)
               FILTER (WHERE pct_diff IS NOT NULL))[1]                                        AS worst_round_id,
           avg(abs(pct_diff_index))                                                           AS avg_abs_pct_diff_index,
           (array_agg(pct_diff_index ORDER BY abs(pct_diff_index) DESC, oracle_updated_at)
               FILTER (WHERE pct_diff_index IS NOT NULL))[1]                                  AS worst_pct_diff_index
    FROM rounds
    GROUP BY 1, 2, 3
), age AS (
    SELECT symbol,
           oracle_source,
           date_trunc('hour', event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'                   AS hour,
           max(oracle_age_s)                                                                  AS max_oracle_age_s,
           bool_or(stale)                                                                     AS stale
    FROM accuracy
    GROUP BY 1, 2, 3
)
SELECT symbol,
       oracle_source,
       hour,
       coalesce(d.rounds, 0)          AS rounds,
       coalesce(d.compared_rounds, 0) AS compared_rounds,
       d.avg_abs_pct_diff,
       d.avg_pct_diff,
       d.worst_abs_pct_diff,
       d.worst_pct_diff,
       d.worst_round_id,
       a.max_oracle_age_s,
       coalesce(a.stale, false)       AS stale,
       d.avg_abs_pct_diff_index,
       d.worst_pct_diff_index
FROM deviation d
FULL JOIN age a USING (symbol, oracle_source, hour);
