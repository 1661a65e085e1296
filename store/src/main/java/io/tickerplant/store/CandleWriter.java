package io.tickerplant.store;

import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.store.copy.PgCopyBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Upserts batches of bars into {@code candles}: one row per {@code (venue, symbol, interval, bucket_start)} holding
 * the bar's latest update. An update never replaces a newer one ({@code update_time}), so a redelivered or
 * reordered batch cannot turn a final bar back into a live one.
 *
 * <p>Per batch, in one transaction: the batch is reduced to the newest update per bar (an upsert cannot touch a
 * row twice in one statement), sorted by key (concurrent writers then lock rows in the same order and cannot
 * deadlock), copied with binary COPY into a session-private staging table, and merged with one
 * {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE candles.update_time <= excluded.update_time}, then committed.
 *
 * <p>A failed write is rolled back completely; {@link SqlErrors#isRetriable} tells whether to try the same batch
 * again, and the writer reconnects by itself after a lost connection. Not thread-safe: one writer per thread.
 */
public final class CandleWriter implements AutoCloseable {

    private static final String COLUMNS = "venue, symbol, interval, bucket_start, bucket_end, open, high, low, close,"
        + " volume, buy_volume, sell_volume, quote_volume, trade_count, vwap, first_trade_time, last_trade_time,"
        + " final, update_time";
    private static final int FIELDS = 19;
    static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS candles_staging ("
        + "venue text, symbol text, interval text, bucket_start timestamptz, bucket_end timestamptz,"
        + " open numeric, high numeric, low numeric, close numeric, volume numeric, buy_volume numeric,"
        + " sell_volume numeric, quote_volume numeric, trade_count bigint, vwap numeric,"
        + " first_trade_time timestamptz, last_trade_time timestamptz, final boolean, update_time timestamptz)"
        + " ON COMMIT DELETE ROWS";
    private static final String COPY_STAGING = "COPY pg_temp.candles_staging (" + COLUMNS + ") FROM STDIN (FORMAT BINARY)";
    private static final String UPSERT = "INSERT INTO candles (" + COLUMNS + ") SELECT " + COLUMNS
        + " FROM pg_temp.candles_staging ON CONFLICT ON CONSTRAINT candles_pkey DO UPDATE SET"
        + " bucket_end = excluded.bucket_end, open = excluded.open, high = excluded.high, low = excluded.low,"
        + " close = excluded.close, volume = excluded.volume, buy_volume = excluded.buy_volume,"
        + " sell_volume = excluded.sell_volume, quote_volume = excluded.quote_volume,"
        + " trade_count = excluded.trade_count, vwap = excluded.vwap, first_trade_time = excluded.first_trade_time,"
        + " last_trade_time = excluded.last_trade_time, final = excluded.final, update_time = excluded.update_time"
        + " WHERE candles.update_time <= excluded.update_time";
    private static final int FLUSH_BYTES = 256 * 1024;

    /** The primary key of {@code candles}, in its order. */
    private record Key(String venue, String symbol, String interval, Instant bucketStart) {
    }

    private static final Comparator<Key> KEY_ORDER = Comparator.comparing(Key::venue).thenComparing(Key::symbol)
        .thenComparing(Key::interval).thenComparing(Key::bucketStart);

    private final WriterSession session;
    private final PgCopyBuffer buffer = new PgCopyBuffer(FLUSH_BYTES + 1024);
    private CopyManager copyManager;
    private PreparedStatement upsert;

    public CandleWriter(ConnectionFactory connections) {
        this.session = new WriterSession(connections, this::prepare, false);
    }

    /**
     * Stores each bar's newest update in the batch unless the table already holds a newer one, and commits.
     *
     * @return rows inserted or updated; bars whose stored update was newer are not counted
     * @throws IllegalArgumentException if a bar cannot be stored ({@link #problemWith}); nothing was written
     * @throws SQLException             if the database failed; nothing was written. See {@link SqlErrors#isRetriable}
     */
    public int write(List<? extends Candle> candles) throws SQLException {
        if (candles.isEmpty()) {
            return 0;
        }
        Map<Key, Candle> newest = newestPerBar(candles);
        try {
            Connection connection = session.connection();
            copy(newest.values());
            int changed = upsert.executeUpdate();
            connection.commit();
            return changed;
        } catch (SQLException | RuntimeException e) {
            session.abort(e);
            throw e;
        }
    }

    private static Map<Key, Candle> newestPerBar(List<? extends Candle> candles) {
        Map<Key, Candle> newest = new TreeMap<>(KEY_ORDER);
        for (int i = 0, n = candles.size(); i < n; i++) {
            Candle c = candles.get(i);
            String problem = problemWith(c);
            if (problem != null) {
                throw new IllegalArgumentException("candle #" + i + " in the batch cannot be stored: " + problem);
            }
            // Ties go to the later record: within a partition that is the later update.
            newest.merge(new Key(c.getVenue(), c.getSymbol(), c.getInterval(), c.getBucketStart()), c,
                (old, now) -> now.getUpdateTime().isBefore(old.getUpdateTime()) ? old : now);
        }
        return newest;
    }

    /** Why this bar cannot be stored, or null if it can. Lets a caller set bad records aside before writing. */
    public static String problemWith(Candle c) {
        if (c == null) {
            return "null candle";
        }
        String p;
        if ((p = text("venue", c.getVenue())) != null || (p = text("symbol", c.getSymbol())) != null
            || (p = text("interval", c.getInterval())) != null) {
            return p;
        }
        Object[][] required = {
            {"bucketStart", c.getBucketStart()}, {"bucketEnd", c.getBucketEnd()}, {"open", c.getOpen()},
            {"high", c.getHigh()}, {"low", c.getLow()}, {"close", c.getClose()}, {"volume", c.getVolume()},
            {"buyVolume", c.getBuyVolume()}, {"sellVolume", c.getSellVolume()},
            {"quoteVolume", c.getQuoteVolume()}, {"tradeCount", c.getTradeCount()},
            {"firstTradeTime", c.getFirstTradeTime()}, {"lastTradeTime", c.getLastTradeTime()},
            {"finalBar", c.getFinalBar()}, {"updateTime", c.getUpdateTime()}, {"vwap", c.getVwap()}};
        for (Object[] field : required) {
            String name = (String) field[0];
            Object value = field[1];
            if (value == null && !name.equals("vwap")) {
                return name + " is missing";
            }
            if (value instanceof Decimal d && (d.getScale() < PgCopyBuffer.MIN_NUMERIC_SCALE
                || d.getScale() > PgCopyBuffer.MAX_NUMERIC_SCALE)) {
                return name + " has scale " + d.getScale() + ", outside what PostgreSQL numeric can hold";
            }
            if (value instanceof Instant t && (t.getEpochSecond() < PgCopyBuffer.MIN_TIMESTAMP_EPOCH_SECOND
                || t.getEpochSecond() >= PgCopyBuffer.END_TIMESTAMP_EPOCH_SECOND)) {
                return name + " " + t + " is outside PostgreSQL's timestamp range";
            }
        }
        return null;
    }

    private static String text(String field, String s) {
        if (s == null) {
            return field + " is missing";
        }
        return s.indexOf('\0') >= 0 ? field + " contains a NUL character" : null;
    }

    private void copy(Iterable<Candle> candles) throws SQLException {
        CopyIn in = copyManager.copyIn(COPY_STAGING);
        try {
            PgCopyBuffer b = buffer;
            b.reset();
            b.header();
            for (Candle c : candles) {
                b.row(FIELDS)
                    .text(c.getVenue())
                    .text(c.getSymbol())
                    .text(c.getInterval())
                    .timestamptz(c.getBucketStart())
                    .timestamptz(c.getBucketEnd())
                    .numeric(c.getOpen())
                    .numeric(c.getHigh())
                    .numeric(c.getLow())
                    .numeric(c.getClose())
                    .numeric(c.getVolume())
                    .numeric(c.getBuyVolume())
                    .numeric(c.getSellVolume())
                    .numeric(c.getQuoteVolume())
                    .int8(c.getTradeCount());
                if (c.getVwap() == null) {
                    b.nullField();
                } else {
                    b.numeric(c.getVwap());
                }
                b.timestamptz(c.getFirstTradeTime())
                    .timestamptz(c.getLastTradeTime())
                    .bool(c.getFinalBar())
                    .timestamptz(c.getUpdateTime());
                if (b.size() >= FLUSH_BYTES) {
                    in.writeToCopy(b.array(), 0, b.size());
                    b.reset();
                }
            }
            b.trailer();
            in.writeToCopy(b.array(), 0, b.size());
            b.reset();
            in.endCopy();
        } finally {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException ignored) {
                    // the connection is broken; abort() will replace it
                }
            }
        }
    }

    /** Per connection: the table exists, durable commits, the session's staging table, the statements. */
    private void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('candles') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("table candles does not exist: run StoreSchema.migrate first");
                }
            }
            // A sink commits its Kafka offsets once write() returns, so a commit must be on disk by then.
            st.execute("SET synchronous_commit = on");
            st.execute(CREATE_STAGING);
        }
        copyManager = c.unwrap(PGConnection.class).getCopyAPI();
        upsert = c.prepareStatement(UPSERT);
    }

    /** Closes the connection; the session's staging table goes with it. */
    @Override
    public void close() {
        session.close();
    }
}
