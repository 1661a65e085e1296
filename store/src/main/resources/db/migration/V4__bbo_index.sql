-- Consolidated best bid/offer and index price per symbol across venues (io.tickerplant.streams.BboTopology, topics
-- bbo and index): one row per published update, so the tables are the history of the consolidated market.
--
-- Plain tables with BRIN indexes on time, like the reference prices: an update per symbol when the consolidated
-- quote changes is far fewer rows than trades, and partition management (TradePartitions) is for trades only.
-- The primary key (symbol, event_time) serves "BTC-USDT between t1 and t2". The stream never publishes a symbol's
-- updates back in time; several updates within one microsecond keep the last (the writer upserts), and a replayed
-- batch rewrites the same values.
--
-- Prices and sizes are unconstrained numeric: exact, as the venues sent them. A side no healthy venue quotes is
-- null. Basis points are display ratios (double precision). venues lists the venues that counted, excluded says
-- "VENUE: reason" for the others.
CREATE TABLE bbo (
    symbol          text             NOT NULL,
    event_time      timestamptz      NOT NULL,
    best_bid        numeric,
    best_bid_size   numeric,
    best_bid_venue  text,
    best_ask        numeric,
    best_ask_size   numeric,
    best_ask_venue  text,
    spread          numeric,
    spread_bps      double precision,
    crossed         boolean          NOT NULL,
    venues          text[]           NOT NULL,
    excluded        text[]           NOT NULL,
    ingest_time     timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT bbo_pkey PRIMARY KEY (symbol, event_time)
);
CREATE INDEX bbo_event_time_brin ON bbo USING brin (event_time);

-- price is the median of the healthy venues' mids (method median-mid), null when no venue quoted both sides.
-- deviations: {"VENUE": {"mid": <exact mid>, "bps": <(mid - price) / price * 10000>}, ...}; jsonb numbers are
-- numeric, so the mids stay exact.
CREATE TABLE index_prices (
    symbol          text             NOT NULL,
    event_time      timestamptz      NOT NULL,
    price           numeric,
    method          text             NOT NULL,
    venues          text[]           NOT NULL,
    deviations      jsonb            NOT NULL,
    excluded        text[]           NOT NULL,
    ingest_time     timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT index_prices_pkey PRIMARY KEY (symbol, event_time)
);
CREATE INDEX index_prices_event_time_brin ON index_prices USING brin (event_time);
