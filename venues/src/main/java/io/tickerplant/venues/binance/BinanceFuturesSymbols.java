package io.tickerplant.venues.binance;

import io.tickerplant.model.Instrument;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binance USD-M perpetual symbols both ways: canonical {@code BTC-USDT-PERP} is venue {@code BTCUSDT}, streams
 * {@code btcusdt@aggTrade} etc. Only perpetuals: a USD-M delivery contract ({@code BTCUSDT_250627}) has no canonical
 * form here, and a spot instrument belongs to venue BINANCE.
 */
public final class BinanceFuturesSymbols {
    private BinanceFuturesSymbols() {
    }

    /** Margin (quote) assets of USD-M perpetuals, longest first. */
    public static final List<String> QUOTE_ASSETS = List.of("FDUSD", "USDT", "USDC", "BUSD");

    /** {@code BTC-USDT-PERP} to {@code BTCUSDT}. */
    public static String toVenue(Instrument instrument) {
        if (!instrument.perpetual()) {
            throw new IllegalArgumentException(instrument + " is a spot instrument; BINANCE_FUTURES lists perpetuals"
                    + " (" + instrument + "-PERP); spot is venue BINANCE");
        }
        return instrument.base() + instrument.quote();
    }

    /** {@code BTCUSDT} (any case) to {@code BTC-USDT-PERP}, split on the longest known margin asset. */
    public static Instrument toCanonical(String venueSymbol) {
        String s = venueSymbol == null ? "" : venueSymbol.trim().toUpperCase(Locale.ROOT);
        if (s.indexOf('_') >= 0) {
            throw new IllegalArgumentException("cannot map Binance futures symbol '" + venueSymbol
                    + "': a symbol with '_' is a delivery contract, not a perpetual");
        }
        for (String quote : QUOTE_ASSETS) {
            if (s.length() > quote.length() && s.endsWith(quote)) {
                return new Instrument(s.substring(0, s.length() - quote.length()), quote, true);
            }
        }
        throw new IllegalArgumentException("cannot map Binance futures symbol '" + venueSymbol
                + "': it does not end with a USD-M margin asset " + QUOTE_ASSETS);
    }

    /** Why an instrument cannot be traded through the USD-M adapter, or empty when it can. */
    public static Optional<String> problem(Instrument instrument) {
        if (!instrument.perpetual()) {
            return Optional.of(instrument + ": BINANCE_FUTURES lists perpetuals only, spelled " + instrument
                    + "-PERP (venue " + instrument.base() + instrument.quote() + "); spot " + instrument
                    + " is on BINANCE");
        }
        if (!QUOTE_ASSETS.contains(instrument.quote())) {
            return Optional.of(instrument + ": " + instrument.quote() + " is not a USD-M margin asset " + QUOTE_ASSETS);
        }
        Instrument back = toCanonical(toVenue(instrument));
        if (!back.equals(instrument)) {
            return Optional.of(instrument + ": Binance spells it " + toVenue(instrument) + ", which reads back as "
                    + back + "; ambiguous");
        }
        return Optional.empty();
    }
}
