package io.tickerplant.emulator.binance;

/**
 * A liquidation the futures emulator sent as a {@code forceOrder} event: the ground truth for tests.
 *
 * @param symbol venue spelling, e.g. {@code BTCUSDT}
 * @param side the liquidation order's side: {@code SELL} closes a long, {@code BUY} a short
 * @param price the average fill price ({@code ap}; also {@code p})
 * @param qty the filled quantity ({@code z}; also {@code q} and {@code l})
 * @param eventTimeMillis the event time {@code E}
 */
public record EmittedLiquidation(String symbol, String side, String price, String qty, long eventTimeMillis) {
}
