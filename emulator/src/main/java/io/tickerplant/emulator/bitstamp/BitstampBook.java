package io.tickerplant.emulator.bitstamp;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.MovingBook;
import io.tickerplant.emulator.SymbolSpec;
import java.math.BigDecimal;
import java.util.Map;

/**
 * One Bitstamp pair's {@link MovingBook}, stamped the Bitstamp way: each change set is one diff with a
 * microtimestamp that strictly increases per pair, which is all Bitstamp gives its clients to order diffs.
 *
 * <p>Guarded by the caller ({@link BitstampEmulator} locks it).
 */
final class BitstampBook {

    /** One diff: levels whose size changed (zero: removed), at a microtimestamp. */
    record Diff(long microtimestamp, Map<BigDecimal, BigDecimal> bids, Map<BigDecimal, BigDecimal> asks) {
    }

    private final String pair;
    private final MovingBook book;
    private long microtimestamp;

    BitstampBook(SymbolSpec spec, long seed, long startMicros) {
        this.pair = spec.symbol();
        this.book = new MovingBook(spec, seed, BigDecimal.ZERO.setScale(MarketSimulator.SCALE));
        this.microtimestamp = startMicros;
    }

    /** The microtimestamp of the last change (of the initial book before any). */
    long microtimestamp() {
        return microtimestamp;
    }

    /** Moves the book after a trade; null when nothing changed. */
    Diff onTrade(EmittedTrade t) {
        MovingBook.Changes c = book.onTrade(t);
        if (c == null) {
            return null;
        }
        microtimestamp = Math.max(t.timeMillis() * 1000L, microtimestamp + 1);
        return new Diff(microtimestamp, c.bids(), c.asks());
    }

    /** The book with its microtimestamp in {@link BookSnapshot#lastUpdateId()} (Bitstamp has no update ids). */
    BookSnapshot snapshot(int limit) {
        return new BookSnapshot(pair, microtimestamp, book.bids(limit), book.asks(limit));
    }
}
