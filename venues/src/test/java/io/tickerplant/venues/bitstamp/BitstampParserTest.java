package io.tickerplant.venues.bitstamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.venues.bitstamp.BitstampParser.BookSnapshot;
import io.tickerplant.venues.bitstamp.BitstampParser.DiffEvent;
import io.tickerplant.venues.bitstamp.BitstampParser.Heartbeat;
import io.tickerplant.venues.bitstamp.BitstampParser.MalformedFrameException;
import io.tickerplant.venues.bitstamp.BitstampParser.ReconnectRequest;
import io.tickerplant.venues.bitstamp.BitstampParser.Subscribed;
import io.tickerplant.venues.bitstamp.BitstampParser.TradeEvent;
import io.tickerplant.venues.bitstamp.BitstampParser.Transaction;
import io.tickerplant.venues.bitstamp.BitstampParser.VenueError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames in the shapes of Bitstamp's websocket v2 documentation, and broken ones. */
class BitstampParserTest {

    private final BitstampParser parser = new BitstampParser();

    @Test
    void aTradeEventReadsTheExactStringsAndTheTakerSide() throws Exception {
        // The documented live_trades shape: data first, floats next to their exact _str twins, type 1 = sell.
        TradeEvent t = (TradeEvent) parser.parse("{\"data\":{\"id\":216000484,\"timestamp\":\"1641343709\","
                + "\"amount\":0.931,\"amount_str\":\"0.93100000\",\"price\":3802.93,\"price_str\":\"3802.93\","
                + "\"type\":1,\"microtimestamp\":\"1641343709599000\",\"buy_order_id\":1443875774971904,"
                + "\"sell_order_id\":1443875778322433},\"channel\":\"live_trades_ethusd\",\"event\":\"trade\"}");
        assertThat(t.pair()).isEqualTo("ethusd");
        assertThat(t.id()).isEqualTo(216000484L);
        assertThat(Decimals.toPlainString(t.amount())).isEqualTo("0.93100000");
        assertThat(Decimals.toPlainString(t.price())).isEqualTo("3802.93");
        assertThat(t.takerSells()).isTrue();
        assertThat(t.microtimestamp()).isEqualTo(1641343709599000L);
    }

    @Test
    void aTradeWithoutStringFieldsIsReadFromTheNumbersLiteralTextAndTypeZeroIsABuy() throws Exception {
        TradeEvent t = (TradeEvent) parser.parse("{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\","
                + "\"data\":{\"id\":1,\"amount\":0.10000000,\"price\":60000.10,\"type\":0,\"timestamp\":\"1700000000\"}}");
        assertThat(Decimals.toPlainString(t.amount())).isEqualTo("0.10000000");
        assertThat(Decimals.toPlainString(t.price())).isEqualTo("60000.10");
        assertThat(t.takerSells()).isFalse();
        assertThat(t.microtimestamp()).isEqualTo(1_700_000_000_000_000L);
    }

    @Test
    void aDiffReadsBothSidesWithZeroSizesAsRemovals() throws Exception {
        DiffEvent d = (DiffEvent) parser.parse("{\"data\":{\"timestamp\":\"1641343691\",\"microtimestamp\":"
                + "\"1641343691310202\",\"bids\":[],\"asks\":[[\"1.17438\",\"853.01809477\"],[\"1.17484\","
                + "\"0.00000000\"]]},\"channel\":\"diff_order_book_adaeur\",\"event\":\"data\"}");
        assertThat(d.pair()).isEqualTo("adaeur");
        assertThat(d.microtimestamp()).isEqualTo(1641343691310202L);
        assertThat(d.bids()).isEmpty();
        assertThat(d.asks()).hasSize(2);
        assertThat(Decimals.isZero(d.asks().get(1).getSize())).isTrue();
    }

    @Test
    void controlEventsAreRecognized() throws Exception {
        assertThat(parser.parse("{\"event\":\"bts:subscription_succeeded\",\"channel\":\"live_trades_btcusd\","
                + "\"data\":{}}")).isEqualTo(new Subscribed("live_trades_btcusd", true));
        assertThat(parser.parse("{\"event\":\"bts:unsubscription_succeeded\",\"channel\":\"live_trades_btcusd\","
                + "\"data\":{}}")).isEqualTo(new Subscribed("live_trades_btcusd", false));
        assertThat(parser.parse("{\"event\":\"bts:heartbeat\",\"channel\":\"\",\"data\":{\"status\":\"success\"}}"))
                .isEqualTo(new Heartbeat("success"));
        assertThat(parser.parse("{\"event\":\"bts:request_reconnect\",\"channel\":\"\",\"data\":\"\"}"))
                .isInstanceOf(ReconnectRequest.class);
        assertThat(parser.parse("{\"event\":\"bts:error\",\"channel\":\"\",\"data\":{\"code\":null,"
                + "\"message\":\"Bad subscription string.\"}}"))
                .isEqualTo(new VenueError("", null, "Bad subscription string."));
    }

    @Test
    void anOrderBookSnapshotCarriesItsMicrotimestamp() throws Exception {
        BookSnapshot s = parser.parseOrderBook("{\"timestamp\": \"1641343695\", \"microtimestamp\": "
                + "\"1641343695572693\", \"bids\": [[\"0.14695\", \"4567.41344936\"]], \"asks\": [[\"0.14800\","
                + " \"10.00000000\"], [\"0.14900\", \"2.50000000\"]]}");
        assertThat(s.microtimestamp()).isEqualTo(1641343695572693L);
        assertThat(s.bids()).hasSize(1);
        assertThat(s.asks()).hasSize(2);
    }

    @Test
    void transactionsAreReadWithTheirStringTypedFields() throws Exception {
        List<Transaction> rows = parser.parseTransactions("[{\"date\": \"1641343699\", \"tid\": \"216000477\","
                + " \"amount\": \"0.07920000\", \"type\": \"0\", \"price\": \"3805.44\"}]");
        assertThat(rows).containsExactly(new Transaction(216000477L, 1641343699L, Decimals.parse("3805.44"),
                Decimals.parse("0.07920000"), false));
    }

    @Test
    void brokenFramesNameTheFieldAndTheValue() {
        assertReason("{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"id\":1,"
                + "\"amount_str\":\"abc\",\"price_str\":\"1\",\"type\":0,\"microtimestamp\":\"1\"}}", "'amount_str'",
                "'abc'");
        assertReason("{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"id\":1,"
                + "\"amount_str\":\"1\",\"price_str\":\"1\",\"type\":2,\"microtimestamp\":\"1\"}}", "'data.type'", "2");
        assertReason("{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"amount_str\":\"1\","
                + "\"price_str\":\"1\",\"type\":0,\"microtimestamp\":\"1\"}}", "'data.id' is missing");
        assertReason("{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"id\":1,"
                + "\"amount_str\":\"1\",\"price_str\":\"0\",\"type\":0,\"microtimestamp\":\"1\"}}", "not positive");
        assertReason("{\"event\":\"data\",\"channel\":\"diff_order_book_btcusd\",\"data\":{\"microtimestamp\":"
                + "\"x1\",\"bids\":[],\"asks\":[]}}", "'microtimestamp'", "'x1'");
        assertReason("{\"event\":\"data\",\"channel\":\"diff_order_book_btcusd\",\"data\":{\"microtimestamp\":"
                + "\"1\",\"bids\":[[\"1\",\"-2\"]],\"asks\":[]}}", "'bids[0] size'", "negative");
        assertReason("{\"event\":\"data\",\"channel\":\"diff_order_book_btcusd\",\"data\":{\"microtimestamp\":"
                + "\"1\",\"asks\":[]}}", "'data.bids' is missing");
        assertReason("{\"event\":\"data\",\"channel\":\"order_book_btcusd\",\"data\":{\"microtimestamp\":\"1\","
                + "\"bids\":[],\"asks\":[]}}", "'order_book_btcusd'");
        assertReason("{\"event\":\"order_created\",\"channel\":\"live_orders_btcusd\",\"data\":{}}",
                "'order_created'");
        assertReason("{\"channel\":\"live_trades_btcusd\",\"data\":{}}", "'event' is missing");
        assertReason("[1,2]", "not a JSON object");
        assertReason("{\"event\":\"trade\",", "not valid JSON");
    }

    private void assertReason(String frame, String... parts) {
        assertThatThrownBy(() -> parser.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(parts));
    }
}
