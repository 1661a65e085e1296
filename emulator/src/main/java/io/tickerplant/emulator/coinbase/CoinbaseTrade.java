package io.tickerplant.emulator.coinbase;

/**
 * One trade as the Coinbase emulator put it on the wire: the ground truth a client's trades are compared with,
 * digit for digit.
 *
 * @param productId e.g. {@code BTC-USD}
 * @param tradeId integer text, contiguous per product
 * @param price as sent, without trailing zeros ({@code "60000.1"})
 * @param size as sent
 * @param side as sent: the maker's side, {@code BUY} or {@code SELL}
 * @param time as sent, RFC 3339 UTC
 * @param timeMillis the same time, epoch milliseconds
 */
public record CoinbaseTrade(String productId, String tradeId, String price, String size, String side, String time,
                            long timeMillis) {

    /** True when the aggressor bought, i.e. the maker sold. */
    public boolean takerBuys() {
        return side.equals("SELL");
    }

    /** The trade object of {@code market_trades} events and of the REST ticker answer. */
    String json() {
        return "{\"trade_id\":\"" + tradeId + "\",\"product_id\":\"" + productId + "\",\"price\":\"" + price
                + "\",\"size\":\"" + size + "\",\"side\":\"" + side + "\",\"time\":\"" + time + "\"}";
    }
}
