package io.tickerplant.venues.binance;

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

/** Binance spot: combined streams for trades, bookTicker and diff depth; REST for snapshots and missed trades. */
public final class BinanceVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://stream.binance.com:9443"), URI.create("https://api.binance.com"));

    @Override
    public Venue venue() {
        return Venue.BINANCE;
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
        return BinanceSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new BinanceAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new BinanceReplayer(listener, bookSnapshotInterval);
    }
}
