package io.tickerplant.venues.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.Channel;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.coinbase.CoinbaseParser.TradeItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection logic: sequence numbers, trade de-duplication and recovery, book resynchronization. */
class CoinbaseFeedTest {

    static final class Recording implements VenueEventListener {
        final List<Trade> trades = new ArrayList<>();
        final List<Quote> quotes = new ArrayList<>();
        final List<BookUpdate> books = new ArrayList<>();
        final List<FeedStatus> statuses = new ArrayList<>();
        final List<RejectedFrame> rejected = new ArrayList<>();

        @Override
        public void onTrade(Trade trade) {
            trades.add(trade);
        }

        @Override
        public void onQuote(Quote quote) {
            quotes.add(quote);
        }

        @Override
        public void onBook(BookUpdate update) {
            books.add(update);
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            statuses.add(status);
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            rejected.add(frame);
        }

        List<String> tradeIds() {
            return trades.stream().map(Trade::getTradeId).toList();
        }
    }

    /** Records what the feed asked of the network; recent trades come from a list the test fills. */
    static final class FakeNetwork implements CoinbaseFeed.Actions {
        final List<String> resubscribed = new ArrayList<>();
        final List<TradeItem> venueTrades = new ArrayList<>();
        String failure;

        @Override
        public void resubscribe(String channel, List<String> productIds) {
            resubscribed.add(channel + " " + productIds);
        }

        @Override
        public List<TradeItem> recentTrades(String productId, int limit) throws Exception {
            if (failure != null) {
                throw new Exception(failure);
            }
            return venueTrades;
        }
    }

    private final Recording out = new Recording();
    private final FakeNetwork network = new FakeNetwork();
    private final CoinbaseFeed feed = new CoinbaseFeed(out, Channel.all(), 3, network, Map.of("BTC-USD", "BTC-USD"),
            Map.of());

    private static String trades(long seq, String type, long... ids) {
        StringBuilder sb = new StringBuilder("{\"channel\":\"market_trades\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"sequence_num\":" + seq + ",\"events\":[{\"type\":\"" + type + "\",\"trades\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(trade(ids[i]));
        }
        return sb.append("]}]}").toString();
    }

    private static String trade(long id) {
        return "{\"product_id\":\"BTC-USD\",\"trade_id\":\"" + id + "\",\"price\":\"100." + id % 10
                + "\",\"size\":\"0.5\",\"time\":\"2026-01-01T00:00:00Z\",\"side\":\"" + (id % 2 == 0 ? "BUY" : "SELL")
                + "\"}";
    }

    private static TradeItem item(long id) {
        return new TradeItem("BTC-USD", Long.toString(id), Decimals.parse("100"), Decimals.parse("1"), 0, "BUY");
    }

    private static String l2(long seq, String type, String... levels) {
        StringBuilder sb = new StringBuilder("{\"channel\":\"l2_data\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"sequence_num\":" + seq + ",\"events\":[{\"type\":\"" + type
                + "\",\"product_id\":\"BTC-USD\",\"updates\":[");
        for (int i = 0; i < levels.length; i++) {
            String[] l = levels[i].split(" ");
            sb.append(i == 0 ? "" : ",").append("{\"side\":\"").append(l[0]).append("\",\"event_time\":")
                    .append("\"2026-01-01T00:00:01Z\",\"price_level\":\"").append(l[1])
                    .append("\",\"new_quantity\":\"").append(l[2]).append("\"}");
        }
        return sb.append("]}]}").toString();
    }

    private static String heartbeat(long seq) {
        return "{\"channel\":\"heartbeats\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":" + seq
                + ",\"events\":[{\"current_time\":\"x\",\"heartbeat_counter\":" + seq + "}]}";
    }

    private List<String> states() {
        return out.statuses.stream().map(s -> s.getStatus() + (s.getChannel() == null ? "" : "/" + s.getChannel())
                + " " + s.getFromId() + ".." + s.getToId()).toList();
    }

    @Test
    void snapshotTradesAreDeliveredOldestFirstWithTheTakerSideAndOverlapsDropped() {
        feed.connectionOpened();
        feed.onFrame(trades(0, "snapshot", 12, 11, 10), 1);
        feed.onFrame(trades(1, "update", 12, 13), 2);
        assertThat(out.tradeIds()).containsExactly("10", "11", "12", "13");
        // Even ids are BUY on the wire: the maker bought, so the taker sold.
        assertThat(out.trades.get(0).getSide()).isEqualTo(Side.SELL);
        assertThat(out.trades.get(1).getSide()).isEqualTo(Side.BUY);
        assertThat(out.trades.get(0).getSymbol()).isEqualTo("BTC-USD");
        assertThat(feed.duplicates.get()).isEqualTo(1);
        assertThat(out.statuses).isEmpty();
    }

    @Test
    void skippedTradeIdsAreRecoveredOverRestBeforeTheLiveTrade() {
        feed.connectionOpened();
        feed.onFrame(trades(0, "snapshot", 10), 1);
        network.venueTrades.addAll(List.of(item(14), item(13), item(12), item(11), item(9)));
        feed.onFrame(trades(1, "update", 14), 2);
        assertThat(out.tradeIds()).containsExactly("10", "11", "12", "13", "14");
        assertThat(feed.recovered.get()).isEqualTo(3);
        assertThat(out.statuses).isEmpty();
    }

    @Test
    void tradesThatCannotBeRecoveredAreAGapWithTheirIdRange() {
        feed.connectionOpened();
        feed.onFrame(trades(0, "snapshot", 10), 1);
        network.failure = "GET /api/v3/brokerage/market/products/BTC-USD/ticker failed: HTTP 429";
        feed.onFrame(trades(1, "update", 14), 2);
        assertThat(out.tradeIds()).containsExactly("10", "14");
        assertThat(states()).containsExactly("GAP/trades 11..13");
        assertThat(out.statuses.get(0).getDetail()).contains("HTTP 429");
    }

    @Test
    void aSequenceJumpIsAConnectionGapThenBookGapResubscriptionAndResync() {
        feed.connectionOpened();
        feed.onFrame(l2(0, "snapshot", "bid 99 1", "offer 101 2"), 1);
        feed.onFrame(l2(1, "update", "bid 99 3"), 2);
        feed.onFrame(heartbeat(4), 3);
        feed.onFrame(l2(5, "update", "bid 98 1"), 4);
        feed.onFrame(l2(6, "snapshot", "bid 98 1", "offer 101 2"), 5);
        assertThat(states()).containsExactly("GAP 2..3", "GAP/book 2..3", "RESYNC/book null..6");
        assertThat(network.resubscribed).containsExactly("level2 [BTC-USD]", "market_trades [BTC-USD]");
        assertThat(out.books).extracting(BookUpdate::getSnapshot, BookUpdate::getSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, 0L),
                        org.assertj.core.groups.Tuple.tuple(false, 1L),
                        org.assertj.core.groups.Tuple.tuple(true, 0L));
        assertThat(feed.unsyncedUpdates()).isEmpty();
    }

    @Test
    void aRepeatedSequenceNumberIsRejectedAndDropped() {
        feed.connectionOpened();
        feed.onFrame(trades(0, "snapshot", 10), 1);
        feed.onFrame(trades(0, "update", 11), 2);
        assertThat(out.tradeIds()).containsExactly("10");
        assertThat(out.rejected).singleElement().satisfies(r -> assertThat(r.reason())
                .isEqualTo("field 'sequence_num' is 0, but 1 was expected next (repeated or out of order)"));
    }

    @Test
    void aLostConnectionDropsTheBookUntilTheNextSnapshotWhichIsAResync() {
        feed.connectionOpened();
        feed.onFrame(l2(0, "snapshot", "bid 99 1", "offer 101 2"), 1);
        feed.connectionLost("connection lost without a close frame (1006)");
        feed.connectionOpened();
        feed.onFrame(l2(0, "update", "bid 99 3"), 2);
        feed.onFrame(l2(1, "snapshot", "bid 99 2", "offer 101 2"), 3);
        assertThat(states()).containsExactly("RESYNC/book null..1");
        assertThat(out.books).filteredOn(BookUpdate::getSnapshot).hasSize(2);
        assertThat(out.books).noneMatch(b -> !b.getSnapshot());
    }

    @Test
    void quotesCarryTheMessageTimeAndSequence() {
        feed.connectionOpened();
        feed.onFrame("{\"channel\":\"ticker\",\"timestamp\":\"2026-01-01T00:00:02Z\",\"sequence_num\":0,\"events\":"
                + "[{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\",\"product_id\":\"BTC-USD\",\"price\":\"100\","
                + "\"best_bid\":\"99\",\"best_bid_quantity\":\"1\",\"best_ask\":\"101\",\"best_ask_quantity\":\"2\"}]}]}",
                5);
        Quote q = out.quotes.get(0);
        assertThat(Decimals.toPlainString(q.getAskPrice())).isEqualTo("101");
        assertThat(q.getEventTime()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:02Z"));
        assertThat(q.getUpdateId()).isZero();
    }

    @Test
    void framesForProductsNotSubscribedAreRejected() {
        feed.connectionOpened();
        feed.onFrame(trades(0, "update", 1).replace("BTC-USD", "DOGE-USD"), 1);
        assertThat(out.rejected).singleElement().satisfies(r -> assertThat(r.reason())
                .isEqualTo("field 'product_id' of trade 1 is 'DOGE-USD', which is not subscribed"));
    }
}
