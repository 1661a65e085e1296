package io.tickerplant.emulator.binance;

/**
 * A {@code markPriceUpdate} the futures emulator sent: the ground truth for tests.
 *
 * @param symbol venue spelling, e.g. {@code BTCUSDT}
 * @param markPrice {@code p}
 * @param indexPrice {@code i}
 * @param fundingRate {@code r}
 * @param nextFundingTimeMillis {@code T}
 * @param eventTimeMillis {@code E}
 */
public record EmittedMarkPrice(String symbol, String markPrice, String indexPrice, String fundingRate,
                               long nextFundingTimeMillis, long eventTimeMillis) {
}
