package io.tickerplant.emulator;

import java.net.URI;

/**
 * A local server that speaks one venue's real market-data protocol, fed by a {@link MarketSimulator}: what the demo
 * points the venue's connector at, and the ground truth tests compare the pipeline with. Each venue's emulator has
 * its own richer API (ground truth in the venue's terms, venue-specific faults); this is what every one of them has.
 */
public interface VenueEmulator extends AutoCloseable {

    /** The venue id, upper case, as tickerplant's {@code Venue} enum spells it: {@code BINANCE}, {@code KRAKEN}. */
    String venue();

    /** Base websocket URI, in the form the venue's adapter takes as its websocket endpoint. */
    URI websocketUri();

    /** Base REST URI, in the form the venue's adapter takes as its REST endpoint. */
    URI restUri();

    /** The simulator producing this emulator's trades. */
    MarketSimulator market();

    /** Fault: closes every client connection abruptly, as a network failure would. */
    void dropConnections();

    /** Fault: sends this text as a frame to every connected client. */
    void sendMalformedFrame(String text);

    /** Stops the server and the simulator. */
    @Override
    void close();
}
