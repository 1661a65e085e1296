package io.tickerplant.model;

/** The venues tickerplant speaks to. The id is the enum name, upper case, as it appears in keys and tables. */
public enum Venue {
    BINANCE,
    BINANCE_FUTURES,
    COINBASE,
    KRAKEN,
    BITSTAMP,
    OKX,
    BYBIT;

    /** Parses a venue id case-insensitively; the error lists the valid ids. */
    public static Venue parse(String id) {
        if (id != null) {
            for (Venue v : values()) {
                if (v.name().equalsIgnoreCase(id.trim())) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("unknown venue '" + id + "'; valid venues: " + java.util.Arrays.toString(values()));
    }
}
