-- Trades as the venues reported them.
--
-- price and size are unconstrained numeric: exact, and each value keeps its own display scale, so the venue's
-- "0.10000000" reads back as 0.10000000.
--
-- side is text restricted to the Avro enum's names rather than smallint or a PostgreSQL enum type: it reads as
-- itself in ad-hoc SQL and in the named queries, needs no lookup table and no ALTER TYPE when the model grows,
-- and the few bytes it costs per row are noise next to the rest of the row and its indexes. The CHECK keeps it
-- as strict as an enum.
--
-- The primary key makes a replayed Kafka batch harmless (the writer inserts with ON CONFLICT DO NOTHING). It
-- includes event_time because a unique key on a partitioned table or a hypertable must contain the partitioning
-- column; event_time comes before trade_id so that the key also serves "this venue's BTC-USDT trades between t1
-- and t2" and new rows land at the right-hand edge of each instrument's key range.
--
-- The placeholder after the column list becomes "PARTITION BY RANGE (event_time)" (daily partitions, see
-- TradePartitions), or nothing when TimescaleDB turns the table into a hypertable right after this script.
CREATE TABLE trades (
    venue        text        NOT NULL,
    symbol       text        NOT NULL,
    venue_symbol text        NOT NULL,
    trade_id     text        NOT NULL,
    price        numeric     NOT NULL,
    size         numeric     NOT NULL,
    side         text        NOT NULL CONSTRAINT trades_side_check CHECK (side IN ('BUY', 'SELL', 'UNKNOWN')),
    event_time   timestamptz NOT NULL,
    receive_time timestamptz NOT NULL,
    ingest_time  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT trades_pkey PRIMARY KEY (venue, symbol, event_time, trade_id)
) ${partition_by};

-- "Latest trades for BTC-USDT across venues": a backward scan that stops after N rows.
CREATE INDEX trades_symbol_time_idx ON trades (symbol, event_time DESC);

-- Rows arrive roughly in event-time order, so a BRIN index narrows time-range scans inside a day for a few
-- pages of index instead of a B-tree over every row.
CREATE INDEX trades_event_time_brin ON trades USING brin (event_time);
