package io.tickerplant.venues.coinbase;

import io.tickerplant.model.Instrument;
import java.util.Optional;

/**
 * Coinbase Advanced Trade spot product ids both ways: canonical {@code BTC-USD} is product {@code BTC-USD}.
 * Coinbase's perpetuals live on Coinbase International Exchange with ids such as {@code BTC-PERP-INTX}, a different
 * venue and feed, so canonical {@code -PERP} instruments are refused here.
 */
public final class CoinbaseSymbols {
    private CoinbaseSymbols() {
    }

    /** {@code BTC-USD} to product id {@code BTC-USD}. */
    public static String toVenue(Instrument instrument) {
        problem(instrument).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return instrument.base() + "-" + instrument.quote();
    }

    /** Product id {@code BTC-USD} to canonical; ids of another form (perpetuals, futures) are refused. */
    public static Instrument toCanonical(String productId) {
        String[] parts = productId == null ? new String[0] : productId.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("cannot map Coinbase product '" + productId
                    + "': expected a spot product BASE-QUOTE such as BTC-USD");
        }
        return new Instrument(parts[0], parts[1], false);
    }

    /** Why an instrument cannot be traded through the Coinbase Advanced Trade spot adapter, or empty. */
    public static Optional<String> problem(Instrument instrument) {
        if (instrument.perpetual()) {
            return Optional.of(instrument + ": Coinbase Advanced Trade spot has no perpetuals (Coinbase lists them on"
                    + " its International Exchange as e.g. " + instrument.base() + "-PERP-INTX, another venue)");
        }
        return Optional.empty();
    }

    /** The canonical symbol of a product id, or the id itself when it is not a spot product (replays). */
    static String canonicalOrSelf(String productId) {
        try {
            return toCanonical(productId).symbol();
        } catch (IllegalArgumentException e) {
            return productId;
        }
    }
}
