package io.tickerplant.venues.binance;

import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.VenueEventListener;

/**
 * Binance USD-M perpetual futures market data ({@code wss://fstream.binance.com/stream}, REST
 * {@code https://fapi.binance.com}): aggregate trades ({@code @aggTrade}, missed ones recovered from
 * {@code /fapi/v1/aggTrades?fromId=}), best bid/ask ({@code @bookTicker}), the L2 book ({@code @depth@100ms} and
 * {@code /fapi/v1/depth}, chained by {@code pu}), liquidations ({@code @forceOrder}) and mark price with funding
 * ({@code @markPrice@1s}).
 *
 * <p>Everything but the market's specifics is the spot adapter's ({@link BinanceAdapter}): recovery, reconnects,
 * connection splitting and subscribe pacing behave the same.
 */
public final class BinanceFuturesAdapter extends BinanceAdapter {

    public BinanceFuturesAdapter(AdapterSettings settings, VenueEventListener listener) {
        this(settings, listener, RestClient.Policy.defaults());
    }

    /** @param restPolicy retries of the recovery and snapshot requests */
    public BinanceFuturesAdapter(AdapterSettings settings, VenueEventListener listener, RestClient.Policy restPolicy) {
        this(settings, listener, restPolicy, BinanceConnectionPlan.Limits.binance());
    }

    /** @param limits how streams are spread over connections (tests lower them to exercise splitting) */
    public BinanceFuturesAdapter(AdapterSettings settings, VenueEventListener listener, RestClient.Policy restPolicy,
                                 BinanceConnectionPlan.Limits limits) {
        super(BinanceMarket.USDM_FUTURES, settings, listener, restPolicy, limits);
    }
}
