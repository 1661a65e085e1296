package io.tickerplant.venues.coinbase;

import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.coinbase.CoinbaseParser.TradeItem;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded Coinbase Advanced Trade frames through the adapter's own {@link CoinbaseFeed}, without a network: each
 * recorded connection gets its own sequence check (a connection line starts one), every product is accepted, and
 * what the live adapter would ask the venue for (a resubscription for a new snapshot, missed trades) is impossible
 * here, so books wait for a recorded snapshot and missed trades are GAPs. Frames of the legacy Coinbase Exchange
 * feed ({@code ws-feed.pro.coinbase.com}) are rejected with the reason. Not thread-safe.
 */
public final class CoinbaseReplayer implements VenueReplayer {

    private final Map<String, CoinbaseFeed> connections = new HashMap<>();
    private final VenueEventListener listener;
    private final int snapshotInterval;

    /** @param snapshotInterval deltas between periodic book snapshots; 0 for the default */
    public CoinbaseReplayer(VenueEventListener listener, int snapshotInterval) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.snapshotInterval = snapshotInterval > 0 ? snapshotInterval
                : AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL;
    }

    @Override
    public void onMessage(CapturedMessage m) {
        String key = m.connection() == null ? "" : m.connection();
        switch (m.kind()) {
            case CONNECT -> {
                CoinbaseFeed feed = feed(key);
                feed.connectionLost("a new connection was recorded");
                feed.connectionOpened();
            }
            case RECEIVED -> feed(key).onFrame(m.text(), m.receiveMicros());
            default -> {
                // Sent subscriptions and REST answers (the product list) carry no market data.
            }
        }
    }

    private CoinbaseFeed feed(String connection) {
        return connections.computeIfAbsent(connection, c -> new CoinbaseFeed(listener, Channel.all(),
                snapshotInterval, new Offline(), null, Map.of()));
    }

    @Override
    public Map<String, Integer> unsyncedDiffs() {
        Map<String, Integer> out = new HashMap<>();
        connections.values().forEach(f -> f.unsyncedUpdates().forEach((k, v) -> out.merge(k, v, Integer::sum)));
        return out;
    }

    /** A recording cannot be asked for anything. */
    private static final class Offline implements CoinbaseFeed.Actions {
        @Override
        public void resubscribe(String channel, List<String> productIds) {
        }

        @Override
        public List<TradeItem> recentTrades(String productId, int limit) throws Exception {
            throw new UnsupportedOperationException("a replay cannot fetch trades");
        }
    }
}
