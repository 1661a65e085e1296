package io.tickerplant.venues.binance;

import io.tickerplant.model.Instrument;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binance spot symbols both ways: canonical {@code BTC-USDT} is venue {@code BTCUSDT}, stream {@code btcusdt@trade}.
 *
 * <p>Binance writes base and quote without a separator, so a venue symbol is split on the longest known quote asset
 * it ends with. The list leaves out quotes that would mis-split common pairs (AEUR would turn ADAEUR into AD-AEUR);
 * {@link #problem(Instrument)} rejects any instrument that does not survive the round trip.
 */
public final class BinanceSymbols {
    private BinanceSymbols() {
    }

    /** Quote assets of Binance spot pairs, longest first so that the longest suffix wins. */
    public static final List<String> QUOTE_ASSETS = List.of(
                    "USDT", "USDC", "FDUSD", "TUSD", "BUSD", "USDP", "USD1", "DAI", "BTC", "ETH", "BNB", "XRP",
                    "TRX", "DOGE", "EUR", "TRY", "BRL", "GBP", "AUD", "JPY", "RUB", "UAH", "ZAR", "IDRT", "BIDR",
                    "NGN", "PLN", "RON", "ARS", "MXN", "COP", "CZK", "BKRW")
            .stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

    /** {@code BTC-USDT} to {@code BTCUSDT}; perpetuals are not spot. */
    public static String toVenue(Instrument instrument) {
        if (instrument.perpetual()) {
            throw new IllegalArgumentException(instrument + " is a perpetual; Binance spot has none"
                    + " (perpetuals are venue BINANCE_FUTURES)");
        }
        return instrument.base() + instrument.quote();
    }

    /** {@code BTCUSDT} (any case) to {@code BTC-USDT}, split on the longest known quote asset. */
    public static Instrument toCanonical(String venueSymbol) {
        String s = venueSymbol == null ? "" : venueSymbol.trim().toUpperCase(Locale.ROOT);
        for (String quote : QUOTE_ASSETS) {
            if (s.length() > quote.length() && s.endsWith(quote)) {
                return new Instrument(s.substring(0, s.length() - quote.length()), quote, false);
            }
        }
        throw new IllegalArgumentException("cannot map Binance symbol '" + venueSymbol
                + "': it does not end with a known quote asset " + QUOTE_ASSETS);
    }

    /** The trade stream of a venue symbol: {@code btcusdt@trade}. */
    public static String tradeStream(String venueSymbol) {
        return venueSymbol.toLowerCase(Locale.ROOT) + "@trade";
    }

    /**
     * The streams of a venue symbol for the given channels, in a fixed order: {@code btcusdt@trade},
     * {@code btcusdt@bookTicker}, {@code btcusdt@depth@100ms} (the fastest diff stream Binance offers).
     */
    public static List<String> streams(String venueSymbol, java.util.Set<io.tickerplant.venues.Channel> channels) {
        String s = venueSymbol.toLowerCase(Locale.ROOT);
        java.util.List<String> out = new java.util.ArrayList<>(3);
        if (channels.contains(io.tickerplant.venues.Channel.TRADES)) {
            out.add(s + "@trade");
        }
        if (channels.contains(io.tickerplant.venues.Channel.QUOTES)) {
            out.add(s + "@bookTicker");
        }
        if (channels.contains(io.tickerplant.venues.Channel.BOOK)) {
            out.add(s + "@depth@100ms");
        }
        return out;
    }

    /** Why an instrument cannot be traded through the Binance spot adapter, or empty when it can. */
    public static Optional<String> problem(Instrument instrument) {
        if (instrument.perpetual()) {
            return Optional.of(instrument + ": perpetuals are on BINANCE_FUTURES, not BINANCE spot");
        }
        if (!QUOTE_ASSETS.contains(instrument.quote())) {
            return Optional.of(instrument + ": " + instrument.quote() + " is not a Binance spot quote asset "
                    + QUOTE_ASSETS);
        }
        Instrument back = toCanonical(toVenue(instrument));
        if (!back.equals(instrument)) {
            return Optional.of(instrument + ": Binance spells it " + toVenue(instrument) + ", which reads back as "
                    + back + "; ambiguous");
        }
        return Optional.empty();
    }
}
