package io.tickerplant.app.platform;

import io.tickerplant.emulator.reference.ReferenceEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The built-in Chainlink (Ethereum JSON-RPC), CoinGecko and Coinpaprika emulator that {@code demo} points the
 * reference-price connectors at, all fed by one random walk per pair so their prices agree within realistic noise.
 */
public final class ReferenceEmulatorComponent implements Component {

    /** The emulated feeds' heartbeat: a demo should show oracle rounds within a minute, not after an hour. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(60);

    private ReferenceEmulator emulator;

    @Override
    public String name() {
        return "reference-emulator";
    }

    @Override
    public void start() {
        emulator = ReferenceEmulator.builder().seed(System.nanoTime()).heartbeat(HEARTBEAT).start();
    }

    /** Where the connectors reach it, once started. */
    public ReferenceSources sources(List<String> pairs, Optional<Duration> pollInterval) {
        return new ReferenceSources(pairs, () -> emulator.rpcUri().toString(), () -> emulator.uri().toString(),
                () -> emulator.uri().toString(), "", pollInterval);
    }

    public ReferenceEmulator emulator() {
        return emulator;
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of(emulator.uri().toString());
    }

    @Override
    public void close() {
        emulator.close();
    }
}
