package io.tickerplant.venues.bybit;

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
 * Bybit v5 public streams: spot ({@code BTC-USDT}) and USDT perpetuals ({@code BTC-USDT-PERP}), each category on
 * its own websocket; trades, quotes, L2 book, liquidations and funding. No REST is needed: every subscription
 * starts with a snapshot.
 */
public final class BybitVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://stream.bybit.com"), URI.create("https://api.bybit.com"));

    @Override
    public Venue venue() {
        return Venue.BYBIT;
    }

    @Override
    public VenueAdapters.Endpoints endpoints() {
        return ENDPOINTS;
    }

    @Override
    public Set<Channel> channels() {
        return EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BOOK, Channel.LIQUIDATIONS, Channel.FUNDING);
    }

    @Override
    public Optional<String> symbolProblem(Instrument instrument) {
        return BybitSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new BybitAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new BybitReplayer(listener, bookSnapshotInterval);
    }
}
