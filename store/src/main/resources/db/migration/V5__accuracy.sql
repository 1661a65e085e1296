-- Oracle accuracy and alerts (issue 5), as io.tickerplant.streams.AccuracyTopology publishes them on tp.accuracy and
-- tp.alerts, and "average and worst deviation per pair per hour" over them (accuracy_hourly, which supersedes V3's
-- contract_price_deviation_hourly: the topology compares each round with the API prices the platform actually had
-- when the round arrived, not with the nearest ones found afterwards).
--
-- Plain tables with BRIN indexes on time, like the reference prices: a row per round plus one per pair every cadence
-- tick (10 s by default: ~26k rows a day for three pairs). Exact numeric throughout. Primary keys make a replayed
-- Kafka batch harmless (the writers insert with ON CONFLICT DO NOTHING).

-- One row per oracle round (event_time = oracle_updated_at, oracle_age_s = 0) and one per cadence re-emission
-- (event_time = when it was made, with the oracle's age then). api_average and pct_diff are null when no API price
-- was fresh enough to compare the round with; index_price is for the venues' index, not computed yet.
CREATE TABLE accuracy (
    symbol            text           NOT NULL,
    event_time        timestamptz    NOT NULL,
    oracle_source     text           NOT NULL,
    round_id          numeric(25, 0) NOT NULL,
    oracle_price      numeric        NOT NULL,
    oracle_updated_at timestamptz    NOT NULL,
    api_average       numeric,
    api_sources       text[]         NOT NULL,
    pct_diff          numeric,
    index_price       numeric,
    oracle_age_s      bigint         NOT NULL,
    stale             boolean        NOT NULL,
    ingest_time       timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT accuracy_pkey PRIMARY KEY (symbol, event_time, round_id)
);
CREATE INDEX accuracy_event_time_brin ON accuracy USING brin (event_time);
-- Rounds per pair in time order, for the hourly view and "the accuracy of round N".
CREATE INDEX accuracy_round_idx ON accuracy (symbol, oracle_source, round_id, event_time);

-- One row per change of an alert condition: raised (active) or cleared.
CREATE TABLE alerts (
    symbol      text        NOT NULL,
    event_time  timestamptz NOT NULL,
    kind        text        NOT NULL CONSTRAINT alerts_kind CHECK (kind IN ('DEVIATION', 'STALE')),
    active      boolean     NOT NULL,
    detail      text        NOT NULL,
    value       numeric     NOT NULL,
    threshold   numeric     NOT NULL,
    ingest_time timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alerts_pkey PRIMARY KEY (symbol, event_time, kind)
);
CREATE INDEX alerts_event_time_brin ON alerts USING brin (event_time);

-- Per pair, oracle and UTC hour: the deviation of the rounds updated in that hour (each round once: its first row,
-- cadence re-emissions repeat its pct_diff), mean of |pct_diff|, mean signed pct_diff, the worst round (largest
-- |pct_diff|, with its sign and id), and the oracle's largest age and whether it was stale during that hour (from
-- every row made in the hour, so an hour without any round still shows up, stale).
CREATE VIEW accuracy_hourly AS
WITH rounds AS (
    SELECT DISTINCT ON (symbol, oracle_source, round_id)
           symbol, oracle_source, round_id, oracle_updated_at, pct_diff
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
               FILTER (WHERE pct_diff IS NOT NULL))[1]                                        AS worst_round_id
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
       coalesce(a.stale, false)       AS stale
FROM deviation d
FULL JOIN age a USING (symbol, oracle_source, hour);
