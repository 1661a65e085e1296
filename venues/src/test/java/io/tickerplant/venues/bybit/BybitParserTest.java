package io.tickerplant.venues.bybit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.venues.bybit.BybitParser.Book;
import io.tickerplant.venues.bybit.BybitParser.Liquidations;
import io.tickerplant.venues.bybit.BybitParser.MalformedFrameException;
import io.tickerplant.venues.bybit.BybitParser.OpAnswer;
import io.tickerplant.venues.bybit.BybitParser.Ticker;
import io.tickerplant.venues.bybit.BybitParser.Trades;
import org.junit.jupiter.api.Test;

/** Frames from Bybit's v5 websocket documentation examples, and hand-written broken ones. */
class BybitParserTest {

    private final BybitParser parser = new BybitParser();

    private static String plain(io.tickerplant.model.avro.Decimal d) {
        return Decimals.toPlainString(d);
    }

    @Test
    void readsTheDocumentedPublicTradeExample() throws Exception {
        Trades t = (Trades) parser.parse("""
                {"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[
                 {"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick",
                  "i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false}]}""");
        assertThat(t.venueSymbol()).isEqualTo("BTCUSDT");
        assertThat(t.trades()).singleElement().satisfies(e -> {
            assertThat(e.tradeId()).isEqualTo("20f43950-d8dd-5b31-9112-a178eb6023af");
            assertThat(e.takerSide()).isEqualTo(Side.BUY);
            assertThat(plain(e.price())).isEqualTo("16578.50");
            assertThat(plain(e.size())).isEqualTo("0.001");
            assertThat(e.timeMillis()).isEqualTo(1672304486865L);
        });
    }

    @Test
    void readsTheDocumentedOrderbookSnapshotAndADelta() throws Exception {
        Book b = (Book) parser.parse("""
                {"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1672304484978,
                 "data":{"s":"BTCUSDT","b":[["16493.50","0.006"],["16493.00","0.100"]],
                 "a":[["16611.00","0.029"],["16612.00","0.213"]],"u":18521288,"seq":7961638724},
                 "cts":1672304484976}""");
        assertThat(b.snapshot()).isTrue();
        assertThat(b.depth()).isEqualTo(50);
        assertThat(b.updateId()).isEqualTo(18521288L);
        assertThat(b.crossSeq()).isEqualTo(7961638724L);
        assertThat(b.bids()).hasSize(2);
        assertThat(plain(b.asks().get(1).getPrice())).isEqualTo("16612.00");
        Book d = (Book) parser.parse("""
                {"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT",
                 "b":[["16493.50","0"]],"a":[],"u":18521289,"seq":7961638725}}""");
        assertThat(d.snapshot()).isFalse();
        assertThat(Decimals.isZero(d.bids().get(0).getSize())).isTrue();
    }

    @Test
    void readsTheDocumentedAllLiquidationExample() throws Exception {
        Liquidations l = (Liquidations) parser.parse("""
                {"topic":"allLiquidation.ROSEUSDT","type":"snapshot","ts":1739502303204,
                 "data":[{"T":1739502302929,"s":"ROSEUSDT","S":"Sell","v":"20000","p":"0.04499"}]}""");
        assertThat(l.liquidations()).singleElement().satisfies(e -> {
            assertThat(e.positionSide()).isEqualTo(Side.SELL);
            assertThat(plain(e.size())).isEqualTo("20000");
            assertThat(plain(e.price())).isEqualTo("0.04499");
            assertThat(e.timeMillis()).isEqualTo(1739502302929L);
        });
    }

    @Test
    void readsALinearTickerSnapshotAndADeltaWithOnlyTheChangedFields() throws Exception {
        Ticker s = (Ticker) parser.parse("""
                {"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"PlusTick",
                 "lastPrice":"17216.00","markPrice":"17217.33","indexPrice":"17227.36","nextFundingTime":"1673280000000",
                 "fundingRate":"-0.000212","bid1Price":"17215.50","bid1Size":"84.489","ask1Price":"17216.00",
                 "ask1Size":"83.020"},"cs":24987956059,"ts":1673272861686}""");
        assertThat(s.snapshot()).isTrue();
        assertThat(plain(s.fundingRate())).isEqualTo("-0.000212");
        assertThat(s.nextFundingTime()).isEqualTo(1673280000000L);
        Ticker d = (Ticker) parser.parse("""
                {"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","bid1Price":"17215.00",
                 "bid1Size":"6.054"},"cs":1,"ts":1673272861786}""");
        assertThat(d.hasBidAsk()).isTrue();
        assertThat(d.hasFunding()).isFalse();
        assertThat(d.markPrice()).isNull();

        BybitTickerState st = new BybitTickerState();
        assertThat(st.apply(d)).as("a delta before any snapshot is not merged").isFalse();
        st.apply(s);
        st.apply(d);
        assertThat(plain(st.bid1Price)).isEqualTo("17215.00");
        assertThat(plain(st.ask1Price)).isEqualTo("17216.00");
        assertThat(plain(st.markPrice)).isEqualTo("17217.33");
    }

    @Test
    void readsSubscribeAndPongAnswersOfV5AndTheRetiredV2() throws Exception {
        OpAnswer ack = (OpAnswer) parser.parse(
                "{\"success\":true,\"ret_msg\":\"\",\"conn_id\":\"2324d924-aa4d-45b0-a858-7b8be29ab52b\","
                        + "\"req_id\":\"10001\",\"op\":\"subscribe\"}");
        assertThat(ack.success()).isTrue();
        assertThat(ack.op()).isEqualTo("subscribe");
        OpAnswer pong = (OpAnswer) parser.parse(
                "{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"x\",\"req_id\":\"\",\"op\":\"ping\"}");
        assertThat(pong.retMsg()).isEqualTo("pong");
        OpAnswer refused = (OpAnswer) parser.parse("{\"success\":false,\"ret_msg\":\"error:handler not found,"
                + "topic:orderbook.7.BTCUSDT\",\"conn_id\":\"x\",\"op\":\"subscribe\"}");
        assertThat(refused.success()).isFalse();
        OpAnswer v2 = (OpAnswer) parser.parse("{\"success\":true,\"ret_msg\":\"\",\"conn_id\":\"c\","
                + "\"request\":{\"op\":\"subscribe\",\"args\":[\"trade.BCHUSDT\"]}}");
        assertThat(v2.op()).isEqualTo("subscribe");
    }

    @Test
    void readsDataThatComesBeforeItsTopic() throws Exception {
        Liquidations l = (Liquidations) parser.parse("{\"data\":[{\"T\":5,\"s\":\"BTCUSDT\",\"S\":\"Buy\","
                + "\"v\":\"1\",\"p\":\"2\"}],\"topic\":\"allLiquidation.BTCUSDT\",\"ts\":5,\"type\":\"snapshot\"}");
        assertThat(l.liquidations()).hasSize(1);
    }

    @Test
    void rejectsBadFramesNamingTheFieldAndTheValue() {
        assertReason("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1,\"data\":[{\"T\":1,"
                + "\"s\":\"BTCUSDT\",\"S\":\"Up\",\"v\":\"1\",\"p\":\"1\",\"i\":\"a\"}]}", "data[0].S", "'Up'");
        assertReason("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1,\"data\":[{\"T\":1,"
                + "\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"-1\",\"p\":\"1\",\"i\":\"a\"}]}", "data[0].v", "'-1'");
        assertReason("{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1,\"data\":[{\"T\":1,"
                + "\"s\":\"ETHUSDT\",\"S\":\"Buy\",\"v\":\"1\",\"p\":\"1\",\"i\":\"a\"}]}", "data[0].s", "'ETHUSDT'");
        assertReason("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"delta\",\"ts\":1,\"data\":{\"s\":\"BTCUSDT\","
                + "\"b\":[[\"1.0\",2]],\"a\":[],\"u\":3}}", "data.b[0] size", "2");
        assertReason("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"delta\",\"ts\":1,\"data\":{\"s\":\"BTCUSDT\","
                + "\"b\":[],\"a\":[]}}", "data.u", "missing");
        assertReason("{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"partial\",\"ts\":1,\"data\":{\"s\":\"BTCUSDT\","
                + "\"b\":[],\"a\":[],\"u\":3}}", "type", "'partial'");
        assertReason("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"BTCUSDT\","
                + "\"nextFundingTime\":\"soon\"}}", "data.nextFundingTime", "'soon'");
        assertReason("{\"topic\":\"publicTrade.BTC", "not valid JSON", "");
        assertReason("[1,2]", "not a JSON object", "");
    }

    @Test
    void rejectsKlinesAndV2TopicsWithAReason() {
        assertThatThrownBy(() -> parser.parse("{\"topic\":\"kline.1.BTCUSDT\",\"data\":[],\"ts\":1,"
                + "\"type\":\"snapshot\"}")).isInstanceOfSatisfying(MalformedFrameException.class, e -> {
                    assertThat(e.code()).isEqualTo("UnsupportedTopic");
                    assertThat(e.getMessage()).contains("kline.1.BTCUSDT");
                });
        assertThatThrownBy(() -> parser.parse("{\"topic\":\"orderBookL2_25.BTCUSD\",\"type\":\"delta\","
                + "\"data\":{\"delete\":[]}}")).isInstanceOfSatisfying(MalformedFrameException.class, e -> {
                    assertThat(e.code()).isEqualTo("LegacyProtocol");
                    assertThat(e.getMessage()).startsWith("Bybit v2 legacy topic 'orderBookL2_25.BTCUSD'");
                });
    }

    private void assertReason(String frame, String field, String value) {
        assertThatThrownBy(() -> parser.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining(field).hasMessageContaining(value);
    }
}
