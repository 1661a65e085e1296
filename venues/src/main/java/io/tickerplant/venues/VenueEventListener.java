package io.tickerplant.venues;

import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Trade;

/**
 * Where an adapter delivers what it saw. Calls come from the adapter's I/O thread, in venue order per symbol;
 * an implementation may block to apply back-pressure (the adapter then stops reading from the socket).
 */
public interface VenueEventListener {

    void onTrade(Trade trade);

    /** Connection and sequence events: CONNECTED, DISCONNECTED, GAP, RESYNC, STALE. */
    void onFeedStatus(FeedStatus status);

    /** A frame that could not be turned into events; it goes to the dead-letter topic, the feed goes on. */
    void onRejected(RejectedFrame frame);
}
