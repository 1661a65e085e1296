package io.tickerplant.app.platform;

import io.tickerplant.emulator.VenueEmulator;
import io.tickerplant.emulator.VenueEmulators;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A built-in venue emulator that {@code demo} points the venue's source connector at: the venue's real protocol
 * on a local port, fed by the market simulator, so the whole pipeline runs offline.
 */
public final class VenueEmulatorComponent implements Component, VenueEndpoints {

    private final Venue venue;
    private final List<Instrument> instruments;
    private final double tradesPerSecond;
    private final int port;
    private VenueEmulator emulator;

    public VenueEmulatorComponent(Venue venue, List<Instrument> instruments, double tradesPerSecond, int port) {
        this.venue = venue;
        this.instruments = List.copyOf(instruments);
        this.tradesPerSecond = tradesPerSecond;
        this.port = port;
    }

    @Override
    public String name() {
        return venue.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-emulator";
    }

    @Override
    public void start() {
        emulator = VenueEmulators.start(venue.name(), new VenueEmulators.Spec(
                instruments.stream().map(Instrument::symbol).toList(), tradesPerSecond, port, System.nanoTime()));
    }

    public Venue venue() {
        return venue;
    }

    @Override
    public URI websocketUri() {
        return emulator.websocketUri();
    }

    @Override
    public URI restUri() {
        return emulator.restUri();
    }

    /** The running emulator (for tests that inject faults); valid once started. */
    public VenueEmulator emulator() {
        return emulator;
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of(emulator.websocketUri().toString());
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
