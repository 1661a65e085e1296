package io.tickerplant.venues;

import io.tickerplant.model.Instrument;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an adapter needs to run: where the venue is, what to subscribe to, how to behave when the connection
 * misbehaves, and where to resume.
 *
 * @param instruments canonical instruments to subscribe to
 * @param websocketUri base websocket endpoint (the adapter appends its own path and query)
 * @param restUri base REST endpoint, for snapshots and for recovering missed trades
 * @param reconnectBackoffMin first reconnect delay; doubles per failed attempt, with jitter
 * @param reconnectBackoffMax reconnect delay cap
 * @param silenceTimeout reconnect when nothing at all arrives for this long
 * @param maxConnectionAge reconnect proactively before the venue's own forced disconnect (Binance: 24 h)
 * @param resumeAfterTradeId per canonical symbol, the last trade id already delivered (from source offsets);
 *     the adapter recovers trades after it and never delivers it or anything before it again
 */
public record AdapterSettings(
        List<Instrument> instruments,
        URI websocketUri,
        URI restUri,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Duration silenceTimeout,
        Duration maxConnectionAge,
        Map<String, String> resumeAfterTradeId) {
}
