package io.tickerplant.venues;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of market data an adapter can subscribe to. The config name is what users write in a channel list
 * ({@code trades,quotes,book}) and what FeedStatus events carry in their {@code channel} field. An adapter
 * subscribes to the configured channels its venue has ({@link VenueDefinition#channels()}) and ignores the others,
 * so one channel list serves spot and derivatives venues alike.
 */
public enum Channel {
    /** Every trade. */
    TRADES("trades"),
    /** Best bid and offer (Binance {@code bookTicker}). */
    QUOTES("quotes"),
    /** The L2 order book: snapshots and deltas. */
    BOOK("book"),
    /** Forced closes of leveraged positions (derivatives venues only). */
    LIQUIDATIONS("liquidations"),
    /** Mark price and funding rate of perpetual swaps (derivatives venues only). */
    FUNDING("funding");

    private final String configName;

    Channel(String configName) {
        this.configName = configName;
    }

    /** The lower-case name used in configuration and in FeedStatus events. */
    public String configName() {
        return configName;
    }

    /** Every channel: what an adapter subscribes to when nothing is configured. */
    public static Set<Channel> all() {
        return EnumSet.allOf(Channel.class);
    }

    /** Parses a config name case-insensitively; the error lists the valid names. */
    public static Channel parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Channel c : values()) {
                if (c.configName.equals(n)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("unknown channel '" + name + "'; valid channels: "
                + java.util.Arrays.stream(values()).map(Channel::configName)
                        .collect(java.util.stream.Collectors.joining(", ")));
    }
}
