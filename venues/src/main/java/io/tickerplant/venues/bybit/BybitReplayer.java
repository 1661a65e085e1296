package io.tickerplant.venues.bybit;

import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded Bybit v5 frames through the adapter's own {@link BybitFeed} (parser, book sync, ticker merge), without
 * a network. A frame's category (spot or linear: the same {@code BTCUSDT} is a different instrument on each) is
 * taken from its connection's address ({@code .../v5/public/linear}); frames of other addresses (the retired v2
 * {@code /realtime} endpoints) go through the spot feed, whose parser rejects v2 topics with a reason. A new
 * connection in the recording counts as the previous one of its category being lost. A book gap cannot be
 * repaired by resubscribing, so the book waits for the recording's next snapshot. Not thread-safe.
 */
public final class BybitReplayer implements VenueReplayer {

    private final VenueEventListener listener;
    private final int snapshotInterval;
    private final Map<BybitCategory, BybitFeed> feeds = new EnumMap<>(BybitCategory.class);

    /** @param snapshotInterval deltas between periodic book snapshots; 0 for the default */
    public BybitReplayer(VenueEventListener listener, int snapshotInterval) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.snapshotInterval = snapshotInterval > 0 ? snapshotInterval
                : AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL;
    }

    @Override
    public void onMessage(CapturedMessage m) {
        BybitCategory category = BybitCategory.fromConnection(m.connection()).orElse(BybitCategory.SPOT);
        switch (m.kind()) {
            case RECEIVED -> feed(category).onFrame(m.text(), m.receiveMicros());
            case CONNECT -> {
                BybitFeed f = feeds.get(category);
                if (f != null) {
                    f.onDisconnected("the recording opened a new connection");
                }
            }
            default -> {
                // Subscribe requests and REST answers carry no market data Bybit's stream needs.
            }
        }
    }

    private BybitFeed feed(BybitCategory category) {
        return feeds.computeIfAbsent(category, c -> new BybitFeed(c, Channel.all(), snapshotInterval, listener,
                topic -> { }, null));
    }

    @Override
    public Map<String, Integer> unsyncedDiffs() {
        Map<String, Integer> out = new HashMap<>();
        feeds.values().forEach(f -> out.putAll(f.unsyncedDiffs()));
        return out;
    }
}
