package io.tickerplant.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A canonical instrument symbol: {@code BASE-QUOTE} for spot ({@code BTC-USDT}) and {@code BASE-QUOTE-PERP} for
 * perpetual swaps. Every adapter maps both ways between this and the venue's own spelling.
 */
public record Instrument(String base, String quote, boolean perpetual) {

    private static final Pattern ASSET = Pattern.compile("[A-Z0-9]{1,15}");

    public Instrument {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(quote, "quote");
        if (!ASSET.matcher(base).matches() || !ASSET.matcher(quote).matches()) {
            throw new IllegalArgumentException("invalid instrument assets '" + base + "', '" + quote
                    + "': expected upper-case letters and digits");
        }
    }

    /** Parses {@code BTC-USDT} or {@code BTC-USDT-PERP}; the error says what the expected form is. */
    public static Instrument parse(String symbol) {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("empty instrument symbol; expected BASE-QUOTE such as BTC-USDT");
        }
        String[] parts = symbol.trim().toUpperCase(java.util.Locale.ROOT).split("-");
        if (parts.length == 2) {
            return new Instrument(parts[0], parts[1], false);
        }
        if (parts.length == 3 && parts[2].equals("PERP")) {
            return new Instrument(parts[0], parts[1], true);
        }
        throw new IllegalArgumentException("invalid instrument symbol '" + symbol
                + "'; expected BASE-QUOTE (BTC-USDT) or BASE-QUOTE-PERP (BTC-USDT-PERP)");
    }

    /** The canonical text form, e.g. {@code BTC-USDT-PERP}. */
    public String symbol() {
        return perpetual ? base + "-" + quote + "-PERP" : base + "-" + quote;
    }

    @Override
    public String toString() {
        return symbol();
    }
}
