package io.tickerplant.venues.replay;

import java.util.Map;

/**
 * Recorded frames of one venue through its adapter's own parsers and book logic, with no network: messages are
 * given in receive-time order and the events reach the listener the replayer was made with, as they would from
 * the live adapter. Every symbol found in the recording is accepted. What a replay cannot do live (ask for a
 * snapshot or missed trades) it takes from recorded REST answers when there are any, and otherwise reports as a
 * GAP. Not thread-safe.
 */
public interface VenueReplayer {

    /** One recorded message; connections and sent frames may be ignored. */
    void onMessage(CapturedMessage message);

    /** Per venue symbol, book updates that never reached a synchronized book: what the recording cannot rebuild. */
    Map<String, Integer> unsyncedDiffs();
}
