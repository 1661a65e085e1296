package io.tickerplant.venues.binance;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueAdapter;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueDefinition;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.VenueReplayer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Binance spot: combined streams for trades, bookTicker and diff depth; REST for snapshots and missed trades. */
public final class BinanceVenue implements VenueDefinition {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** {@code GET /api/v3/exchangeInfo}: every symbol in status TRADING. */
    @Override
    public List<Instrument> listedInstruments(RestClient rest, URI restBase)
            throws RestClient.RestException, InterruptedException {
        String body = rest.get(restBase.resolve("/api/v3/exchangeInfo"));
        List<Instrument> out = new ArrayList<>();
        try {
            for (JsonNode s : JSON.readTree(body).path("symbols")) {
                if ("TRADING".equals(s.path("status").asText())) {
                    try {
                        out.add(new Instrument(s.path("baseAsset").asText(), s.path("quoteAsset").asText(), false));
                    } catch (IllegalArgumentException unusualAssetName) {
                        // Not expressible as a canonical symbol, so nobody can have configured it.
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new RestClient.RestException("exchangeInfo is not JSON: " + e.getMessage(), 200, e);
        }
        return out;
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
