package io.tickerplant.venues.binance;

import io.tickerplant.model.Instrument;
import io.tickerplant.model.Venue;
import io.tickerplant.venues.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What differs between the Binance markets one adapter, parser, book sync and emulator serve: the venue id, the
 * stream names, the REST paths, the symbol spelling and the depth sequence rule. Everything else (combined streams,
 * subscribe protocol, REST error bodies, 429 + Retry-After) is the same on both.
 */
public enum BinanceMarket {
    /** Binance spot: {@code @trade} ids, depth diffs chained by {@code U == previous u + 1}. */
    SPOT(Venue.BINANCE, "/api/v3/depth", "/api/v3/historicalTrades"),
    /**
     * Binance USD-M perpetual futures: {@code @aggTrade} ids (USD-M documents no raw trade stream), depth diffs
     * chained by {@code pu == previous u}, liquidations and mark price/funding.
     */
    USDM_FUTURES(Venue.BINANCE_FUTURES, "/fapi/v1/depth", "/fapi/v1/aggTrades");

    private final Venue venue;
    private final String depthPath;
    private final String tradeHistoryPath;

    BinanceMarket(Venue venue, String depthPath, String tradeHistoryPath) {
        this.venue = venue;
        this.depthPath = depthPath;
        this.tradeHistoryPath = tradeHistoryPath;
    }

    public Venue venue() {
        return venue;
    }

    public boolean futures() {
        return this == USDM_FUTURES;
    }

    /** REST path of the order book snapshot. */
    public String depthPath() {
        return depthPath;
    }

    /** REST path of the trade history that fills trade gaps ({@code fromId} paging on both markets). */
    public String tradeHistoryPath() {
        return tradeHistoryPath;
    }

    /** The trade stream's suffix: {@code trade} on spot, {@code aggTrade} on futures. */
    public String tradeStreamKind() {
        return futures() ? "aggTrade" : "trade";
    }

    /** The channels this market has. */
    public Set<Channel> channels() {
        return futures() ? java.util.EnumSet.allOf(Channel.class)
                : java.util.EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BOOK);
    }

    /**
     * The streams of a venue symbol for the given channels, in a fixed order: trades, {@code @bookTicker},
     * {@code @depth@100ms} (the fastest diff stream), then on futures {@code @forceOrder} and {@code @markPrice@1s}.
     */
    public List<String> streams(String venueSymbol, Set<Channel> channels) {
        if (!futures()) {
            return BinanceSymbols.streams(venueSymbol, channels);
        }
        String s = venueSymbol.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>(5);
        if (channels.contains(Channel.TRADES)) {
            out.add(s + "@aggTrade");
        }
        if (channels.contains(Channel.QUOTES)) {
            out.add(s + "@bookTicker");
        }
        if (channels.contains(Channel.BOOK)) {
            out.add(s + "@depth@100ms");
        }
        if (channels.contains(Channel.LIQUIDATIONS)) {
            out.add(s + "@forceOrder");
        }
        if (channels.contains(Channel.FUNDING)) {
            out.add(s + "@markPrice@1s");
        }
        return out;
    }

    /** Canonical to venue spelling: {@code BTC-USDT} (spot) or {@code BTC-USDT-PERP} (futures) to {@code BTCUSDT}. */
    public String toVenue(Instrument instrument) {
        return futures() ? BinanceFuturesSymbols.toVenue(instrument) : BinanceSymbols.toVenue(instrument);
    }

    /** Venue spelling to canonical. */
    public Instrument toCanonical(String venueSymbol) {
        return futures() ? BinanceFuturesSymbols.toCanonical(venueSymbol) : BinanceSymbols.toCanonical(venueSymbol);
    }

    /** Why this market cannot trade an instrument, or empty. */
    public Optional<String> problem(Instrument instrument) {
        return futures() ? BinanceFuturesSymbols.problem(instrument) : BinanceSymbols.problem(instrument);
    }
}
