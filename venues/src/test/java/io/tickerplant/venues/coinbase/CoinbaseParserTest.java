package io.tickerplant.venues.coinbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.venues.coinbase.CoinbaseParser.Event;
import io.tickerplant.venues.coinbase.CoinbaseParser.MalformedFrameException;
import io.tickerplant.venues.coinbase.CoinbaseParser.Message;
import io.tickerplant.venues.coinbase.CoinbaseParser.TradeItem;
import io.tickerplant.venues.coinbase.CoinbaseParser.VenueError;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Frames from Coinbase's Advanced Trade WebSocket channel documentation, and hand-made broken ones. */
class CoinbaseParserTest {

    private final CoinbaseParser parser = new CoinbaseParser();

    private Message message(String frame) throws MalformedFrameException {
        return (Message) parser.parse(frame);
    }

    private static long micros(String iso) {
        return Micros.of(Instant.parse(iso));
    }

    @Test
    void marketTradesAsDocumentedWithTheMakerSideMappedToTheTaker() throws Exception {
        Message m = message("""
                {"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z",
                 "sequence_num":0,"events":[{"type":"snapshot","trades":[{"trade_id":"000000000",
                 "product_id":"ETH-USD","price":"1260.01","size":"0.3","side":"BUY",
                 "time":"2019-08-14T20:42:27.265Z"}]}]}""");
        assertThat(m.channel()).isEqualTo("market_trades");
        assertThat(m.sequence()).isZero();
        assertThat(m.timestampMicros()).isEqualTo(micros("2023-02-09T20:19:35.396251Z"));
        Event e = m.events().get(0);
        assertThat(e.isSnapshot()).isTrue();
        TradeItem t = e.trades().get(0);
        assertThat(t.productId()).isEqualTo("ETH-USD");
        assertThat(t.tradeId()).isEqualTo("000000000");
        assertThat(t.numericId()).isZero();
        assertThat(Decimals.toPlainString(t.price())).isEqualTo("1260.01");
        assertThat(Decimals.toPlainString(t.size())).isEqualTo("0.3");
        assertThat(t.timeMicros()).isEqualTo(micros("2019-08-14T20:42:27.265Z"));
        // BUY is the resting order: a seller hit the bid.
        assertThat(t.takerBuys()).isFalse();
    }

    @Test
    void aBatchOfTradesKeepsEveryTradeInWireOrder() throws Exception {
        Message m = message("{\"channel\":\"market_trades\",\"timestamp\":\"2026-08-09T21:05:48.251397169Z\","
                + "\"sequence_num\":9,\"events\":[{\"type\":\"update\",\"trades\":["
                + "{\"product_id\":\"BTC-USD\",\"trade_id\":\"102\",\"price\":\"65083.67\",\"size\":\"0.01\","
                + "\"time\":\"2026-08-09T21:05:48.167634Z\",\"side\":\"SELL\"},"
                + "{\"product_id\":\"BTC-USD\",\"trade_id\":\"101\",\"price\":\"65083.66\",\"size\":\"0.02\","
                + "\"time\":\"2026-08-09T21:05:48Z\",\"side\":\"BUY\"}]}]}");
        assertThat(m.events().get(0).trades()).extracting(TradeItem::tradeId).containsExactly("102", "101");
        assertThat(m.events().get(0).trades().get(0).takerBuys()).isTrue();
        assertThat(m.events().get(0).trades().get(1).timeMicros()).isEqualTo(micros("2026-08-09T21:05:48Z"));
    }

    @Test
    void tickerAsDocumented() throws Exception {
        Message m = message("""
                {"channel":"ticker","client_id":"","timestamp":"2023-02-09T20:30:37.167359596Z","sequence_num":0,
                 "events":[{"type":"snapshot","tickers":[{"type":"ticker","product_id":"BTC-USD","price":"21932.98",
                 "volume_24_h":"16038.28770938","low_24_h":"21835.29","high_24_h":"23011.18","low_52_w":"15460",
                 "high_52_w":"48240","price_percent_chg_24_h":"-4.15775596190603","best_bid":"21931.98",
                 "best_bid_quantity":"8000.21","best_ask":"21933.98","best_ask_quantity":"8038.07770938"}]}]}""");
        var q = m.events().get(0).tickers().get(0);
        assertThat(q.productId()).isEqualTo("BTC-USD");
        assertThat(Decimals.toPlainString(q.bidPrice())).isEqualTo("21931.98");
        assertThat(Decimals.toPlainString(q.bidSize())).isEqualTo("8000.21");
        assertThat(Decimals.toPlainString(q.askPrice())).isEqualTo("21933.98");
        assertThat(Decimals.toPlainString(q.askSize())).isEqualTo("8038.07770938");
    }

    @Test
    void level2SnapshotAsDocumentedSplitsBidsAndOffers() throws Exception {
        Message m = message("""
                {"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,
                 "events":[{"type":"snapshot","product_id":"BTC-USD","updates":[
                  {"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},
                  {"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.3","new_quantity":"0.02"},
                  {"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"21921.74","new_quantity":"1.5"}]}]}""");
        assertThat(m.channel()).isEqualTo("l2_data");
        Event e = m.events().get(0);
        assertThat(e.isSnapshot()).isTrue();
        assertThat(e.productId()).isEqualTo("BTC-USD");
        assertThat(e.bids()).hasSize(2);
        assertThat(Decimals.toPlainString(e.bids().get(1).getPrice())).isEqualTo("21921.3");
        assertThat(e.asks()).hasSize(1);
        assertThat(Decimals.toPlainString(e.asks().get(0).getSize())).isEqualTo("1.5");
        assertThat(e.lastEventTimeMicros()).isZero();
    }

    @Test
    void level2UpdateCarriesRemovalsAsZeroAndItsLatestEventTime() throws Exception {
        Message m = message("{\"channel\":\"l2_data\",\"timestamp\":\"2026-08-09T21:05:48.505350477Z\","
                + "\"sequence_num\":14,\"events\":[{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":["
                + "{\"side\":\"bid\",\"event_time\":\"2026-08-09T21:05:48.210883Z\",\"price_level\":\"65061.91\","
                + "\"new_quantity\":\"0\"},{\"side\":\"offer\",\"event_time\":\"2026-08-09T21:05:48.310883Z\","
                + "\"price_level\":\"65090\",\"new_quantity\":\"0.5\"}]}]}");
        Event e = m.events().get(0);
        assertThat(Decimals.isZero(e.bids().get(0).getSize())).isTrue();
        assertThat(e.lastEventTimeMicros()).isEqualTo(micros("2026-08-09T21:05:48.310883Z"));
    }

    @Test
    void heartbeatCounterIsReadAsTheDocsStringAndAsProductionsInteger() throws Exception {
        Message docs = message("""
                {"channel":"heartbeats","client_id":"","timestamp":"2023-06-23T20:31:26.122969572Z","sequence_num":0,
                 "events":[{"current_time":"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105",
                 "heartbeat_counter":"3049"}]}""");
        assertThat(docs.events().get(0).heartbeatCounter()).isEqualTo(3049);
        Message live = message("{\"channel\":\"heartbeats\",\"timestamp\":\"2026-08-09T21:05:48.856364007Z\","
                + "\"sequence_num\":35,\"events\":[{\"current_time\":\"x\",\"heartbeat_counter\":41691}]}");
        assertThat(live.events().get(0).heartbeatCounter()).isEqualTo(41691);
    }

    @Test
    void subscriptionsAndUnusedChannelsStillYieldTheirSequenceNumber() throws Exception {
        Message subs = message("{\"channel\":\"subscriptions\",\"timestamp\":\"2026-08-09T21:05:48.228846629Z\","
                + "\"sequence_num\":2,\"events\":[{\"subscriptions\":{\"market_trades\":[\"BTC-USD\",\"ETH-USD\"]}}]}");
        assertThat(subs.events().get(0).subscriptions()).containsEntry("market_trades", java.util.List.of("BTC-USD",
                "ETH-USD"));
        Message candles = message("{\"channel\":\"candles\",\"timestamp\":\"2026-08-09T21:05:51.491081826Z\","
                + "\"sequence_num\":138,\"events\":[{\"type\":\"update\",\"candles\":[{\"start\":\"1786309500\","
                + "\"high\":\"1919.6\",\"product_id\":\"ETH-USD\"}]}]}");
        assertThat(candles.channel()).isEqualTo("candles");
        assertThat(candles.sequence()).isEqualTo(138);
    }

    @Test
    void fieldsMayComeInAnyOrder() throws Exception {
        Message m = message("{\"events\":[{\"trades\":[{\"side\":\"SELL\",\"time\":\"2026-01-01T00:00:00.5Z\","
                + "\"size\":\"1\",\"price\":\"2\",\"trade_id\":\"7\",\"product_id\":\"BTC-USD\"}],\"type\":\"update\"}],"
                + "\"sequence_num\":3,\"timestamp\":\"2026-01-01T00:00:01Z\",\"channel\":\"market_trades\"}");
        assertThat(m.sequence()).isEqualTo(3);
        assertThat(m.events().get(0).trades().get(0).timeMicros()).isEqualTo(micros("2026-01-01T00:00:00.500Z"));
    }

    @Test
    void anErrorMessageIsTheVenuesRefusal() throws Exception {
        assertThat(parser.parse("{\"type\":\"error\",\"message\":\"Failed to subscribe\"}"))
                .isEqualTo(new VenueError("Failed to subscribe"));
    }

    @Test
    void restTickerAnswerGivesItsTrades() throws Exception {
        var trades = parser.parseRestTrades("{\"trades\":[{\"trade_id\":\"34b080bf\",\"product_id\":\"BTC-USD\","
                + "\"price\":\"140.91\",\"size\":\"4\",\"time\":\"2021-05-31T09:59:59Z\",\"side\":\"BUY\","
                + "\"bid\":\"\",\"ask\":\"\",\"exchange\":\"\"}],\"best_bid\":\"291.13\",\"best_ask\":\"292.40\"}");
        assertThat(trades).hasSize(1);
        assertThat(trades.get(0).numericId()).isEqualTo(-1);
    }

    @Test
    void malformedFramesNameTheFieldAndTheValue() {
        assertReason("{\"channel\":\"market_trades\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":1,"
                + "\"events\":[{\"type\":\"update\",\"trades\":[{\"product_id\":\"BTC-USD\",\"trade_id\":\"1\","
                + "\"price\":\"abc\",\"size\":\"1\",\"time\":\"2026-01-01T00:00:00Z\",\"side\":\"BUY\"}]}]}",
                "field 'events[0].trades[0].price' is not a decimal: 'abc'");
        assertReason("{\"channel\":\"market_trades\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":1,"
                + "\"events\":[{\"type\":\"update\",\"trades\":[{\"product_id\":\"BTC-USD\",\"trade_id\":\"1\","
                + "\"price\":\"1\",\"size\":\"1\",\"time\":\"2026-01-01T00:00:00Z\",\"side\":\"LONG\"}]}]}",
                "field 'events[0].trades[0].side' is neither BUY nor SELL: 'LONG'");
        assertReason("{\"channel\":\"l2_data\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":1,"
                + "\"events\":[{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":[{\"side\":\"bid\","
                + "\"event_time\":\"2026-01-01T00:00:00Z\",\"price_level\":\"1\",\"new_quantity\":\"-2\"}]}]}",
                "field 'events[0].updates[0].new_quantity' is negative: '-2'");
        assertReason("{\"channel\":\"ticker\",\"timestamp\":\"yesterday\",\"sequence_num\":1,\"events\":[]}",
                "field 'timestamp' is not an RFC 3339 UTC time: 'yesterday'");
        assertReason("{\"channel\":\"ticker\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":\"1\","
                + "\"events\":[]}", "field 'sequence_num' is not an integer: '1'");
        assertReason("{\"channel\":\"ticker\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"events\":[]}",
                "field 'sequence_num' is missing");
        assertReason("{\"channel\":\"ticker\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"sequence_num\":1,"
                + "\"events\":[{\"type\":\"update\",\"tickers\":[{\"product_id\":\"BTC-USD\",\"best_bid\":\"1\","
                + "\"best_ask\":\"2\",\"best_ask_quantity\":\"3\"}]}]}",
                "field 'events[0].tickers[0].best_bid_quantity' is missing");
        assertReason("[1,2]", "not a JSON object");
        assertThatThrownBy(() -> parser.parse("{\"channel\":\"ticker\",\"seq")).isInstanceOf(
                MalformedFrameException.class).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void legacyExchangeFeedFramesAreRejectedAsAnotherProtocol() {
        assertReason("{\"type\":\"l2update\",\"product_id\":\"SKL-USD\",\"changes\":[[\"buy\",\"0.4\",\"10\"]],"
                + "\"time\":\"2021-04-17T16:43:37.1Z\"}", "legacy Coinbase Exchange feed message type 'l2update';"
                + " tickerplant speaks Advanced Trade (messages with channel and events)");
    }

    private void assertReason(String frame, String reason) {
        assertThatThrownBy(() -> parser.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .hasMessage(reason);
    }
}
