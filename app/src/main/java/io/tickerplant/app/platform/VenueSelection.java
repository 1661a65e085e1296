package io.tickerplant.app.platform;

import io.tickerplant.app.config.ConfigException;
import io.tickerplant.emulator.VenueEmulators;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.VenueAdapters;
import io.tickerplant.venues.VenueDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which venue follows which symbols. One symbol list serves every venue: each venue takes the symbols it can
 * trade (a spot venue skips {@code BTC-USDT-PERP}, a perpetuals venue skips {@code BTC-USDT}), so that the same
 * instrument has the same canonical name everywhere and the consolidated BBO and index can compare venues.
 * A symbol no selected venue can trade, or a selected venue with nothing to trade, is a configuration error
 * naming the venues' reasons: silently following nothing is the failure users complain about.
 */
public final class VenueSelection {

    private VenueSelection() {
    }

    /**
     * @param requested the configured venues; empty means all that {@code emulatedOnly} allows
     * @param emulatedOnly true for {@code demo}: only venues with a built-in emulator
     * @param symbolsConfigured false when the symbols are the defaults: a default symbol no selected venue trades
     *     (a perpetual when only spot venues are selected) is left out instead of failing the start
     * @return per venue, in registry order, the instruments it follows
     */
    public static Map<Venue, List<Instrument>> select(List<Venue> requested, List<String> symbols,
                                                      boolean emulatedOnly, boolean symbolsConfigured) {
        List<Venue> venues = new ArrayList<>();
        if (requested.isEmpty()) {
            for (Venue v : VenueAdapters.supported()) {
                if (!emulatedOnly || VenueEmulators.venues().contains(v.name())) {
                    venues.add(v);
                }
            }
        } else {
            for (Venue v : requested) {
                if (emulatedOnly && !VenueEmulators.venues().contains(v.name())) {
                    throw new ConfigException("venues: " + v + " has no built-in emulator for 'demo'; emulated: "
                            + VenueEmulators.venues());
                }
                venues.add(v);
            }
        }
        List<Instrument> instruments = symbols.stream().map(Instrument::parse).toList();
        Map<Venue, List<Instrument>> selection = new LinkedHashMap<>();
        Map<Instrument, List<String>> refusals = new LinkedHashMap<>();
        for (Venue v : venues) {
            VenueDefinition d = VenueAdapters.definition(v).orElseThrow();
            List<Instrument> tradable = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (Instrument i : instruments) {
                Optional<String> problem = d.symbolProblem(i);
                if (problem.isEmpty()) {
                    tradable.add(i);
                } else {
                    reasons.add(problem.get());
                    refusals.computeIfAbsent(i, k -> new ArrayList<>()).add(v + ": " + problem.get());
                }
            }
            if (tradable.isEmpty()) {
                if (!requested.isEmpty() && symbolsConfigured) {
                    throw new ConfigException("venues: " + v + " can trade none of the symbols " + symbols + " ("
                            + String.join("; ", reasons) + ")");
                }
                continue; // an implicit venue with nothing to do is left out, not an error
            }
            selection.put(v, List.copyOf(tradable));
        }
        for (Instrument i : instruments) {
            boolean followed = selection.values().stream().anyMatch(l -> l.contains(i));
            if (!followed && symbolsConfigured) {
                throw new ConfigException("symbols: no selected venue can trade " + i + " ("
                        + String.join("; ", refusals.getOrDefault(i, List.of("no venues selected"))) + ")");
            }
        }
        return selection;
    }
}
