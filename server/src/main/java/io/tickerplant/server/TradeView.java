package io.tickerplant.server;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Trade;

/**
 * A trade as the API shows it. Prices and sizes are decimal strings, exactly as the venue sent them: JSON numbers
 * would be read as binary floating point by most clients.
 */
public record TradeView(String venue, String symbol, String venueSymbol, String tradeId, String price, String size,
        String side, String eventTime, String receiveTime) {

    public static TradeView of(Trade t) {
        return new TradeView(t.getVenue(), t.getSymbol(), t.getVenueSymbol(), t.getTradeId(),
                Decimals.toPlainString(t.getPrice()), Decimals.toPlainString(t.getSize()), t.getSide().name(),
                t.getEventTime().toString(), t.getReceiveTime().toString());
    }
}
