package io.tickerplant.model;

/** Record keys: {@code VENUE:SYMBOL} on venue topics, {@code SYMBOL} on cross-venue topics. */
public final class Keys {
    private Keys() {
    }

    public static String venueSymbol(String venue, String symbol) {
        return venue + ":" + symbol;
    }
}
