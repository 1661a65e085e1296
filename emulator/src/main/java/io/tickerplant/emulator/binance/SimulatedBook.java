package io.tickerplant.emulator.binance;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.MovingBook;
import io.tickerplant.emulator.SymbolSpec;
import java.math.BigDecimal;
import java.util.Map;

/**
 * One symbol's {@link MovingBook}, numbered as Binance numbers it: every change set is one diff with contiguous
 * update ids (U = previous u + 1, u = U + changes - 1).
 *
 * <p>Guarded by the caller ({@link BinanceEmulator} locks it).
 */
final class SimulatedBook {

    /** One diff: levels whose size changed (zero: removed), with its update id range. */
    record Diff(long firstUpdateId, long lastUpdateId, long timeMillis, Map<BigDecimal, BigDecimal> bids,
                Map<BigDecimal, BigDecimal> asks) {
    }

    private final String symbol;
    private final MovingBook book;
    private long lastUpdateId;

    SimulatedBook(SymbolSpec spec, long seed, long firstUpdateId) {
        this.symbol = spec.symbol();
        this.book = new MovingBook(spec, seed, BigDecimal.ZERO.setScale(MarketSimulator.SCALE));
        this.lastUpdateId = firstUpdateId - 1;
    }

    long lastUpdateId() {
        return lastUpdateId;
    }

    /** Moves the book after a trade; null when nothing changed. */
    Diff onTrade(EmittedTrade t) {
        MovingBook.Changes c = book.onTrade(t);
        if (c == null) {
            return null;
        }
        long first = lastUpdateId + 1;
        lastUpdateId += c.size();
        return new Diff(first, lastUpdateId, t.timeMillis(), c.bids(), c.asks());
    }

    Map.Entry<BigDecimal, BigDecimal> bestBid() {
        return book.bestBid();
    }

    Map.Entry<BigDecimal, BigDecimal> bestAsk() {
        return book.bestAsk();
    }

    BookSnapshot snapshot(int limit) {
        return new BookSnapshot(symbol, lastUpdateId, book.bids(limit), book.asks(limit));
    }
}
