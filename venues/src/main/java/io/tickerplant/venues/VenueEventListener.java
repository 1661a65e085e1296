package io.tickerplant.venues;

import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;

/**
 * Where an adapter delivers what it saw. Calls come from the adapter's I/O thread, in venue order per symbol;
 * an implementation may block to apply back-pressure (the adapter then stops reading from the socket).
 */
public interface VenueEventListener {

    void onTrade(Trade trade);

    /** Best bid and offer; listeners that only want trades need not implement it. */
    default void onQuote(Quote quote) {
    }

    /**
     * An L2 book snapshot or delta. Deltas only ever follow a snapshot of the same book with no gap in between
     * ({@link BookUpdate#getSequence()} counts up by one from that snapshot's 0).
     */
    default void onBook(BookUpdate update) {
    }

    /** A liquidation (derivatives venues). */
    default void onLiquidation(Liquidation liquidation) {
    }

    /** Mark price and funding of a perpetual swap (derivatives venues). */
    default void onFunding(Funding funding) {
    }

    /** Connection and sequence events: CONNECTED, DISCONNECTED, GAP, RESYNC, STALE. */
    void onFeedStatus(FeedStatus status);

    /** A frame that could not be turned into events; it goes to the dead-letter topic, the feed goes on. */
    void onRejected(RejectedFrame frame);
}
