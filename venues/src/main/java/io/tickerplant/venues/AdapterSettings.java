package io.tickerplant.venues;

import io.tickerplant.model.Instrument;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param channels what to subscribe to; null or empty means every channel ({@link Channel#all()})
 * @param bookSnapshotInterval a full book is published after this many deltas (besides after every (re)sync);
 *     0 or less means {@link #DEFAULT_BOOK_SNAPSHOT_INTERVAL}
 */
public record AdapterSettings(
        List<Instrument> instruments,
        URI websocketUri,
        URI restUri,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Duration silenceTimeout,
        Duration maxConnectionAge,
        Map<String, String> resumeAfterTradeId,
        Set<Channel> channels,
        int bookSnapshotInterval) {

    /** Deltas between two periodic book snapshots when the settings leave it unset. */
    public static final int DEFAULT_BOOK_SNAPSHOT_INTERVAL = 1000;

    /**
     * Trades only, as before adapters had channels: callers written for trades keep getting exactly what they got
     * (in particular no book snapshot requests competing with trade recovery for the REST budget).
     */
    public AdapterSettings(List<Instrument> instruments, URI websocketUri, URI restUri, Duration reconnectBackoffMin,
                           Duration reconnectBackoffMax, Duration silenceTimeout, Duration maxConnectionAge,
                           Map<String, String> resumeAfterTradeId) {
        this(instruments, websocketUri, restUri, reconnectBackoffMin, reconnectBackoffMax, silenceTimeout,
                maxConnectionAge, resumeAfterTradeId, Set.of(Channel.TRADES), 0);
    }

    /** The channels to subscribe to, never empty. */
    public Set<Channel> effectiveChannels() {
        return channels == null || channels.isEmpty() ? Channel.all() : channels;
    }

    /** The snapshot interval, defaulted. */
    public int effectiveBookSnapshotInterval() {
        return bookSnapshotInterval > 0 ? bookSnapshotInterval : DEFAULT_BOOK_SNAPSHOT_INTERVAL;
    }

    /** The same settings subscribing to other channels. */
    public AdapterSettings withChannels(Set<Channel> newChannels) {
        return new AdapterSettings(instruments, websocketUri, restUri, reconnectBackoffMin, reconnectBackoffMax,
                silenceTimeout, maxConnectionAge, resumeAfterTradeId, newChannels, bookSnapshotInterval);
    }

    /** The same settings with another book snapshot interval. */
    public AdapterSettings withBookSnapshotInterval(int interval) {
        return new AdapterSettings(instruments, websocketUri, restUri, reconnectBackoffMin, reconnectBackoffMax,
                silenceTimeout, maxConnectionAge, resumeAfterTradeId, channels, interval);
    }
}
