-- Liquidations, funding and per-minute liquidation statistics from the derivatives venues (topics liquidations,
-- funding, liquidation-stats).
--
-- Plain tables with BRIN indexes on time, like bbo and index_prices: liquidations are rare, funding is one row per
-- perpetual per mark-price update (about one a second), far fewer than trades.
--
-- Liquidations: most venues send no id, so the key is what the venue reported (venue, symbol, time, side, price,
-- quantity): a redelivered record lands on it (ON CONFLICT DO NOTHING), and two truly identical liquidations in
-- the same microsecond count once (no venue we know sends those).
CREATE TABLE liquidations (
    venue          text        NOT NULL,
    symbol         text        NOT NULL,
    venue_symbol   text        NOT NULL,
    event_time     timestamptz NOT NULL,
    side           text        NOT NULL CONSTRAINT liquidations_side_check CHECK (side IN ('BUY', 'SELL', 'UNKNOWN')),
    price          numeric     NOT NULL,
    quantity       numeric     NOT NULL,
    liquidation_id text,
    receive_time   timestamptz NOT NULL,
    ingest_time    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT liquidations_pkey PRIMARY KEY (venue, symbol, event_time, side, price, quantity)
);
CREATE INDEX liquidations_symbol_time_idx ON liquidations (symbol, event_time DESC);
CREATE INDEX liquidations_event_time_brin ON liquidations USING brin (event_time);

COMMENT ON COLUMN liquidations.side IS 'Side of the forced order: SELL closes a long position, BUY a short';

-- Funding: null columns are what the venue's message did not carry (a mark-price-only update has no rate).
CREATE TABLE funding (
    venue             text        NOT NULL,
    symbol            text        NOT NULL,
    venue_symbol      text        NOT NULL,
    event_time        timestamptz NOT NULL,
    mark_price        numeric,
    index_price       numeric,
    funding_rate      numeric,
    next_funding_time timestamptz,
    receive_time      timestamptz NOT NULL,
    ingest_time       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT funding_pkey PRIMARY KEY (venue, symbol, event_time)
);
CREATE INDEX funding_event_time_brin ON funding USING brin (event_time);

-- One row per symbol and minute: the latest update of the minute wins (upsert), so a late liquidation inside the
-- grace period corrects the row and the final update marks it final.
CREATE TABLE liquidation_stats (
    symbol          text        NOT NULL,
    bucket_start    timestamptz NOT NULL,
    bucket_end      timestamptz NOT NULL,
    long_count      bigint      NOT NULL,
    long_quantity   numeric     NOT NULL,
    long_notional   numeric     NOT NULL,
    short_count     bigint      NOT NULL,
    short_quantity  numeric     NOT NULL,
    short_notional  numeric     NOT NULL,
    venues          text[]      NOT NULL,
    final_bar       boolean     NOT NULL,
    update_time     timestamptz NOT NULL,
    ingest_time     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT liquidation_stats_pkey PRIMARY KEY (symbol, bucket_start)
);
