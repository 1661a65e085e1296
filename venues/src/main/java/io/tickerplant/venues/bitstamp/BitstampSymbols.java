package io.tickerplant.venues.bitstamp;

import io.tickerplant.model.Instrument;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Bitstamp pairs both ways: canonical {@code BTC-USD} is Bitstamp's {@code btcusd} (its {@code url_symbol}, the
 * spelling of channel names {@code live_trades_btcusd} and REST paths {@code /api/v2/order_book/btcusd/}).
 *
 * <p>Bitstamp writes base and quote in lower case without a separator, so a pair is split on the longest known
 * quote asset it ends with ({@code usdtusd} is USDT-USD, {@code btcusdt} BTC-USDT). {@link #problem} rejects any
 * instrument that does not survive the round trip. Bitstamp is spot only: no perpetuals.
 */
public final class BitstampSymbols {
    private BitstampSymbols() {
    }

    /** Quote assets of Bitstamp pairs ({@code trading-pairs-info}), longest first so the longest suffix wins. */
    public static final List<String> QUOTE_ASSETS = List.of("USD", "EUR", "GBP", "BTC", "ETH", "USDT", "USDC",
                    "PAX", "PYUSD", "CHF")
            .stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

    /** Channel name prefix of the trade stream. */
    public static final String TRADES_PREFIX = "live_trades_";
    /** Channel name prefix of the diff order book stream. */
    public static final String DIFF_BOOK_PREFIX = "diff_order_book_";

    /** {@code BTC-USD} to {@code btcusd}. */
    public static String toVenue(Instrument instrument) {
        if (instrument.perpetual()) {
            throw new IllegalArgumentException(instrument + " is a perpetual; Bitstamp is spot only");
        }
        return (instrument.base() + instrument.quote()).toLowerCase(Locale.ROOT);
    }

    /** {@code btcusd} (any case) to {@code BTC-USD}, split on the longest known quote asset. */
    public static Instrument toCanonical(String pair) {
        String s = pair == null ? "" : pair.trim().toUpperCase(Locale.ROOT);
        for (String quote : QUOTE_ASSETS) {
            if (s.length() > quote.length() && s.endsWith(quote)) {
                return new Instrument(s.substring(0, s.length() - quote.length()), quote, false);
            }
        }
        throw new IllegalArgumentException("cannot map Bitstamp pair '" + pair
                + "': it does not end with a known quote asset " + QUOTE_ASSETS);
    }

    /** The canonical symbol of a pair, or the pair itself when it cannot be mapped (replay of unknown pairs). */
    public static String canonicalOrPair(String pair) {
        try {
            return toCanonical(pair).symbol();
        } catch (IllegalArgumentException e) {
            return pair;
        }
    }

    /** Why an instrument cannot be traded through the Bitstamp adapter, or empty when it can. */
    public static Optional<String> problem(Instrument instrument) {
        if (instrument.perpetual()) {
            return Optional.of(instrument + ": Bitstamp is spot only and has no perpetuals");
        }
        if (!QUOTE_ASSETS.contains(instrument.quote())) {
            return Optional.of(instrument + ": " + instrument.quote() + " is not a Bitstamp quote asset "
                    + QUOTE_ASSETS + " (Bitstamp spells pairs in lower case, e.g. btcusd)");
        }
        Instrument back = toCanonical(toVenue(instrument));
        if (!back.equals(instrument)) {
            return Optional.of(instrument + ": Bitstamp spells it " + toVenue(instrument) + ", which reads back as "
                    + back + "; ambiguous");
        }
        return Optional.empty();
    }
}
