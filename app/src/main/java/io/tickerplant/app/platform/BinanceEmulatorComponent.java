package io.tickerplant.app.platform;

import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.model.Instrument;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The built-in Binance spot emulator that {@code demo} points the source connector at: the real protocol on a local
 * port, fed by the market simulator, so the whole pipeline runs offline.
 */
public final class BinanceEmulatorComponent implements Component, VenueEndpoints {

    private final List<Instrument> instruments;
    private final double tradesPerSecond;
    private final int port;
    private BinanceEmulator emulator;

    public BinanceEmulatorComponent(List<Instrument> instruments, double tradesPerSecond, int port) {
        this.instruments = List.copyOf(instruments);
        this.tradesPerSecond = tradesPerSecond;
        this.port = port;
    }

    @Override
    public String name() {
        return "binance-emulator";
    }

    @Override
    public void start() {
        BinanceEmulator.Builder b = BinanceEmulator.builder().port(port).seed(System.nanoTime());
        for (Instrument i : instruments) {
            // The emulator speaks Binance, so it takes Binance's spelling; spot only.
            b.symbol(i.base() + i.quote(), tradesPerSecond);
        }
        emulator = b.start();
    }

    @Override
    public URI websocketUri() {
        return emulator.websocketUri();
    }

    @Override
    public URI restUri() {
        return emulator.restUri();
    }

    public BinanceEmulator emulator() {
        return emulator;
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of(emulator.websocketUri().toString());
    }

    @Override
    public void close() {
        emulator.close();
    }
}
