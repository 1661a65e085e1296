package io.tickerplant.emulator;

import java.util.List;

/**
 * The simulated L2 book of one symbol at one update id: the ground truth a client's reconstructed book is
 * compared with.
 *
 * @param symbol venue spelling, e.g. {@code BTCUSDT}
 * @param lastUpdateId the update id the book is at
 * @param bids best (highest) first
 * @param asks best (lowest) first
 */
public record BookSnapshot(String symbol, long lastUpdateId, List<Level> bids, List<Level> asks) {

    /** One price level as the venue prints it, e.g. {@code 60000.01000000} x {@code 0.52300000}. */
    public record Level(String price, String qty) {
    }

    public BookSnapshot {
        bids = List.copyOf(bids);
        asks = List.copyOf(asks);
    }
}
