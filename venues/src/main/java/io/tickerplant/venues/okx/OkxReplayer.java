package io.tickerplant.venues.okx;

import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.venues.AdapterSettings;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.okx.OkxParser.BookData;
import io.tickerplant.venues.okx.OkxParser.Event;
import io.tickerplant.venues.okx.OkxParser.Frame;
import io.tickerplant.venues.okx.OkxParser.InstrumentInfo;
import io.tickerplant.venues.okx.OkxParser.MalformedFrameException;
import io.tickerplant.venues.okx.OkxParser.Push;
import io.tickerplant.venues.replay.CapturedMessage;
import io.tickerplant.venues.replay.VenueReplayer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded OKX v5 frames through the adapter's own parser, event conversion and book sync, without a network.
 * Recorded {@code /api/v5/public/instruments} answers supply the swaps' contract values. Instruments without a
 * canonical symbol (dated futures such as {@code BTC-USD-220527}, options) are rejected with the reason. A book
 * that loses sync waits for the next recorded snapshot (a replay cannot resubscribe). Not thread-safe.
 */
public final class OkxReplayer implements VenueReplayer {

    private static final String VENUE = Venue.OKX.name();

    private final VenueEventListener listener;
    private final int snapshotInterval;
    private final OkxParser parser = new OkxParser();
    private final Map<String, InstrumentInfo> contracts = new HashMap<>();
    private final Map<String, OkxBookSync> books = new HashMap<>();
    private final OkxEvents events;

    /** @param snapshotInterval deltas between periodic book snapshots; 0 for the default */
    public OkxReplayer(VenueEventListener listener, int snapshotInterval) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.snapshotInterval = snapshotInterval > 0 ? snapshotInterval
                : AdapterSettings.DEFAULT_BOOK_SNAPSHOT_INTERVAL;
        this.events = new OkxEvents(VENUE, listener, contracts::get);
    }

    @Override
    public void onMessage(CapturedMessage m) {
        switch (m.kind()) {
            case RECEIVED -> onFrame(m.text(), m.receiveMicros());
            case HTTP -> {
                if (m.connection() != null && m.connection().contains("/api/v5/public/instruments")) {
                    try {
                        contracts.putAll(parser.parseInstruments(m.text()));
                    } catch (MalformedFrameException e) {
                        listener.onRejected(new RejectedFrame(VENUE, m.text(), "instruments: " + e.getMessage(),
                                "MalformedFrame", m.receiveMicros()));
                    }
                }
            }
            default -> {
                // Connections and subscribe requests carry no market data.
            }
        }
    }

    /** One recorded websocket frame. */
    public void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), "MalformedFrame", receiveMicros);
            return;
        }
        if (frame instanceof Event ev && ev.event().equals("error")) {
            reject(text, "venue error " + ev.code() + ": " + ev.msg(), "VenueError", receiveMicros);
        }
        if (!(frame instanceof Push push)) {
            return;
        }
        String instId = push.instId();
        if (instId != null) {
            try {
                OkxSymbols.toCanonical(instId);
            } catch (IllegalArgumentException e) {
                reject(text, e.getMessage(), "UnsupportedInstrument", receiveMicros);
                return;
            }
        }
        if (push.channel().equals("books")) {
            OkxBookSync book = book(instId);
            boolean snapshot = "snapshot".equals(push.action());
            if (!snapshot && !"update".equals(push.action())) {
                reject(text, "field 'action' is '" + push.action() + "', expected snapshot or update",
                        "MalformedFrame", receiveMicros);
                return;
            }
            for (OkxParser.Data d : push.data()) {
                if (snapshot) {
                    book.onSnapshot((BookData) d, receiveMicros);
                } else {
                    book.onUpdate((BookData) d, receiveMicros);
                }
            }
            return;
        }
        events.deliver(push, text, receiveMicros, OkxReplayer::canonical);
    }

    private OkxBookSync book(String instId) {
        return books.computeIfAbsent(instId, s -> new OkxBookSync(VENUE, canonical(s), s, snapshotInterval,
                id -> {
                    // A recording cannot ask for a new snapshot: the book waits for the next recorded one.
                }, new OkxBookSync.Output() {
                    @Override
                    public void book(BookUpdate update) {
                        listener.onBook(update);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        Instant now = Micros.toInstant(Micros.now());
                        listener.onFeedStatus(new FeedStatus(VENUE, canonical(s), s, now, now, state, detail,
                                OkxBookSync.channel(), fromId, toId));
                    }
                }));
    }

    /** Updates that reached no synchronized book, per instrument. */
    @Override
    public Map<String, Integer> unsyncedDiffs() {
        Map<String, Integer> out = new HashMap<>();
        books.forEach((s, b) -> {
            if (b.unsyncedUpdates() > 0) {
                out.put(s, (int) b.unsyncedUpdates());
            }
        });
        return out;
    }

    /** Book messages whose non-zero checksum matched, over all books. */
    public long checksumsVerified() {
        return books.values().stream().mapToLong(OkxBookSync::checksumsVerified).sum();
    }

    /** Book messages whose checksum did not match, over all books. */
    public long checksumFailures() {
        return books.values().stream().mapToLong(OkxBookSync::checksumFailures).sum();
    }

    private void reject(String text, String reason, String errorClass, long receiveMicros) {
        listener.onRejected(new RejectedFrame(VENUE, text, reason, errorClass, receiveMicros));
    }

    private static String canonical(String instId) {
        return OkxSymbols.canonicalOrEmpty(instId).orElse(instId);
    }
}
