package io.tickerplant.venues.kraken;

import io.tickerplant.model.Instrument;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Kraken spot symbols both ways: canonical {@code BTC-USD} is websocket v2 {@code BTC/USD}.
 *
 * <p>Websocket v2 spells assets by their common names ({@code BTC}, {@code DOGE}); the older websocket v1 and the
 * REST {@code wsname} still use Kraken's legacy ISO-style names ({@code XBT/USD}, {@code XDG/USD}). Both read back
 * to the same canonical instrument, so recordings of either protocol land on the same keys.
 */
public final class KrakenSymbols {
    private KrakenSymbols() {
    }

    /** Legacy (v1 / REST wsname) asset names and their common names, as v2 spells them. */
    private static final Map<String, String> LEGACY_ASSETS = Map.of("XBT", "BTC", "XDG", "DOGE");

    /** {@code BTC-USD} to {@code BTC/USD}; perpetuals are not spot. */
    public static String toVenue(Instrument instrument) {
        problem(instrument).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return instrument.base() + "/" + instrument.quote();
    }

    /** {@code BTC/USD} (v2) or {@code XBT/USD} (v1) to {@code BTC-USD}. */
    public static Instrument toCanonical(String venueSymbol) {
        String s = venueSymbol == null ? "" : venueSymbol.trim().toUpperCase(Locale.ROOT);
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("cannot map Kraken symbol '" + venueSymbol
                    + "': expected BASE/QUOTE such as BTC/USD");
        }
        String base = s.substring(0, slash);
        String quote = s.substring(slash + 1);
        return new Instrument(LEGACY_ASSETS.getOrDefault(base, base), LEGACY_ASSETS.getOrDefault(quote, quote), false);
    }

    /** Why an instrument cannot be traded through the Kraken spot adapter, or empty when it can. */
    public static Optional<String> problem(Instrument instrument) {
        if (instrument.perpetual()) {
            return Optional.of(instrument + ": perpetuals are on Kraken Futures, not Kraken spot (spot spells pairs"
                    + " BASE/QUOTE, e.g. BTC/USD)");
        }
        if (LEGACY_ASSETS.containsKey(instrument.base()) || LEGACY_ASSETS.containsKey(instrument.quote())) {
            return Optional.of(instrument + ": use the common asset name (" + instrument.base().replace("XBT", "BTC")
                    .replace("XDG", "DOGE") + "-" + instrument.quote().replace("XBT", "BTC").replace("XDG", "DOGE")
                    + "); Kraken websocket v2 spells it " + LEGACY_ASSETS.getOrDefault(instrument.base(),
                    instrument.base()) + "/" + LEGACY_ASSETS.getOrDefault(instrument.quote(), instrument.quote()));
        }
        return Optional.empty();
    }
}
