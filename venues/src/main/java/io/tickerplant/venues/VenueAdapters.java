package io.tickerplant.venues;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.binance.BinanceFuturesVenue;
import io.tickerplant.venues.binance.BinanceVenue;
import io.tickerplant.venues.bitstamp.BitstampVenue;
import io.tickerplant.venues.bybit.BybitVenue;
import io.tickerplant.venues.coinbase.CoinbaseVenue;
import io.tickerplant.venues.kraken.KrakenVenue;
import io.tickerplant.venues.okx.OkxVenue;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place venues are registered ({@link VenueDefinition}s): which venues have an adapter, their production
 * endpoints, channels and symbols, and the defaults every adapter gets.
 */
public final class VenueAdapters {
    private VenueAdapters() {
    }

    /**
     * A venue's production endpoints.
     *
     * @param websocket base websocket URI; the adapter appends its path and query
     * @param rest base REST URI
     */
    public record Endpoints(URI websocket, URI rest) {
        public Endpoints {
            Objects.requireNonNull(websocket, "websocket");
            Objects.requireNonNull(rest, "rest");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(VenueAdapters.class);

    /** The registry: adding a venue is one line here. */
    private static final Map<Venue, VenueDefinition> VENUES = register(
            new BinanceVenue(),
            new CoinbaseVenue(),
            new BybitVenue(),
            new OkxVenue(),
            new KrakenVenue(),
            new BinanceFuturesVenue(),
            new BitstampVenue());

    private static Map<Venue, VenueDefinition> register(VenueDefinition... definitions) {
        Map<Venue, VenueDefinition> m = new EnumMap<>(Venue.class);
        for (VenueDefinition d : definitions) {
            if (m.put(d.venue(), d) != null) {
                throw new IllegalStateException("venue " + d.venue() + " registered twice");
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Production endpoints of every venue that has an adapter. */
    public static Map<Venue, Endpoints> defaults() {
        Map<Venue, Endpoints> m = new EnumMap<>(Venue.class);
        VENUES.forEach((v, d) -> m.put(v, d.endpoints()));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Venues that have an adapter. */
    public static Set<Venue> supported() {
        return VENUES.keySet();
    }

    /** The definition of a venue that has an adapter. */
    public static Optional<VenueDefinition> definition(Venue venue) {
        return Optional.ofNullable(VENUES.get(venue));
    }

    /** Reconnect delay floor when the settings leave it null. */
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(500);
    /** Reconnect delay cap when the settings leave it null. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
    /** Silence timeout when the settings leave it null: three missed pings of Binance's 20 s interval. */
    public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(60);
    /** Connection age limit when the settings leave it null: just before Binance's own 24 h cut. */
    public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofHours(23).plusMinutes(50);

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /**
     * A new, unstarted adapter. A null URI in the settings means the venue's production endpoint, a null duration
     * the {@code DEFAULT_*} value here, a null resume map no resume point, null channels every channel.
     *
     * @throws IllegalArgumentException for a venue without an adapter or symbols the venue cannot trade
     */
    public static VenueAdapter create(Venue venue, AdapterSettings settings, VenueEventListener listener) {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(settings, "settings");
        VenueDefinition definition = VENUES.get(venue);
        if (definition == null) {
            throw new IllegalArgumentException("venue " + venue + " has no adapter yet; supported: " + supported());
        }
        Endpoints endpoints = definition.endpoints();
        Set<Channel> channels = EnumSet.copyOf(settings.effectiveChannels());
        channels.retainAll(definition.channels());
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("venue " + venue + " has none of the channels "
                    + settings.effectiveChannels() + "; it has " + definition.channels());
        }
        AdapterSettings s = settings;
        s = new AdapterSettings(s.instruments(),
                or(s.websocketUri(), endpoints.websocket()), or(s.restUri(), endpoints.rest()),
                or(s.reconnectBackoffMin(), DEFAULT_BACKOFF_MIN), or(s.reconnectBackoffMax(), DEFAULT_BACKOFF_MAX),
                or(s.silenceTimeout(), DEFAULT_SILENCE_TIMEOUT), or(s.maxConnectionAge(), DEFAULT_MAX_CONNECTION_AGE),
                or(s.resumeAfterTradeId(), Map.of()), channels, s.effectiveBookSnapshotInterval());
        return definition.create(s, listener);
    }

    /**
     * Checks canonical symbols ({@code BTC-USDT}) for a venue by form only, without asking the venue.
     *
     * @return empty when all are valid, else one message listing every problem and the expected form
     */
    public static Optional<String> validateSymbols(Venue venue, List<String> symbols) {
        return validateSymbols(venue, symbols, null);
    }

    /** The REST base an adapter of this venue would use: the configured one, else production. */
    public static URI restBase(Venue venue, URI configured) {
        return configured != null ? configured : VENUES.get(venue).endpoints().rest();
    }

    /**
     * Checks canonical symbols for a venue by form and, when {@code restBase} is given, the venue's definition can
     * list its instruments and the venue answers, against that list, suggesting the closest listed symbols for an
     * unknown one. A venue that cannot be asked (offline, down) leaves the symbols checked by form only: the
     * adapter reports a symbol the venue refuses at subscription time.
     *
     * @return empty when all are valid, else one message listing every problem
     */
    public static Optional<String> validateSymbols(Venue venue, List<String> symbols, URI restBase) {
        if (venue == null) {
            return Optional.of("no venue given; supported: " + supported());
        }
        VenueDefinition definition = VENUES.get(venue);
        if (definition == null) {
            return Optional.of("venue " + venue + " has no adapter yet; supported: " + supported());
        }
        if (symbols == null || symbols.isEmpty()) {
            return Optional.of("no symbols given for " + venue + "; expected canonical symbols such as BTC-USDT");
        }
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String symbol : symbols) {
            Instrument instrument;
            try {
                instrument = Instrument.parse(symbol);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (!seen.add(instrument.symbol())) {
                problems.add(instrument + " is listed twice");
                continue;
            }
            definition.symbolProblem(instrument).ifPresent(problems::add);
        }
        if (problems.isEmpty() && restBase != null) {
            problems.addAll(unlisted(definition, seen, restBase));
        }
        return problems.isEmpty() ? Optional.empty()
                : Optional.of("invalid " + venue + " symbols: " + String.join("; ", problems));
    }

    private static List<String> unlisted(VenueDefinition definition, Set<String> symbols, URI restBase) {
        List<Instrument> listed;
        try {
            RestClient rest = new RestClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                    new RestClient.Policy(2, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200)),
                    () -> false);
            listed = definition.listedInstruments(rest, restBase);
        } catch (RestClient.RestException e) {
            log.warn("{}: could not list instruments at {} ({}); symbols checked by form only", definition.venue(),
                    restBase, e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        if (listed.isEmpty()) {
            return List.of();
        }
        Set<String> names = new java.util.TreeSet<>();
        listed.forEach(i -> names.add(i.symbol()));
        List<String> problems = new ArrayList<>();
        for (String s : symbols) {
            if (!names.contains(s)) {
                problems.add(definition.venue() + " does not list " + s + "; closest listed: "
                        + String.join(", ", SymbolDistance.closest(s, names, 3)));
            }
        }
        return problems;
    }
}
