-- Reference prices (issue 5): on-chain oracle rounds and price-API quotes, as the reference connectors publish
-- them on tp.refprices, and the first version of the oracle-accuracy SQL.
--
-- Plain tables with BRIN indexes on time, not partitioned like trades: a round every few minutes and a quote
-- every 30-60 s per pair and source is a few thousand rows a day, and the partition management (TradePartitions)
-- is written for trades only. Partition them, or make them hypertables, when that is generalised.
--
-- Prices are unconstrained numeric: exact, with the source's own digits. Primary keys make a replayed Kafka batch
-- harmless (the writer inserts with ON CONFLICT DO NOTHING).

-- One row per oracle round. round_id is a uint80 (phase << 64 | aggregator round), beyond bigint, so numeric.
-- updated_at is in the key so the key serves time ranges per pair and so it could become a partitioning column.
CREATE TABLE contract_price (
    symbol            text        NOT NULL,
    source            text        NOT NULL,
    source_id         text        NOT NULL,
    round_id          numeric(25, 0) NOT NULL,
    answered_in_round numeric(25, 0),
    price             numeric     NOT NULL CONSTRAINT contract_price_positive CHECK (price > 0),
    started_at        timestamptz,
    updated_at        timestamptz NOT NULL,
    receive_time      timestamptz NOT NULL,
    ingest_time       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contract_price_pkey PRIMARY KEY (symbol, source, round_id, updated_at)
);
CREATE INDEX contract_price_symbol_time_idx ON contract_price (symbol, updated_at DESC);
CREATE INDEX contract_price_updated_at_brin ON contract_price USING brin (updated_at);

-- One row per distinct API quote: the source's last_updated is the key, so polling an unchanged quote adds nothing.
CREATE TABLE api_price (
    symbol       text        NOT NULL,
    source       text        NOT NULL,
    source_id    text        NOT NULL,
    price        numeric     NOT NULL CONSTRAINT api_price_positive CHECK (price > 0),
    source_time  timestamptz NOT NULL,
    receive_time timestamptz NOT NULL,
    ingest_time  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_price_pkey PRIMARY KEY (symbol, source, source_time)
);
CREATE INDEX api_price_symbol_time_idx ON api_price (symbol, source_time);
CREATE INDEX api_price_source_time_brin ON api_price USING brin (source_time);

-- Oracle accuracy per round, first version: until the accuracy series arrives from the Streams topology, each
-- round is compared with the average over API sources of each source's quote nearest in time to the round's
-- updated_at (at most 10 minutes away; a source without one is left out). pct_diff = (oracle - api_avg) /
-- api_avg * 100, in exact numeric. Each nearest quote is two index probes on api_price_pkey (the latest at or
-- before, the earliest after), so the view costs a few probes per round.
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

-- "Average and worst deviation per pair per hour": mean of |pct_diff|, mean signed pct_diff, and the worst round
-- (largest |pct_diff|, with its sign), over the rounds updated in each UTC hour.
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
