package io.tickerplant.venues.bybit;

import io.tickerplant.model.Instrument;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Bybit v5 symbols both ways. Bybit writes base and quote without a separator and lets the category tell spot
 * from derivatives: canonical {@code BTC-USDT} is spot {@code BTCUSDT}, canonical {@code BTC-USDT-PERP} is linear
 * {@code BTCUSDT}. A venue symbol is split on the longest known quote asset it ends with.
 */
public final class BybitSymbols {
    private BybitSymbols() {
    }

    /** Quote assets of Bybit spot pairs, longest first. */
    public static final List<String> SPOT_QUOTES = List.of("USDT", "USDC", "USDE", "USD1", "BTC", "ETH", "EUR",
                    "BRL", "TRY", "PLN", "DAI", "MNT")
            .stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

    /**
     * Quote of Bybit's linear perpetuals that are spelled {@code BASEQUOTE}. USDC perpetuals are spelled
     * {@code BTCPERP} and dated futures {@code BTC-27DEC24}: neither is a {@code BASE-QUOTE-PERP} round trip.
     */
    public static final List<String> LINEAR_QUOTES = List.of("USDT");

    /** {@code BTC-USDT} and {@code BTC-USDT-PERP} are both {@code BTCUSDT}; the category tells them apart. */
    public static String toVenue(Instrument instrument) {
        return instrument.base() + instrument.quote();
    }

    /** {@code BTCUSDT} (any case) of a category to the canonical instrument. */
    public static Instrument toCanonical(String venueSymbol, BybitCategory category) {
        String s = venueSymbol == null ? "" : venueSymbol.trim().toUpperCase(Locale.ROOT);
        List<String> quotes = category == BybitCategory.LINEAR ? LINEAR_QUOTES : SPOT_QUOTES;
        for (String quote : quotes) {
            if (s.length() > quote.length() && s.endsWith(quote)) {
                return new Instrument(s.substring(0, s.length() - quote.length()), quote,
                        category == BybitCategory.LINEAR);
            }
        }
        throw new IllegalArgumentException("cannot map Bybit " + category.path() + " symbol '" + venueSymbol
                + "': it does not end with a known quote asset " + quotes);
    }

    /** The canonical symbol text, or the venue symbol itself when it does not map (replays accept anything). */
    static String canonicalOrSelf(String venueSymbol, BybitCategory category) {
        try {
            return toCanonical(venueSymbol, category).symbol();
        } catch (IllegalArgumentException e) {
            return venueSymbol;
        }
    }

    /** Why an instrument cannot be traded through the Bybit adapter, or empty when it can. */
    public static Optional<String> problem(Instrument instrument) {
        BybitCategory category = BybitCategory.of(instrument);
        List<String> quotes = category == BybitCategory.LINEAR ? LINEAR_QUOTES : SPOT_QUOTES;
        if (!quotes.contains(instrument.quote())) {
            return Optional.of(instrument + ": " + instrument.quote() + " is not a Bybit " + category.path()
                    + " quote asset " + quotes + (instrument.perpetual()
                    ? " (Bybit spells USDC perpetuals BTCPERP, which tickerplant does not map)" : ""));
        }
        Instrument back = toCanonical(toVenue(instrument), category);
        if (!back.equals(instrument)) {
            return Optional.of(instrument + ": Bybit spells it " + toVenue(instrument) + " (" + category.path()
                    + "), which reads back as " + back + "; ambiguous");
        }
        return Optional.empty();
    }
}
