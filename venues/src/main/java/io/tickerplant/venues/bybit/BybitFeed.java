package io.tickerplant.venues.bybit;

import io.tickerplant.model.Micros;
import io.tickerplant.model.Venue;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.book.OrderBook;
import io.tickerplant.venues.bybit.BybitParser.Book;
import io.tickerplant.venues.bybit.BybitParser.Frame;
import io.tickerplant.venues.bybit.BybitParser.LiquidationEvent;
import io.tickerplant.venues.bybit.BybitParser.Liquidations;
import io.tickerplant.venues.bybit.BybitParser.MalformedFrameException;
import io.tickerplant.venues.bybit.BybitParser.OpAnswer;
import io.tickerplant.venues.bybit.BybitParser.Ticker;
import io.tickerplant.venues.bybit.BybitParser.TradeEvent;
import io.tickerplant.venues.bybit.BybitParser.Trades;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one Bybit v5 public connection (one category) turned into events: trades, quotes (spot
 * {@code orderbook.1}, linear {@code tickers} best bid/ask), books ({@code orderbook.50} or any depth above 1, kept
 * by {@link BybitBookSync}), liquidations and merged funding ({@link BybitTickerState}). The live adapter and the
 * replayer share it, so a recording goes through exactly the live code.
 *
 * <p>Not thread-safe: one connection's handler calls, which never overlap.
 */
final class BybitFeed {

    private static final Logger log = LoggerFactory.getLogger(BybitFeed.class);
    private static final String VENUE = Venue.BYBIT.name();

    private final BybitCategory category;
    private final Set<Channel> channels;
    private final int snapshotInterval;
    private final VenueEventListener listener;
    private final BybitBookSync.Resubscriber resubscriber;
    /** Venue symbol to canonical; null: accept every symbol (replay). */
    private final Map<String, String> subscribed;
    private final BybitParser parser = new BybitParser();
    private final Map<String, BybitBookSync> books = new HashMap<>();
    private final Map<String, TopOfBook> tops = new HashMap<>();
    private final Map<String, BybitTickerState> tickers = new HashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();
    private Consumer<OpAnswer> answers = a -> { };

    /**
     * @param subscribed venue symbol to canonical symbol of the instruments subscribed to, or null to accept any
     *     symbol (replays)
     */
    BybitFeed(BybitCategory category, Set<Channel> channels, int snapshotInterval, VenueEventListener listener,
              BybitBookSync.Resubscriber resubscriber, Map<String, String> subscribed) {
        this.category = Objects.requireNonNull(category, "category");
        this.channels = Set.copyOf(channels);
        this.snapshotInterval = snapshotInterval;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.resubscriber = Objects.requireNonNull(resubscriber, "resubscriber");
        this.subscribed = subscribed == null ? null : Map.copyOf(subscribed);
    }

    /** Where answers to subscribe/unsubscribe/ping go (the adapter logs failures). */
    void onAnswers(Consumer<OpAnswer> consumer) {
        this.answers = Objects.requireNonNull(consumer);
    }

    BybitCategory category() {
        return category;
    }

    /** One received frame. */
    void onFrame(String text, long receiveMicros) {
        Frame frame;
        try {
            frame = parser.parse(text);
        } catch (MalformedFrameException e) {
            reject(text, e.getMessage(), e.code(), receiveMicros);
            return;
        }
        if (frame instanceof OpAnswer a) {
            if ("ping".equals(a.op()) || "pong".equals(a.op())) {
                pongs.incrementAndGet();
            } else if (!a.success()) {
                reject(text, "venue refused '" + a.op() + "': " + a.retMsg(), "VenueError", receiveMicros);
            }
            answers.accept(a);
            return;
        }
        String symbol = frame instanceof Trades t ? t.venueSymbol()
                : frame instanceof Book b ? b.venueSymbol()
                : frame instanceof Ticker t ? t.venueSymbol()
                : ((Liquidations) frame).venueSymbol();
        String canonical = canonical(symbol);
        if (canonical == null) {
            reject(text, "topic symbol '" + symbol + "' is not subscribed on the " + category.path() + " connection",
                    "UnknownSymbol", receiveMicros);
            return;
        }
        if (frame instanceof Trades t) {
            if (channels.contains(Channel.TRADES)) {
                for (TradeEvent e : t.trades()) {
                    listener.onTrade(new Trade(VENUE, canonical, e.venueSymbol(), Instant.ofEpochMilli(e.timeMillis()),
                            Micros.toInstant(receiveMicros), e.tradeId(), e.price(), e.size(), e.takerSide()));
                }
            }
        } else if (frame instanceof Book b) {
            if (b.depth() == 1) {
                if (channels.contains(Channel.QUOTES)) {
                    top(b.venueSymbol()).onFrame(b, canonical, receiveMicros);
                }
            } else if (channels.contains(Channel.BOOK)) {
                book(b.venueSymbol(), canonical, b.depth()).onFrame(b, receiveMicros);
            }
        } else if (frame instanceof Ticker t) {
            onTicker(t, canonical, receiveMicros);
        } else if (frame instanceof Liquidations l) {
            if (channels.contains(Channel.LIQUIDATIONS)) {
                for (LiquidationEvent e : l.liquidations()) {
                    // S is the liquidated POSITION's side: a long (Buy) is closed by a sell order.
                    listener.onLiquidation(new Liquidation(VENUE, canonical, e.venueSymbol(),
                            Instant.ofEpochMilli(e.timeMillis()), Micros.toInstant(receiveMicros),
                            e.positionSide() == io.tickerplant.model.avro.Side.BUY
                                    ? io.tickerplant.model.avro.Side.SELL : io.tickerplant.model.avro.Side.BUY,
                            e.price(), e.size(), null));
                }
            }
        }
    }

    private void onTicker(Ticker t, String canonical, long receiveMicros) {
        if (category != BybitCategory.LINEAR) {
            // Spot tickers carry neither funding nor best bid/ask: quotes come from orderbook.1 there.
            return;
        }
        BybitTickerState st = tickers.computeIfAbsent(t.venueSymbol(), k -> new BybitTickerState());
        if (!st.apply(t)) {
            return;
        }
        Instant receive = Micros.toInstant(receiveMicros);
        Instant eventTime = t.ts() >= 0 ? Instant.ofEpochMilli(t.ts()) : receive;
        if (channels.contains(Channel.QUOTES) && (t.snapshot() || t.hasBidAsk()) && st.hasQuote()) {
            listener.onQuote(new Quote(VENUE, canonical, t.venueSymbol(), eventTime, receive, st.bid1Price,
                    st.bid1Size, st.ask1Price, st.ask1Size, null));
        }
        if (channels.contains(Channel.FUNDING) && (t.snapshot() || t.hasFunding()) && st.hasFunding()) {
            listener.onFunding(new Funding(VENUE, canonical, t.venueSymbol(), eventTime, receive, st.markPrice,
                    st.indexPrice, st.fundingRate,
                    st.nextFundingTime == null ? null : Instant.ofEpochMilli(st.nextFundingTime)));
        }
    }

    /** The connection ended: books wait for the snapshot of the next subscription, tickers for their snapshot. */
    void onDisconnected(String reason) {
        books.values().forEach(b -> b.reset("after the connection was lost (" + reason + ")"));
        tops.values().forEach(TopOfBook::reset);
        tickers.values().forEach(BybitTickerState::reset);
    }

    private String canonical(String venueSymbol) {
        if (subscribed == null) {
            return BybitSymbols.canonicalOrSelf(venueSymbol, category);
        }
        return subscribed.get(venueSymbol);
    }

    private BybitBookSync book(String venueSymbol, String canonical, int depth) {
        return books.computeIfAbsent(venueSymbol, s -> new BybitBookSync(VENUE, canonical, s,
                "orderbook." + depth + "." + s, snapshotInterval, resubscriber, new BybitBookSync.Output() {
                    @Override
                    public void book(BookUpdate update) {
                        listener.onBook(update);
                    }

                    @Override
                    public void status(FeedState state, String detail, String fromId, String toId) {
                        if (state == FeedState.GAP) {
                            log.warn("GAP ({}): {}", category.path(), detail);
                        } else {
                            log.info("{} ({}): {}", state, category.path(), detail);
                        }
                        Instant now = Micros.toInstant(Micros.now());
                        listener.onFeedStatus(new FeedStatus(VENUE, canonical, s, now, now, state, detail,
                                BybitBookSync.channel(), fromId, toId));
                    }
                }));
    }

    private TopOfBook top(String venueSymbol) {
        return tops.computeIfAbsent(venueSymbol, TopOfBook::new);
    }

    /**
     * The {@code orderbook.1} book behind spot quotes: Bybit's level-1 stream has the same snapshot/delta rules;
     * after a break in {@code u} no quote is published until a snapshot (requested by resubscribing) arrives.
     */
    private final class TopOfBook {
        final String venueSymbol;
        final OrderBook book = new OrderBook();
        boolean valid;
        long lastUpdateId = -1;

        TopOfBook(String venueSymbol) {
            this.venueSymbol = venueSymbol;
        }

        void onFrame(Book f, String canonical, long receiveMicros) {
            if (f.snapshot()) {
                book.replace(f.bids(), f.asks());
                valid = true;
            } else if (!valid) {
                return;
            } else if (f.updateId() != lastUpdateId + 1) {
                valid = false;
                log.info("quotes of {} ({}): u={} after u={}; waiting for a snapshot", venueSymbol, category.path(),
                        f.updateId(), lastUpdateId);
                resubscriber.resubscribe("orderbook.1." + venueSymbol);
                return;
            } else {
                book.apply(OrderBook.Side.BID, f.bids());
                book.apply(OrderBook.Side.ASK, f.asks());
            }
            lastUpdateId = f.updateId();
            BookLevel bid = book.best(OrderBook.Side.BID);
            BookLevel ask = book.best(OrderBook.Side.ASK);
            if (bid != null && ask != null) {
                Instant receive = Micros.toInstant(receiveMicros);
                listener.onQuote(new Quote(VENUE, canonical, venueSymbol,
                        f.ts() >= 0 ? Instant.ofEpochMilli(f.ts()) : receive, receive, bid.getPrice(), bid.getSize(),
                        ask.getPrice(), ask.getSize(), f.updateId()));
            }
        }

        void reset() {
            valid = false;
        }
    }

    private void reject(String raw, String reason, String code, long receiveMicros) {
        rejected.incrementAndGet();
        log.debug("rejected Bybit {} frame: {}", category.path(), reason);
        listener.onRejected(new RejectedFrame(VENUE, raw, reason, code, receiveMicros));
    }

    /** Per venue symbol, deltas that reached no synchronized book since its last sync. */
    Map<String, Integer> unsyncedDiffs() {
        Map<String, Integer> out = new HashMap<>();
        books.forEach((s, b) -> {
            if (!b.isSynced() && b.unsyncedDeltas() > 0) {
                out.put(category.path() + ":" + s, b.unsyncedDeltas());
            }
        });
        return out;
    }

    long rejected() {
        return rejected.get();
    }

    long pongs() {
        return pongs.get();
    }

    /** The book of a venue symbol, or null. */
    BybitBookSync bookOf(String venueSymbol) {
        return books.get(venueSymbol);
    }

    long resyncs() {
        return books.values().stream().mapToLong(BybitBookSync::resyncs).sum();
    }

    long gaps() {
        return books.values().stream().mapToLong(BybitBookSync::gaps).sum();
    }
}
