package io.tickerplant.venues.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.venues.kraken.KrakenParser.Book;
import io.tickerplant.venues.kraken.KrakenParser.Heartbeat;
import io.tickerplant.venues.kraken.KrakenParser.Instruments;
import io.tickerplant.venues.kraken.KrakenParser.MalformedFrameException;
import io.tickerplant.venues.kraken.KrakenParser.MethodAnswer;
import io.tickerplant.venues.kraken.KrakenParser.Precision;
import io.tickerplant.venues.kraken.KrakenParser.Status;
import io.tickerplant.venues.kraken.KrakenParser.TakerSide;
import io.tickerplant.venues.kraken.KrakenParser.Ticker;
import io.tickerplant.venues.kraken.KrakenParser.Trades;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KrakenParserTest {

    private final KrakenParser parser = new KrakenParser();

    @Test
    void aTradeUpdateKeepsTheExactDigitsTheTakerSideAndTheMicrosecondTime() throws Exception {
        Trades t = (Trades) parser.parse(KrakenDocs.TRADE_UPDATE);
        assertThat(t.snapshot()).isFalse();
        assertThat(t.trades()).hasSize(2);
        var first = t.trades().get(0);
        assertThat(first.symbol()).isEqualTo("MATIC/USD");
        assertThat(first.tradeId()).isEqualTo(4665846);
        assertThat(Decimals.toPlainString(first.price())).isEqualTo("0.5147");
        assertThat(Decimals.toPlainString(first.qty())).isEqualTo("6423.46326");
        assertThat(first.side()).isEqualTo(TakerSide.BUY);
        assertThat(first.timeMicros()).isEqualTo(Micros.of(Instant.parse("2023-09-25T07:48:36.925533Z")));
        assertThat(t.trades().get(1).side()).isEqualTo(TakerSide.SELL);
    }

    @Test
    void theDocumentedBookSnapshotKeepsTrailingZerosAndItsChecksum() throws Exception {
        Book b = (Book) parser.parse(KrakenDocs.BOOK_SNAPSHOT);
        assertThat(b.snapshot()).isTrue();
        var d = b.books().get(0);
        assertThat(d.symbol()).isEqualTo("BTC/USD");
        assertThat(d.bids()).hasSize(10);
        assertThat(Decimals.toPlainString(d.bids().get(0).getSize())).isEqualTo("0.10000000");
        assertThat(Decimals.toPlainString(d.bids().get(3).getPrice())).isEqualTo("45281.0");
        assertThat(d.checksum()).isEqualTo(3310070434L);
        assertThat(d.timeMicros()).isEqualTo(-1);
    }

    @Test
    void aBookUpdateCarriesItsTimestampAndZeroQuantitiesForRemovals() throws Exception {
        Book b = (Book) parser.parse("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"MATIC/USD\","
                + "\"bids\":[{\"price\":0.5657,\"qty\":0}],\"asks\":[],\"checksum\":2114181697,"
                + "\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}");
        assertThat(b.snapshot()).isFalse();
        assertThat(Decimals.isZero(b.books().get(0).bids().get(0).getSize())).isTrue();
        assertThat(b.books().get(0).timeMicros()).isEqualTo(Micros.of(Instant.parse("2023-10-06T17:35:55.440295Z")));
    }

    @Test
    void aTickerGivesTheBestBidAndAsk() throws Exception {
        Ticker t = (Ticker) parser.parse(KrakenDocs.TICKER);
        assertThat(t.symbol()).isEqualTo("ALGO/USD");
        assertThat(Decimals.toPlainString(t.bid())).isEqualTo("0.10025");
        assertThat(Decimals.toPlainString(t.bidQty())).isEqualTo("740.0");
        assertThat(Decimals.toPlainString(t.ask())).isEqualTo("0.10036");
        assertThat(Decimals.toPlainString(t.askQty())).isEqualTo("1361.44813783");
        assertThat(t.timeMicros()).isEqualTo(-1);
    }

    @Test
    void theInstrumentSnapshotGivesEachPairsPrecisions() throws Exception {
        Instruments i = (Instruments) parser.parse("{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{"
                + "\"assets\":[{\"id\":\"BTC\",\"status\":\"enabled\",\"precision\":10}],\"pairs\":[{\"symbol\":"
                + "\"BTC/USD\",\"base\":\"BTC\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
                + "\"qty_increment\":0.00000001,\"price_precision\":1,\"cost_precision\":5,\"tick_size\":0.1}]}}");
        assertThat(i.snapshot()).isTrue();
        assertThat(i.pairs()).containsEntry("BTC/USD", new Precision(1, 8));
    }

    @Test
    void answersHeartbeatsAndStatusAreRecognised() throws Exception {
        MethodAnswer ack = (MethodAnswer) parser.parse(KrakenDocs.BOOK_SUBSCRIBE_ACK);
        assertThat(ack.method()).isEqualTo("subscribe");
        assertThat(ack.success()).isTrue();
        assertThat(ack.channel()).isEqualTo("book");
        assertThat(ack.symbol()).isEqualTo("ALGO/USD");
        MethodAnswer err = (MethodAnswer) parser.parse("{\"error\":\"Currency pair not supported FOO/USD\","
                + "\"method\":\"subscribe\",\"success\":false,\"symbol\":\"FOO/USD\",\"time_in\":\"2023-10-06T17:35:55Z\","
                + "\"time_out\":\"2023-10-06T17:35:55Z\"}");
        assertThat(err.success()).isFalse();
        assertThat(err.symbol()).isEqualTo("FOO/USD");
        assertThat(err.error()).contains("not supported");
        MethodAnswer pong = (MethodAnswer) parser.parse("{\"method\":\"pong\",\"req_id\":101,"
                + "\"time_in\":\"2023-09-24T14:10:23.799685Z\",\"time_out\":\"2023-09-24T14:10:23.799703Z\"}");
        assertThat(pong.reqId()).isEqualTo(101L);
        assertThat(parser.parse("{\"channel\":\"heartbeat\"}")).isInstanceOf(Heartbeat.class);
        Status s = (Status) parser.parse("{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.0\","
                + "\"system\":\"online\",\"api_version\":\"v2\",\"connection_id\":1}]}");
        assertThat(s.system()).isEqualTo("online");
    }

    @Test
    void malformedFramesAreRejectedNamingTheFieldAndTheValue() {
        assertReason("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
                + "\"price\":\"abc\",\"qty\":1,\"trade_id\":1,\"timestamp\":\"2024-01-01T00:00:00Z\"}]}",
                "field 'data[0].price' is not a decimal number: 'abc'");
        assertReason("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"hold\","
                + "\"price\":1,\"qty\":1,\"trade_id\":1,\"timestamp\":\"2024-01-01T00:00:00Z\"}]}",
                "field 'data[0].side' is 'hold', expected buy or sell");
        assertReason("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
                + "\"price\":1,\"qty\":1,\"timestamp\":\"2024-01-01T00:00:00Z\"}]}", "field 'data[0].trade_id' is missing");
        assertReason("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
                + "\"price\":1,\"qty\":1,\"trade_id\":1,\"timestamp\":\"yesterday\"}]}",
                "field 'data[0].timestamp' is not an RFC 3339 time: 'yesterday'");
        assertReason("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[],"
                + "\"asks\":[{\"price\":1,\"qty\":-2}],\"checksum\":1}]}", "field 'data[0].asks[0].qty' is negative: -2");
        assertReason("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[],"
                + "\"asks\":[]}]}", "field 'data[0].checksum' is missing");
        assertReason("{\"channel\":\"book\",\"type\":\"delta\",\"data\":[]}", "field 'type' is 'delta'");
        assertReason("{\"channel\":\"ohlc\",\"type\":\"update\",\"data\":[]}", "unexpected channel 'ohlc'");
        assertReason("{\"channel\":", "not valid JSON");
        assertReason("[1,2]", "frame is not a JSON object");
        assertReason("{\"type\":\"update\"}", "field 'channel' is missing");
    }

    private void assertReason(String frame, String reason) {
        assertThatThrownBy(() -> parser.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void timestampsInEveryRfc3339FormParse() {
        assertThat(KrakenParser.parseTimestamp("2023-09-25T07:48:36.925533Z"))
                .isEqualTo(Micros.of(Instant.parse("2023-09-25T07:48:36.925533Z")));
        assertThat(KrakenParser.parseTimestamp("2023-09-25T07:48:36Z"))
                .isEqualTo(Micros.of(Instant.parse("2023-09-25T07:48:36Z")));
        assertThat(KrakenParser.parseTimestamp("2023-09-25T07:48:36.9Z"))
                .isEqualTo(Micros.of(Instant.parse("2023-09-25T07:48:36.900Z")));
        assertThat(KrakenParser.parseTimestamp("2023-09-25T07:48:36.123456789Z"))
                .isEqualTo(Micros.of(Instant.parse("2023-09-25T07:48:36.123456Z")));
        assertThat(KrakenParser.parseTimestamp("2023-09-25T09:48:36.5+02:00"))
                .isEqualTo(Micros.of(Instant.parse("2023-09-25T07:48:36.5Z")));
    }
}
