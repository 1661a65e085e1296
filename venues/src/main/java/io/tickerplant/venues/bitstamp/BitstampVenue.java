package io.tickerplant.venues.bitstamp;

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
 * Bitstamp (spot only), websocket API v2: {@code live_trades_<pair>} for trades, {@code diff_order_book_<pair>}
 * with REST {@code /api/v2/order_book/<pair>/} snapshots for the L2 book, REST {@code /api/v2/transactions/<pair>/}
 * for trades missed while disconnected. Pairs are spelled {@code btcusd} for canonical {@code BTC-USD}.
 *
 * <p><b>Quotes are derived.</b> Bitstamp v2 has no ticker or best bid/offer channel. The QUOTES channel is served
 * from the synchronized diff book: a Quote is published whenever its top level (best bid or ask price or size)
 * changes, with the diff's microtimestamp as event time and no update id. So Bitstamp takes part in the consolidated
 * BBO, with the book's caveat: between a lost diff and the resync that follows its detection, the derived quote is
 * as wrong as the book (see {@link BitstampBookSync} for what can and cannot be detected).
 */
public final class BitstampVenue implements VenueDefinition {

    private static final VenueAdapters.Endpoints ENDPOINTS = new VenueAdapters.Endpoints(
            URI.create("wss://ws.bitstamp.net"), URI.create("https://www.bitstamp.net"));

    @Override
    public Venue venue() {
        return Venue.BITSTAMP;
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
        return BitstampSymbols.problem(instrument);
    }

    @Override
    public VenueAdapter create(AdapterSettings settings, VenueEventListener listener) {
        return new BitstampAdapter(settings, listener);
    }

    @Override
    public VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval) {
        return new BitstampReplayer(listener, bookSnapshotInterval);
    }
}
