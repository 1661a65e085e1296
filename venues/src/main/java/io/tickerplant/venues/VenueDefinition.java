package io.tickerplant.venues;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.replay.VenueReplayer;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything tickerplant knows about one venue, in one object: its production endpoints, the channels it offers,
 * which canonical symbols it can trade, how to make a live adapter and how to replay recorded frames through the
 * same parsing. Adding a venue is one implementation of this plus one line in {@link VenueAdapters}.
 */
public interface VenueDefinition {

    Venue venue();

    /** Production endpoints; settings and connector config may point elsewhere (emulators, proxies). */
    VenueAdapters.Endpoints endpoints();

    /** The channels this venue has; configured channels outside this set are skipped by the adapter. */
    Set<Channel> channels();

    /** Why a canonical instrument cannot be traded on this venue (naming the venue's own form), or empty. */
    Optional<String> symbolProblem(Instrument instrument);

    /**
     * A new, unstarted adapter.
     *
     * @param settings complete settings: {@link VenueAdapters#create} has already filled in defaults
     */
    VenueAdapter create(AdapterSettings settings, VenueEventListener listener);

    /**
     * The instruments the venue lists now, from its REST API, for checking configured symbols and suggesting the
     * closest ones; empty when this venue's definition cannot list them (the symbols are then checked by form only).
     *
     * @param restBase the REST base URI (production or configured)
     */
    default List<Instrument> listedInstruments(RestClient rest, URI restBase)
            throws RestClient.RestException, InterruptedException {
        return List.of();
    }

    /** Replays recorded frames of this venue through the adapter's parsers and book logic, without a network. */
    VenueReplayer replayer(VenueEventListener listener, int bookSnapshotInterval);
}
