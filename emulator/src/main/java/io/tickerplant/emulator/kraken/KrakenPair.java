package io.tickerplant.emulator.kraken;

import io.tickerplant.emulator.SymbolSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * One emulated Kraken spot pair: its v2 symbol ({@code BTC/USD}), its precisions as the {@code instrument} channel
 * states them, and how the simulated market trades it.
 *
 * @param symbol websocket v2 spelling, {@code BTC/USD}
 * @param startPrice first price, on the tick grid
 * @param tick price increment, {@code 10^-pricePrecision}
 * @param lot quantity increment of the simulated orders (a multiple of {@code 10^-qtyPrecision})
 * @param pricePrecision decimals of every price sent
 * @param qtyPrecision decimals of every quantity sent
 */
public record KrakenPair(String symbol, String base, String quote, BigDecimal startPrice, BigDecimal tick,
                         BigDecimal lot, int pricePrecision, int qtyPrecision, double tradesPerSecond) {

    private static final Map<String, String> START = Map.of("BTC", "60000.0", "ETH", "3000.00", "SOL", "150.00",
            "XRP", "0.50000", "DOGE", "0.150000", "ADA", "0.450000");

    /** A pair with plausible Kraken precisions for {@code BTC/USD} or canonical {@code BTC-USD}. */
    public static KrakenPair of(String symbol, double tradesPerSecond) {
        String s = symbol.trim().toUpperCase(Locale.ROOT).replace('-', '/');
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            throw new IllegalArgumentException("expected BASE/QUOTE or BASE-QUOTE, got '" + symbol + "'");
        }
        String base = s.substring(0, slash);
        String quote = s.substring(slash + 1);
        BigDecimal start = new BigDecimal(START.getOrDefault(base, "100.00"));
        int pricePrecision = start.scale();
        return new KrakenPair(s, base, quote, start, BigDecimal.ONE.movePointLeft(pricePrecision),
                new BigDecimal("0.0001"), pricePrecision, 8, tradesPerSecond);
    }

    /** The spec the market simulator trades this pair by. */
    SymbolSpec spec() {
        return new SymbolSpec(symbol, base, quote, startPrice, tick, lot, tradesPerSecond);
    }

    String formatPrice(BigDecimal price) {
        return price.setScale(pricePrecision, RoundingMode.UNNECESSARY).toPlainString();
    }

    String formatQty(BigDecimal qty) {
        return qty.setScale(qtyPrecision, RoundingMode.UNNECESSARY).toPlainString();
    }
}
