package io.tickerplant.emulator.bybit;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MovingBook;
import io.tickerplant.emulator.SymbolSpec;
import java.math.BigDecimal;
import java.util.Map;

/**
 * One symbol's {@link MovingBook}, numbered the Bybit way: every change set (one per trade) is one delta whose
 * update id {@code u} is the previous one plus 1, with a growing cross sequence {@code seq}. A restart of the book
 * service starts {@code u} at 1 again. The book never has more than {@code KEEP + 1} levels a side, so an
 * {@code orderbook.50} subscription always holds all of it. Removed levels carry size {@code 0}, as Bybit writes it.
 *
 * <p>Guarded by the caller ({@link BybitEmulator}'s lock).
 */
final class BybitBook {

    /** One delta: levels whose size changed (zero: removed). */
    record Delta(long updateId, long crossSeq, long timeMillis, Map<BigDecimal, BigDecimal> bids,
                 Map<BigDecimal, BigDecimal> asks) {
    }

    private final String symbol;
    private final MovingBook book;
    private long updateId;
    private long crossSeq;

    BybitBook(SymbolSpec spec, String venueSymbol, long seed, long firstUpdateId) {
        this.symbol = venueSymbol;
        this.book = new MovingBook(spec, seed, BigDecimal.ZERO);
        this.updateId = firstUpdateId;
        this.crossSeq = firstUpdateId * 7;
    }

    long updateId() {
        return updateId;
    }

    long crossSeq() {
        return crossSeq;
    }

    /** The venue restarted its book service: the next snapshot has {@code u = 1}. */
    void restart() {
        updateId = 1;
        crossSeq += 1000;
    }

    /** Moves the book after a trade; null when nothing changed. */
    Delta onTrade(EmittedTrade t) {
        MovingBook.Changes c = book.onTrade(t);
        if (c == null) {
            return null;
        }
        updateId++;
        crossSeq += c.size();
        return new Delta(updateId, crossSeq, t.timeMillis(), c.bids(), c.asks());
    }

    Map.Entry<BigDecimal, BigDecimal> bestBid() {
        return book.bestBid();
    }

    Map.Entry<BigDecimal, BigDecimal> bestAsk() {
        return book.bestAsk();
    }

    /** The best {@code limit} levels a side, venue text. */
    BookSnapshot snapshot(int limit) {
        return new BookSnapshot(symbol, updateId, book.bids(limit), book.asks(limit));
    }
}
