package io.tickerplant.store.copy;

import io.tickerplant.model.avro.Trade;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Trades as a binary COPY stream: the one encoding of a trade row, used by the writer and by the benchmark's raw
 * COPY reference, so that the reference measures exactly what the writer sends.
 */
public final class TradeCopy {
    private TradeCopy() {
    }

    /** The column list every trade COPY names, in the order {@link #copy} writes the fields. */
    public static final String COLUMNS =
        "venue, symbol, venue_symbol, trade_id, price, size, side, event_time, receive_time";
    private static final int FIELDS = 9;
    /** Sent to the server in chunks of about this size, so the buffer stays small whatever the batch size. */
    public static final int FLUSH_BYTES = 256 * 1024;

    /**
     * Runs one {@code COPY ... FROM STDIN (FORMAT BINARY)} of the trades, reusing {@code buffer}. On failure the COPY
     * is cancelled, leaving the connection usable for a rollback.
     *
     * @return rows copied
     */
    public static long copy(CopyManager copyManager, String copySql, PgCopyBuffer buffer, List<? extends Trade> trades)
        throws SQLException {
        CopyIn in = copyManager.copyIn(copySql);
        try {
            PgCopyBuffer b = buffer;
            b.reset();
            b.header();
            for (int i = 0, n = trades.size(); i < n; i++) {
                Trade t = trades.get(i);
                b.row(FIELDS)
                    .text(t.getVenue())
                    .text(t.getSymbol())
                    .text(t.getVenueSymbol())
                    .text(t.getTradeId())
                    .numeric(t.getPrice())
                    .numeric(t.getSize())
                    .text(t.getSide().name())
                    .timestamptz(t.getEventTime())
                    .timestamptz(t.getReceiveTime());
                if (b.size() >= FLUSH_BYTES) {
                    in.writeToCopy(b.array(), 0, b.size());
                    b.reset();
                }
            }
            b.trailer();
            in.writeToCopy(b.array(), 0, b.size());
            b.reset();
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException ignored) {
                    // the connection is broken; the caller replaces it
                }
            }
        }
    }
}
