package io.tickerplant.store;

import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.copy.PgCopyBuffer;
import io.tickerplant.store.copy.TradeCopy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of trades into {@code trades}, durably and at most once per key
 * {@code (venue, symbol, event_time, trade_id)}: writing the same batch twice (a Kafka redelivery) stores nothing
 * the second time.
 *
 * <p>Per batch, in one transaction: a binary COPY into a session-private staging table, then one
 * {@code INSERT INTO trades SELECT ... FROM staging ON CONFLICT DO NOTHING}, then commit. COPY is the fastest way
 * into PostgreSQL but cannot skip duplicates; the INSERT can, and works set-wise inside the server, so there is no
 * SQL per row. The staging table is {@code TEMP ... ON COMMIT DELETE ROWS}: not WAL-logged, emptied by every
 * commit or rollback. Batches without duplicates, the usual case, take a faster path: see {@link #insert}. In the {@link StorageLayout#PARTITIONED} layout the daily partitions a batch needs (and the following
 * day, so that midnight finds it ready) are created first, in their own transaction, and remembered.
 *
 * <p>A failed write is rolled back completely. {@link SqlErrors#isRetriable} tells whether calling {@code write}
 * again with the same batch may succeed; the writer reconnects by itself after a lost connection. Invalid trades
 * are rejected before anything is sent ({@link InvalidTradeException}).
 *
 * <p>Not thread-safe: one writer per thread, each with its own connection.
 */
public final class TradeWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TradeWriter.class);

    static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS trades_staging ("
        + "venue text, symbol text, venue_symbol text, trade_id text, price numeric, size numeric, side text,"
        + " event_time timestamptz, receive_time timestamptz) ON COMMIT DELETE ROWS";
    private static final String COLUMNS = TradeCopy.COLUMNS;
    static final String COPY_STAGING = "COPY pg_temp.trades_staging FROM STDIN (FORMAT BINARY)";
    private static final String COPY_TRADES = "COPY trades (" + COLUMNS + ") FROM STDIN (FORMAT BINARY)";
    private static final String INSERT_NEW_ONLY = "INSERT INTO trades (" + COLUMNS + ") SELECT " + COLUMNS
        + " FROM pg_temp.trades_staging ON CONFLICT DO NOTHING";
    private static final long SECONDS_PER_DAY = 86_400;
    private static final String CHECK_VIOLATION = "23514";
    private static final String UNIQUE_VIOLATION = "23505";

    private final PgCopyBuffer buffer = new PgCopyBuffer(TradeCopy.FLUSH_BYTES + 1024);
    /** Days whose partition is known to exist; only ever grows, except after a partition turned out missing. */
    private final Set<Long> knownDays = new HashSet<>();
    private final TreeSet<Long> batchDays = new TreeSet<>();

    private final WriterSession session;
    /** The current connection, while a write runs. */
    private Connection connection;
    private CopyManager copyManager;
    private PreparedStatement insertNewOnly;
    private StorageLayout layout;
    /** The previous batch held duplicates: a replay is under way, so skip the optimistic attempt. */
    private boolean expectDuplicates;

    public TradeWriter(ConnectionFactory connections) {
        this.session = new WriterSession(connections, this::prepare, false);
    }

    /**
     * Stores the trades that are not stored yet and commits.
     *
     * @throws InvalidTradeException if a trade cannot be stored; nothing was written
     * @throws SQLException          if the database failed; nothing was written. See {@link SqlErrors#isRetriable}
     */
    public WriteResult write(List<? extends Trade> trades) throws SQLException {
        if (trades.isEmpty()) {
            return new WriteResult(0, 0);
        }
        collectDaysAndValidate(trades);
        try {
            return writeOnce(trades);
        } catch (SQLException e) {
            if (layout != StorageLayout.PARTITIONED || !session.isOpen()
                || !CHECK_VIOLATION.equals(SqlErrors.sqlState(e))) {
                throw e;
            }
            // Either a real CHECK violation or "no partition of relation found for row" because a partition we
            // believed in was dropped (retention, a restored database). Forget what we know and try once more.
            log.info("Batch failed with {}; re-checking partitions and retrying once", SqlErrors.describe(e));
            knownDays.clear();
            return writeOnce(trades);
        }
    }

    private WriteResult writeOnce(List<? extends Trade> trades) throws SQLException {
        try {
            connection = session.connection();
            if (layout == StorageLayout.PARTITIONED) {
                ensurePartitions();
            }
            int inserted = insert(trades);
            connection.commit();
            expectDuplicates = inserted < trades.size();
            return new WriteResult(trades.size(), inserted);
        } catch (SQLException | RuntimeException e) {
            session.abort(e);
            throw e;
        }
    }

    /**
     * Duplicates come in runs (a redelivery after a restart or a rebalance) and are otherwise absent, so the batch is
     * first copied straight into {@code trades}. COPY inserts in bulk and measured about twice the rows per second
     * of the staging path, whose ON CONFLICT DO NOTHING makes every row a speculative insertion (probe the key,
     * insert, confirm). The direct COPY runs under a savepoint: if the primary key rejects a row, only the COPY is
     * undone and the batch goes the safe way. While batches keep holding duplicates the direct attempt is skipped.
     * The primary key guarantees uniqueness either way; this only picks the cheaper path.
     */
    private int insert(List<? extends Trade> trades) throws SQLException {
        if (!expectDuplicates) {
            Savepoint beforeCopy = connection.setSavepoint();
            try {
                copy(trades, COPY_TRADES);
                connection.releaseSavepoint(beforeCopy);
                return trades.size();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(beforeCopy);
            }
        }
        copy(trades, COPY_STAGING);
        return insertNewOnly.executeUpdate();
    }

    private void copy(List<? extends Trade> trades, String copySql) throws SQLException {
        TradeCopy.copy(copyManager, copySql, buffer, trades);
    }

    private void ensurePartitions() throws SQLException {
        List<LocalDate> wanted = null;
        for (Long day : batchDays) {
            if (!knownDays.contains(day)) {
                if (wanted == null) {
                    wanted = new ArrayList<>();
                }
                wanted.add(LocalDate.ofEpochDay(day));
                wanted.add(LocalDate.ofEpochDay(day + 1));
            }
        }
        if (wanted == null) {
            return;
        }
        List<LocalDate> created = TradePartitions.ensure(connection, wanted);
        if (!created.isEmpty()) {
            log.info("Created trades partitions for {}", created);
        }
        for (LocalDate d : wanted) {
            knownDays.add(d.toEpochDay());
        }
    }

    /** Rejects what the database would reject for the whole batch, and notes the UTC days the batch spans. */
    private void collectDaysAndValidate(List<? extends Trade> trades) {
        batchDays.clear();
        long previousDay = Long.MIN_VALUE;
        for (int i = 0, n = trades.size(); i < n; i++) {
            Trade t = trades.get(i);
            String problem = problemWith(t);
            if (problem != null) {
                throw new InvalidTradeException(i, problem);
            }
            long day = Math.floorDiv(t.getEventTime().getEpochSecond(), SECONDS_PER_DAY);
            if (day != previousDay) {
                batchDays.add(day);
                previousDay = day;
            }
        }
    }

    /** Why this trade cannot be stored, or null if it can. Lets a caller filter a batch before writing it. */
    public static String problemWith(Trade t) {
        if (t == null) {
            return "null trade";
        }
        String p;
        if ((p = textProblem("venue", t.getVenue())) != null
            || (p = textProblem("symbol", t.getSymbol())) != null
            || (p = textProblem("venueSymbol", t.getVenueSymbol())) != null
            || (p = textProblem("tradeId", t.getTradeId())) != null
            || (p = decimalProblem("price", t.getPrice())) != null
            || (p = decimalProblem("size", t.getSize())) != null
            || (p = timeProblem("eventTime", t.getEventTime())) != null
            || (p = timeProblem("receiveTime", t.getReceiveTime())) != null) {
            return p;
        }
        return t.getSide() == null ? "side is missing" : null;
    }

    private static String textProblem(String field, String s) {
        if (s == null) {
            return field + " is missing";
        }
        return s.indexOf('\0') >= 0 ? field + " contains a NUL character" : null;
    }

    private static String decimalProblem(String field, Decimal d) {
        if (d == null) {
            return field + " is missing";
        }
        int scale = d.getScale();
        return scale < PgCopyBuffer.MIN_NUMERIC_SCALE || scale > PgCopyBuffer.MAX_NUMERIC_SCALE
            ? field + " has scale " + scale + ", outside what PostgreSQL numeric can hold" : null;
    }

    private static String timeProblem(String field, Instant t) {
        if (t == null) {
            return field + " is missing";
        }
        long s = t.getEpochSecond();
        return s < PgCopyBuffer.MIN_TIMESTAMP_EPOCH_SECOND || s >= PgCopyBuffer.END_TIMESTAMP_EPOCH_SECOND
            ? field + " " + t + " is outside PostgreSQL's timestamp range" : null;
    }

    /** Per connection: durable commits, the session's staging table, the layout, the statements. */
    private void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            // A sink commits its Kafka offsets once write() returns, so a commit must be on disk by then,
            // whatever the server's default is.
            st.execute("SET synchronous_commit = on");
            st.execute(CREATE_STAGING);
        }
        layout = StoreSchema.layout(c).orElseThrow(() ->
            new IllegalStateException("table trades does not exist: run StoreSchema.migrate first"));
        copyManager = c.unwrap(PGConnection.class).getCopyAPI();
        insertNewOnly = c.prepareStatement(INSERT_NEW_ONLY);
    }

    /** Closes the connection; the session's staging table goes with it. */
    @Override
    public void close() {
        session.close();
    }
}
