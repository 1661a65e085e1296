-- OHLCV bars from the candles topic (io.tickerplant.streams.CandleTopology), one row per bar: the latest update
-- of (venue, symbol, interval, bucket_start) wins. venue is ALL for the bar across venues. A bar is written many
-- times while it is live (final = false) and once more when its window closed (final = true); the writer upserts,
-- and an update never replaces a newer one (update_time), so redelivered or reordered batches are harmless.
--
-- A plain table, not partitioned: a bar is rewritten until it is final, and bars are few next to trades
-- (86,400 one-second bars per venue-symbol per day). The primary key serves "BTC-USDT 1m bars between t1 and t2",
-- per venue or ALL. Amounts are unconstrained numeric: exact, as the stream computed them. vwap is null when the
-- bar's volume is zero.
CREATE TABLE candles (
    venue            text        NOT NULL,
    symbol           text        NOT NULL,
    interval         text        NOT NULL,
    bucket_start     timestamptz NOT NULL,
    bucket_end       timestamptz NOT NULL,
    open             numeric     NOT NULL,
    high             numeric     NOT NULL,
    low              numeric     NOT NULL,
    close            numeric     NOT NULL,
    volume           numeric     NOT NULL,
    buy_volume       numeric     NOT NULL,
    sell_volume      numeric     NOT NULL,
    quote_volume     numeric     NOT NULL,
    trade_count      bigint      NOT NULL,
    vwap             numeric,
    first_trade_time timestamptz NOT NULL,
    last_trade_time  timestamptz NOT NULL,
    final            boolean     NOT NULL,
    update_time      timestamptz NOT NULL,
    CONSTRAINT candles_pkey PRIMARY KEY (venue, symbol, interval, bucket_start)
);
