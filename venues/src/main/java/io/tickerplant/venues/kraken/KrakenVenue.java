package io.tickerplant.venues.kraken;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueDefinition;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.VenueReplayer;
import java.net.URI;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Kraken spot over websocket v2: {@code trade}, {@code ticker} (best bid/ask) and {@code book} with CRC32
 * checksums, pairs spelled {@code BTC/USD}. The adapter needs no REST: precisions come from the {@code instrument}
 * channel and missed trades from the trade subscription's snapshot.
 */
public final class KrakenVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://ws.kraken.com/v2"), URI.create("https://api.kraken.com"));

    @Override
    public Venue venue() {
        return Venue.KRAKEN;
    }

    @Override
    public VenueAdapters.Endpoints endpoints() {
        return ENDPOINTS;
    }

    @Override
    public Set<Channel> channels() {
        return EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BOOK);
    }

    @Override
    public Optional<String> symbolProblem(Instrument instrument) {
        return KrakenSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new KrakenAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new KrakenReplayer(listener, bookSnapshotInterval);
    }
}
