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
import java.util.Optional;
import java.util.Set;

/**
 * Binance USD-M perpetual futures: combined streams for aggregate trades, bookTicker, diff depth, liquidations and
 * mark price/funding; REST for book snapshots and missed aggregate trades. Canonical {@code BTC-USDT-PERP} is
 * {@code BTCUSDT}.
 */
public final class BinanceFuturesVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://fstream.binance.com"), URI.create("https://fapi.binance.com"));

    @Override
    public Venue venue() {
        return Venue.BINANCE_FUTURES;
    }

    @Override
    public VenueAdapters.Endpoints endpoints() {
        return ENDPOINTS;
    }

    @Override
    public Set<Channel> channels() {
        return BinanceMarket.USDM_FUTURES.channels();
    }

    @Override
    public Optional<String> symbolProblem(Instrument instrument) {
        return BinanceFuturesSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new BinanceFuturesAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new BinanceReplayer(BinanceMarket.USDM_FUTURES, listener, bookSnapshotInterval);
    }
}
