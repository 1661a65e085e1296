package io.tickerplant.emulator;

/**
 * One trade the simulated market made: the ground truth a client's output is compared against.
 *
 * @param symbol the venue's spelling of the instrument, e.g. {@code BTCUSDT}
 * @param id trade id, contiguous per symbol
 * @param price exact decimal text with the symbol's fixed scale, e.g. {@code "60000.12000000"}
 * @param qty exact decimal text, base-asset quantity
 * @param quoteQty {@code price * qty} truncated to the same scale (what Binance reports as {@code quoteQty})
 * @param timeMillis trade time, epoch milliseconds
 * @param buyerIsMaker true when the buyer was the resting order, i.e. the taker sold
 */
public record EmittedTrade(String symbol, long id, String price, String qty, String quoteQty, long timeMillis,
                           boolean buyerIsMaker) {
}
