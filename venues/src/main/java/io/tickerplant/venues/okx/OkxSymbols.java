package io.tickerplant.venues.okx;

import io.tickerplant.model.Instrument;
import java.util.Optional;
import java.util.Set;

/**
 * OKX instrument ids both ways: canonical {@code BTC-USDT} is spot {@code BTC-USDT}, canonical {@code BTC-USDT-PERP}
 * is the perpetual swap {@code BTC-USDT-SWAP}. Dated futures ({@code BTC-USD-220527}) and options have no canonical
 * form and are refused with the reason.
 *
 * <p>Only linear swaps (margined and settled in a stablecoin, contract value counted in the base asset) are accepted:
 * OKX's {@code X-USD-SWAP} are inverse swaps whose contracts are worth a fixed amount of USD, so a base quantity would
 * need a division by the price, which is not exact.
 */
public final class OkxSymbols {
    private OkxSymbols() {
    }

    /** Quote assets of OKX's linear (USDT/USDC-margined) swaps. */
    static final Set<String> LINEAR_SWAP_QUOTES = Set.of("USDT", "USDC");

    /** {@code BTC-USDT} to {@code BTC-USDT}, {@code BTC-USDT-PERP} to {@code BTC-USDT-SWAP}. */
    public static String toVenue(Instrument instrument) {
        return instrument.perpetual() ? instrument.base() + "-" + instrument.quote() + "-SWAP"
                : instrument.base() + "-" + instrument.quote();
    }

    /** True for a perpetual swap id ({@code BTC-USDT-SWAP}). */
    public static boolean isSwap(String instId) {
        return instId != null && instId.endsWith("-SWAP");
    }

    /**
     * {@code BTC-USDT} to {@code BTC-USDT}, {@code BTC-USDT-SWAP} to {@code BTC-USDT-PERP}.
     *
     * @throws IllegalArgumentException for dated futures, options and anything else, naming the form
     */
    public static Instrument toCanonical(String instId) {
        String[] parts = instId == null ? new String[0] : instId.split("-");
        if (parts.length == 2) {
            return new Instrument(parts[0], parts[1], false);
        }
        if (parts.length == 3 && parts[2].equals("SWAP")) {
            return new Instrument(parts[0], parts[1], true);
        }
        if (parts.length == 3 && parts[2].matches("\\d{6}")) {
            throw new IllegalArgumentException("OKX instrument '" + instId + "' is a dated future (expiry "
                    + parts[2] + "); tickerplant has canonical symbols for spot (BASE-QUOTE) and perpetual swaps"
                    + " (BASE-QUOTE-SWAP as BASE-QUOTE-PERP) only");
        }
        if (parts.length == 5 && (parts[4].equals("C") || parts[4].equals("P"))) {
            throw new IllegalArgumentException("OKX instrument '" + instId + "' is an option; not supported");
        }
        throw new IllegalArgumentException("cannot map OKX instrument '" + instId
                + "': expected BASE-QUOTE (spot) or BASE-QUOTE-SWAP (perpetual swap)");
    }

    /** The canonical symbol of an instrument id, or empty when it has none. */
    public static Optional<String> canonicalOrEmpty(String instId) {
        try {
            return Optional.of(toCanonical(instId).symbol());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Why an instrument cannot be traded through the OKX adapter, or empty when it can. */
    public static Optional<String> problem(Instrument instrument) {
        if (instrument.perpetual() && !LINEAR_SWAP_QUOTES.contains(instrument.quote())) {
            return Optional.of(instrument + ": OKX spells it " + toVenue(instrument) + ", which would be an inverse"
                    + " (coin-margined) swap counted in " + instrument.quote() + " contracts; only linear swaps "
                    + LINEAR_SWAP_QUOTES + " (e.g. " + instrument.base() + "-USDT-PERP = " + instrument.base()
                    + "-USDT-SWAP) are supported. Dated futures (" + instrument.base() + "-USD-220527) have no"
                    + " canonical symbol");
        }
        return Optional.empty();
    }
}
