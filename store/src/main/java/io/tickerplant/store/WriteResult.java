package io.tickerplant.store;

/**
 * The outcome of one {@link TradeWriter#write} call.
 *
 * @param offered  rows in the batch
 * @param inserted rows that were new; the rest were already stored (or repeated within the batch)
 */
public record WriteResult(int offered, int inserted) {
    public int duplicates() {
        return offered - inserted;
    }
}
