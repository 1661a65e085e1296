package io.tickerplant.venues.reference;

import io.tickerplant.model.avro.ReferencePrice;

/**
 * One pair's outcome of one poll: a price, or the reason there is none.
 *
 * @param symbol canonical pair, e.g. ETH-USD
 * @param sourceId what the source calls the pair (coin id, proxy address)
 * @param price the price, or null when rejected
 * @param rejection why there is no price, or null
 */
public record ReferenceReading(String symbol, String sourceId, ReferencePrice price, ReferenceRejection rejection) {

    public static ReferenceReading ok(ReferencePrice price) {
        return new ReferenceReading(price.getSymbol(), price.getSourceId(), price, null);
    }

    public static ReferenceReading rejected(String symbol, String sourceId, ReferenceRejection rejection) {
        return new ReferenceReading(symbol, sourceId, null, rejection);
    }

    public boolean isOk() {
        return price != null;
    }
}
