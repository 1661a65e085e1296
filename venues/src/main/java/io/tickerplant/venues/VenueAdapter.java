package io.tickerplant.venues;

import io.tickerplant.model.Venue;

/**
 * One venue's market data, normalized. An adapter owns its connections: it connects, subscribes, answers pings,
 * reconnects with backoff, watches for silence, checks sequences and recovers what it missed where the venue
 * allows it; everything it sees, or fails to see, reaches the {@link VenueEventListener}.
 */
public interface VenueAdapter extends AutoCloseable {

    Venue venue();

    /** Connects and subscribes; returns at once, events flow on the adapter's own threads. */
    void start();

    /** Closes every connection and stops every thread; no listener calls after it returns. */
    @Override
    void close();
}
