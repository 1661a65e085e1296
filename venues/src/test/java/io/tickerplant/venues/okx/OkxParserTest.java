package io.tickerplant.venues.okx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.venues.okx.OkxParser.BookData;
import io.tickerplant.venues.okx.OkxParser.Event;
import io.tickerplant.venues.okx.OkxParser.FundingRateData;
import io.tickerplant.venues.okx.OkxParser.LiquidationData;
import io.tickerplant.venues.okx.OkxParser.MalformedFrameException;
import io.tickerplant.venues.okx.OkxParser.MarkPriceData;
import io.tickerplant.venues.okx.OkxParser.Pong;
import io.tickerplant.venues.okx.OkxParser.Push;
import io.tickerplant.venues.okx.OkxParser.QuoteData;
import io.tickerplant.venues.okx.OkxParser.TradeData;
import org.junit.jupiter.api.Test;

/** Frames from OKX's v5 API documentation examples, and hand-written broken ones. */
class OkxParserTest {

    private final OkxParser parser = new OkxParser();

    private Push push(String frame) throws MalformedFrameException {
        return (Push) parser.parse(frame);
    }

    private static String plain(io.tickerplant.model.avro.Decimal d) {
        return Decimals.toPlainString(d);
    }

    @Test
    void tradesPushOfTheDocs() throws Exception {
        Push p = push("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\","
                + "\"tradeId\":\"130639474\",\"px\":\"42219.9\",\"sz\":\"0.12060306\",\"side\":\"buy\","
                + "\"ts\":\"1630048897897\",\"count\":\"3\"}]}");
        TradeData t = (TradeData) p.data().get(0);
        assertThat(t.tradeId()).isEqualTo("130639474");
        assertThat(plain(t.price())).isEqualTo("42219.9");
        assertThat(plain(t.size())).isEqualTo("0.12060306");
        assertThat(t.side()).isEqualTo(Side.BUY);
        assertThat(t.tsMillis()).isEqualTo(1630048897897L);
    }

    @Test
    void bboTbtPushOfTheDocs() throws Exception {
        Push p = push("{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BCH-USDT-SWAP\"},\"data\":[{\"asks\":"
                + "[[\"111.06\",\"55154\",\"0\",\"2\"]],\"bids\":[[\"111.05\",\"57745\",\"0\",\"2\"]],"
                + "\"ts\":\"1670324386802\",\"seqId\":363996337}]}");
        QuoteData q = (QuoteData) p.data().get(0);
        assertThat(q.instId()).isEqualTo("BCH-USDT-SWAP");
        assertThat(plain(q.bidPrice())).isEqualTo("111.05");
        assertThat(plain(q.askSize())).isEqualTo("55154");
        assertThat(q.seqId()).isEqualTo(363996337L);
    }

    @Test
    void tickersPushGivesTheBestBidAndAsk() throws Exception {
        Push p = push("{\"arg\":{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instType\":\"SPOT\","
                + "\"instId\":\"BTC-USDT\",\"last\":\"9999.99\",\"lastSz\":\"0.1\",\"askPx\":\"9999.99\",\"askSz\":\"11\","
                + "\"bidPx\":\"8888.88\",\"bidSz\":\"5\",\"open24h\":\"9000\",\"ts\":\"1597026383085\"}]}");
        QuoteData q = (QuoteData) p.data().get(0);
        assertThat(plain(q.bidPrice())).isEqualTo("8888.88");
        assertThat(plain(q.askPrice())).isEqualTo("9999.99");
        assertThat(q.seqId()).isEqualTo(-1);
    }

    @Test
    void booksSnapshotWithSequenceAndChecksum() throws Exception {
        Push p = push("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":[{"
                + "\"asks\":[[\"8476.98\",\"415\",\"0\",\"13\"],[\"8477\",\"7\",\"0\",\"2\"]],"
                + "\"bids\":[[\"8476.97\",\"256\",\"0\",\"12\"]],\"ts\":\"1597026383085\",\"checksum\":-855196043,"
                + "\"prevSeqId\":-1,\"seqId\":123456}]}");
        assertThat(p.action()).isEqualTo("snapshot");
        BookData b = (BookData) p.data().get(0);
        assertThat(b.asks()).hasSize(2);
        assertThat(plain(b.asks().get(1).getPrice())).isEqualTo("8477");
        assertThat(b.checksum()).isEqualTo(-855196043L);
        assertThat(b.prevSeqId()).isEqualTo(-1L);
        assertThat(b.seqId()).isEqualTo(123456L);
    }

    @Test
    void booksUpdateOfBefore2022HasNoSequence() throws Exception {
        Push p = push("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{"
                + "\"asks\":[[\"30238.8\",\"3\",\"0\",\"1\"],[\"30240.7\",\"0\",\"0\",\"0\"]],\"bids\":[],"
                + "\"ts\":\"1652459236119\",\"checksum\":664471393}]}");
        BookData b = (BookData) p.data().get(0);
        assertThat(b.seqId()).isNull();
        assertThat(b.prevSeqId()).isNull();
        assertThat(Decimals.isZero(b.asks().get(1).getSize())).isTrue();
    }

    @Test
    void liquidationOrdersPushOfTheDocs() throws Exception {
        Push p = push("{\"arg\":{\"channel\":\"liquidation-orders\",\"instType\":\"SWAP\"},\"data\":[{\"details\":[{"
                + "\"bkLoss\":\"0\",\"bkPx\":\"0.007831\",\"ccy\":\"\",\"posSide\":\"short\",\"side\":\"buy\","
                + "\"sz\":\"13\",\"ts\":\"1692266434010\"}],\"instFamily\":\"IOST-USDT\",\"instId\":\"IOST-USDT-SWAP\","
                + "\"instType\":\"SWAP\",\"uly\":\"IOST-USDT\"}]}");
        assertThat(p.instType()).isEqualTo("SWAP");
        LiquidationData l = (LiquidationData) p.data().get(0);
        assertThat(l.instId()).isEqualTo("IOST-USDT-SWAP");
        assertThat(l.side()).isEqualTo(Side.BUY);
        assertThat(l.posSide()).isEqualTo("short");
        assertThat(plain(l.bankruptcyPrice())).isEqualTo("0.007831");
        assertThat(plain(l.size())).isEqualTo("13");
    }

    @Test
    void fundingRateAndMarkPricePushesOfTheDocs() throws Exception {
        Push f = push("{\"arg\":{\"channel\":\"funding-rate\",\"instId\":\"BTC-USD-SWAP\"},\"data\":[{"
                + "\"fundingRate\":\"0.0001875391284828\",\"fundingTime\":\"1700726400000\",\"instId\":\"BTC-USD-SWAP\","
                + "\"instType\":\"SWAP\",\"method\":\"current_period\",\"nextFundingRate\":\"0.0001348026398501\","
                + "\"nextFundingTime\":\"1700755200000\",\"ts\":\"1700724675402\"}]}");
        FundingRateData r = (FundingRateData) f.data().get(0);
        assertThat(plain(r.fundingRate())).isEqualTo("0.0001875391284828");
        assertThat(r.fundingTimeMillis()).isEqualTo(1700726400000L);
        Push m = push("{\"arg\":{\"channel\":\"mark-price\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instType\":\"MARGIN\","
                + "\"instId\":\"BTC-USDT\",\"markPx\":\"42310.6\",\"ts\":\"1630049139746\"}]}");
        assertThat(plain(((MarkPriceData) m.data().get(0)).markPrice())).isEqualTo("42310.6");
    }

    @Test
    void eventsAndPong() throws Exception {
        Event ack = (Event) parser.parse("{\"event\":\"subscribe\",\"arg\":{\"channel\":\"trades\",\"instId\":"
                + "\"BTC-USDT\"},\"connId\":\"accb8e21\"}");
        assertThat(ack.event()).isEqualTo("subscribe");
        assertThat(ack.instId()).isEqualTo("BTC-USDT");
        Event err = (Event) parser.parse("{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request: "
                + "{\\\"op\\\": \\\"subscribe\\\"}\",\"connId\":\"a4d3ae55\"}");
        assertThat(err.code()).isEqualTo("60012");
        assertThat(parser.parse("pong")).isInstanceOf(Pong.class);
    }

    @Test
    void instrumentsAnswerGivesContractValues() throws Exception {
        var m = parser.parseInstruments("{\"code\":\"0\",\"data\":[{\"instId\":\"BTC-USDT-SWAP\",\"instType\":\"SWAP\","
                + "\"ctVal\":\"0.01\",\"ctValCcy\":\"BTC\",\"ctType\":\"linear\",\"lotSz\":\"1\"},{\"instId\":\"BTC-USDT\","
                + "\"instType\":\"SPOT\",\"ctVal\":\"\"}],\"msg\":\"\"}");
        assertThat(plain(m.get("BTC-USDT-SWAP").ctVal())).isEqualTo("0.01");
        assertThat(m.get("BTC-USDT").ctVal()).isNull();
    }

    @Test
    void malformedFramesNameTheFieldAndTheValue() {
        assertReason("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\","
                + "\"tradeId\":\"1\",\"px\":\"abc\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\"}]}",
                "field 'px' is not a decimal: 'abc'");
        assertReason("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\","
                + "\"tradeId\":\"1\",\"px\":\"1\",\"sz\":\"1\",\"side\":\"up\",\"ts\":\"1\"}]}",
                "field 'side' is 'up', expected buy or sell");
        assertReason("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\","
                + "\"px\":\"1\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\"}]}", "field 'tradeId' is missing");
        assertReason("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{"
                + "\"asks\":[[\"1\",\"-2\",\"0\",\"1\"]],\"bids\":[],\"ts\":\"1\"}]}", "field 'asks[0] size' is negative: '-2'");
        assertReason("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{"
                + "\"asks\":[],\"bids\":[],\"ts\":\"1\",\"seqId\":\"x\"}]}", "field 'seqId' is not an integer: 'x'");
        assertReason("{\"arg\":{\"channel\":\"candle1m\",\"instId\":\"BTC-USDT\"},\"data\":[{}]}",
                "field 'arg.channel' is 'candle1m', a channel this adapter does not read");
        assertReason("{\"arg\":{\"channel\":\"trades\"", "not valid JSON");
        assertReason("[1,2]", "frame is neither 'pong' nor a JSON object");
        assertReason("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"}}", "field 'data' is missing");
    }

    private void assertReason(String frame, String reason) {
        assertThatThrownBy(() -> parser.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .message().startsWith(reason);
    }
}
