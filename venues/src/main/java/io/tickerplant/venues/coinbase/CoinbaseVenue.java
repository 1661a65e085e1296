package io.tickerplant.venues.coinbase;

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
 * Coinbase Advanced Trade spot: {@code market_trades}, {@code ticker} and {@code level2} (plus {@code heartbeats})
 * on the public market-data websocket; REST for trades missed in a gap.
 */
public final class CoinbaseVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://advanced-trade-ws.coinbase.com"), URI.create("https://api.coinbase.com"));

    @Override
    public Venue venue() {
        return Venue.COINBASE;
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
        return CoinbaseSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new CoinbaseAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new CoinbaseReplayer(listener, bookSnapshotInterval);
    }
}
