package io.tickerplant.venues.okx;

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
import java.util.Optional;
import java.util.Set;

/**
 * OKX v5 public websocket: spot and linear perpetual swaps; trades, bbo-tbt quotes, the 400-level book with seqId
 * chain and CRC32 checksum, liquidations, funding rate and mark price; REST for the swaps' contract values.
 */
public final class OkxVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://ws.okx.com:8443"), URI.create("https://www.okx.com"));

    @Override
    public Venue venue() {
        return Venue.OKX;
    }

    @Override
    public VenueAdapters.Endpoints endpoints() {
        return ENDPOINTS;
    }

    @Override
    public Set<Channel> channels() {
        return Channel.all();
    }

    @Override
    public Optional<String> symbolProblem(Instrument instrument) {
        return OkxSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new OkxAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new OkxReplayer(listener, bookSnapshotInterval);
    }
}
