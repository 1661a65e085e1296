package io.tickerplant.emulator;

import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.emulator.bitstamp.BitstampEmulator;
import io.tickerplant.emulator.bybit.BybitEmulator;
import io.tickerplant.emulator.coinbase.CoinbaseEmulator;
import io.tickerplant.emulator.kraken.KrakenEmulator;
import io.tickerplant.emulator.okx.OkxEmulator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** The one place emulators are registered: {@code demo} starts one per configured venue through here. */
public final class VenueEmulators {
    private VenueEmulators() {
    }

    /**
     * What to emulate.
     *
     * @param symbols canonical symbols, {@code BTC-USDT} or {@code BTC-USDT-PERP}; each emulator spells them the
     *     venue's way
     * @param tradesPerSecond mean simulated trade rate per symbol
     * @param port port to listen on, 0 for any free port
     * @param seed simulator seed
     */
    public record Spec(List<String> symbols, double tradesPerSecond, int port, long seed) {
        public Spec {
            symbols = List.copyOf(Objects.requireNonNull(symbols, "symbols"));
        }
    }

    /** Venue ids that have an emulator. */
    public static Set<String> venues() {
        return new TreeSet<>(List.of("BINANCE", "COINBASE", "BYBIT", "OKX", "KRAKEN", "BINANCE_FUTURES", "BITSTAMP"));
    }

    /** Starts the emulator of a venue. */
    public static VenueEmulator start(String venue, Spec spec) {
        return switch (venue.toUpperCase(Locale.ROOT)) {
            case "BINANCE" -> BinanceEmulator.start(spec);
            case "COINBASE" -> CoinbaseEmulator.start(spec);
            case "BYBIT" -> BybitEmulator.start(spec);
            case "OKX" -> OkxEmulator.start(spec);
            case "KRAKEN" -> KrakenEmulator.start(spec);
            case "BINANCE_FUTURES" -> BinanceEmulator.startFutures(spec);
            case "BITSTAMP" -> BitstampEmulator.start(spec);
            default -> throw new IllegalArgumentException("no emulator for venue " + venue + "; emulated: " + venues());
        };
    }
}
