package io.tickerplant.emulator;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One instrument the simulated market lists, and how it trades.
 *
 * @param symbol the venue's spelling, e.g. {@code BTCUSDT}
 * @param baseAsset e.g. {@code BTC}
 * @param quoteAsset e.g. {@code USDT}
 * @param startPrice first price of the random walk; a multiple of {@code tickSize}
 * @param tickSize price increment; at most {@link MarketSimulator#SCALE} decimals
 * @param lotSize quantity increment; at most {@link MarketSimulator#SCALE} decimals
 * @param tradesPerSecond mean trade arrival rate (Poisson); 0 means the symbol only trades when told to
 */
public record SymbolSpec(String symbol, String baseAsset, String quoteAsset, BigDecimal startPrice,
                         BigDecimal tickSize, BigDecimal lotSize, double tradesPerSecond) {

    // Longest first, so that e.g. FDUSD wins over USD-suffixed look-alikes when splitting a symbol.
    private static final List<String> QUOTES = List.of("FDUSD", "USDT", "USDC", "TUSD", "BUSD", "EUR", "TRY",
            "BRL", "GBP", "JPY", "BTC", "ETH", "BNB", "DAI");

    private static final Map<String, String> START_PRICES = Map.of(
            "BTC", "60000.00", "ETH", "3000.00", "BNB", "600.00", "SOL", "150.00", "XRP", "0.5000",
            "DOGE", "0.15000", "ADA", "0.4500");

    public SymbolSpec {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(baseAsset, "baseAsset");
        Objects.requireNonNull(quoteAsset, "quoteAsset");
        if (tickSize.signum() <= 0 || lotSize.signum() <= 0 || startPrice.signum() <= 0) {
            throw new IllegalArgumentException(symbol + ": startPrice, tickSize and lotSize must be positive");
        }
        if (tickSize.stripTrailingZeros().scale() > MarketSimulator.SCALE
                || lotSize.stripTrailingZeros().scale() > MarketSimulator.SCALE) {
            throw new IllegalArgumentException(symbol + ": tickSize and lotSize need at most "
                    + MarketSimulator.SCALE + " decimals");
        }
        if (startPrice.remainder(tickSize).signum() != 0) {
            throw new IllegalArgumentException(symbol + ": startPrice " + startPrice + " is not a multiple of tickSize "
                    + tickSize);
        }
        if (!(tradesPerSecond >= 0) || Double.isInfinite(tradesPerSecond)) {
            throw new IllegalArgumentException(symbol + ": tradesPerSecond must be >= 0");
        }
    }

    /**
     * A spec with plausible defaults for a venue symbol such as {@code BTCUSDT}: base and quote split on known
     * quote assets, a start price for well-known bases, tick 0.01 (0.00001 below 10), lot 0.00001.
     */
    public static SymbolSpec of(String symbol, double tradesPerSecond) {
        String s = symbol.toUpperCase(Locale.ROOT);
        String quote = QUOTES.stream().filter(q -> s.endsWith(q) && s.length() > q.length()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("cannot split '" + symbol
                        + "' into base and quote; use the full SymbolSpec constructor"));
        String base = s.substring(0, s.length() - quote.length());
        boolean usdQuoted = quote.contains("USD") || quote.equals("DAI");
        BigDecimal start = new BigDecimal(usdQuoted ? START_PRICES.getOrDefault(base, "100.00") : "0.05000");
        BigDecimal tick = start.compareTo(BigDecimal.TEN) >= 0 ? new BigDecimal("0.01") : new BigDecimal("0.00001");
        return new SymbolSpec(s, base, quote, start, tick, new BigDecimal("0.00001"), tradesPerSecond);
    }

    /** The same spec with another arrival rate. */
    public SymbolSpec withTradesPerSecond(double rate) {
        return new SymbolSpec(symbol, baseAsset, quoteAsset, startPrice, tickSize, lotSize, rate);
    }
}
