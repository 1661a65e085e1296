package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.venues.binance.BinanceTradeParser.Ack;
import io.tickerplant.venues.binance.BinanceTradeParser.MalformedFrameException;
import io.tickerplant.venues.binance.BinanceTradeParser.Notice;
import io.tickerplant.venues.binance.BinanceTradeParser.TradeEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.VenueError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frames written from Binance's spot API documentation (WebSocket Streams: Trade Streams; historicalTrades). */
class BinanceTradeParserTest {

    private final BinanceTradeParser parser = new BinanceTradeParser();

    /** The documented trade payload, field for field. */
    private static final String DOC_TRADE = "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":12345,"
            + "\"p\":\"0.001\",\"q\":\"100\",\"T\":1672515782136,\"m\":true,\"M\":true}";

    private static String combined(String stream, String payload) {
        return "{\"stream\":\"" + stream + "\",\"data\":" + payload + "}";
    }

    private static String reason(ThrowingParse p) {
        try {
            p.run();
        } catch (MalformedFrameException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a malformed frame");
    }

    private interface ThrowingParse {
        void run() throws MalformedFrameException;
    }

    @Test
    void combinedStreamTradeFromTheDocumentationIsReadExactly() throws Exception {
        TradeEvent t = (TradeEvent) parser.parse(combined("bnbbtc@trade", DOC_TRADE));
        assertThat(t.venueSymbol()).isEqualTo("BNBBTC");
        assertThat(t.tradeId()).isEqualTo(12345L);
        assertThat(Decimals.toPlainString(t.price())).isEqualTo("0.001");
        assertThat(Decimals.toPlainString(t.size())).isEqualTo("100");
        assertThat(t.tradeTimeMillis()).isEqualTo(1672515782136L);
        assertThat(t.eventTimeMillis()).isEqualTo(1672515782136L);
        assertThat(t.buyerIsMaker()).isTrue();
    }

    @Test
    void rawStreamPayloadWithoutTheWrapperIsATradeToo() throws Exception {
        assertThat(parser.parse(DOC_TRADE)).isInstanceOf(TradeEvent.class);
    }

    @Test
    void trailingZerosOfTheVenueDigitsAreKept() throws Exception {
        String payload = "{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":7,\"p\":\"27123.45000000\","
                + "\"q\":\"0.00100000\",\"T\":1,\"m\":false,\"M\":true}";
        TradeEvent t = (TradeEvent) parser.parse(combined("btcusdt@trade", payload));
        assertThat(t.price().getUnscaled()).isEqualTo(2712345000000L);
        assertThat(t.price().getScale()).isEqualTo(8);
        assertThat(Decimals.toPlainString(t.size())).isEqualTo("0.00100000");
        assertThat(t.buyerIsMaker()).isFalse();
    }

    @Test
    void fieldOrderDoesNotMatterAndUnknownFieldsAreIgnored() throws Exception {
        // Older servers also sent buyer and seller order ids ("b", "a"); newer ones may add fields.
        String payload = "{\"M\":true,\"m\":true,\"T\":5,\"q\":\"2\",\"p\":\"1\",\"t\":3,\"b\":88,\"a\":50,"
                + "\"s\":\"ETHBTC\",\"E\":6,\"x\":{\"nested\":[1,2]},\"e\":\"trade\"}";
        TradeEvent t = (TradeEvent) parser.parse("{\"data\":" + payload + ",\"stream\":\"ethbtc@trade\"}");
        assertThat(t.tradeId()).isEqualTo(3);
        assertThat(t.eventTimeMillis()).isEqualTo(6);
        assertThat(t.tradeTimeMillis()).isEqualTo(5);
    }

    @Test
    void subscribeAnswerIsAnAck() throws Exception {
        assertThat(parser.parse("{\"result\":null,\"id\":1}")).isEqualTo(new Ack("1", null));
        assertThat(parser.parse("{\"result\":[\"btcusdt@trade\"],\"id\":3}")).isInstanceOf(Ack.class);
    }

    @Test
    void errorFramesAreVenueErrorsInBothForms() throws Exception {
        assertThat(parser.parse("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":1}"))
                .isEqualTo(new VenueError(2, "Invalid request: invalid stream", "1"));
        assertThat(parser.parse("{\"code\": 0, \"msg\": \"Unknown property\",\"id\": 1}"))
                .isEqualTo(new VenueError(0, "Unknown property", "1"));
    }

    @Test
    void serverShutdownIsANotice() throws Exception {
        assertThat(parser.parse("{\"e\":\"serverShutdown\",\"E\":1730000000000}")).isEqualTo(new Notice("serverShutdown"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "price not a decimal      | \"p\":\"0.001\"    | \"p\":\"abc\"      | field 'p' is not a decimal: 'abc'",
            "price a JSON number      | \"p\":\"0.001\"    | \"p\":0.001        | field 'p' is not a decimal string: 0.001",
            "price zero               | \"p\":\"0.001\"    | \"p\":\"0\"        | field 'p' is not positive: '0'",
            "quantity negative        | \"q\":\"100\"      | \"q\":\"-1\"       | field 'q' is not positive: '-1'",
            "trade id a string        | \"t\":12345        | \"t\":\"12345\"    | field 't' is not an integer: '12345'",
            "trade id too large       | \"t\":12345        | \"t\":123456789012345678901 | field 't' is out of range: 123456789012345678901",
            "maker flag not boolean   | \"m\":true         | \"m\":1            | field 'm' is not a boolean: 1",
            "trade time missing       | \"T\":1672515782136, | ''             | field 'T' is missing",
            "symbol not a string      | \"s\":\"BNBBTC\"   | \"s\":null         | field 's' is not a string: null",
            "other event type         | \"e\":\"trade\"    | \"e\":\"aggTrade\" | unexpected event type 'aggTrade'",
    })
    void malformedTradesAreRejectedWithTheFieldNamed(String name, String from, String to, String expected) {
        String payload = DOC_TRADE.replace(from, to);
        assertThat(payload).isNotEqualTo(DOC_TRADE);
        assertThat(reason(() -> parser.parse(combined("bnbbtc@trade", payload)))).isEqualTo(expected);
    }

    @Test
    void truncatedJsonIsNotValidJson() {
        String frame = combined("bnbbtc@trade", DOC_TRADE);
        assertThat(reason(() -> parser.parse(frame.substring(0, frame.length() / 2)))).startsWith("not valid JSON");
    }

    @Test
    void framesThatAreNotOneObjectAreRejected() {
        assertThat(reason(() -> parser.parse("[1,2]"))).isEqualTo("frame is not a JSON object");
        assertThat(reason(() -> parser.parse("{} {}"))).isEqualTo("frame is not a single JSON object");
        assertThat(reason(() -> parser.parse("{\"hello\":1}")))
                .isEqualTo("frame is neither a stream event, an answer nor an error");
        assertThat(reason(() -> parser.parse("{\"stream\":\"bnbbtc@trade\"}"))).isEqualTo("field 'data' is missing");
        assertThat(reason(() -> parser.parse("{\"stream\":\"bnbbtc@trade\",\"data\":[]}")))
                .isEqualTo("field 'data' is not an object");
    }

    @Test
    void streamAndSymbolMustAgree() {
        assertThat(reason(() -> parser.parse(combined("ethbtc@trade", DOC_TRADE))))
                .isEqualTo("field 'stream' is 'ethbtc@trade' but field 's' is 'BNBBTC'");
    }

    @Test
    void historicalTradesPageFromTheDocumentationIsReadExactly() throws Exception {
        String body = "[{\"id\":28457,\"price\":\"4.00000100\",\"qty\":\"12.00000000\",\"quoteQty\":\"48.000012\","
                + "\"time\":1499865549590,\"isBuyerMaker\":true,\"isBestMatch\":true}]";
        List<TradeEvent> page = parser.parseHistoricalTrades(body, "BNBBTC");
        assertThat(page).containsExactly(new TradeEvent("BNBBTC", 28457, Decimals.parse("4.00000100"),
                Decimals.parse("12.00000000"), 1499865549590L, 1499865549590L, true));
        assertThat(Decimals.toPlainString(page.get(0).price())).isEqualTo("4.00000100");
        assertThat(parser.parseHistoricalTrades("[]", "BNBBTC")).isEmpty();
    }

    @Test
    void malformedHistoricalTradesAreRejectedWithTheFieldNamed() {
        assertThat(reason(() -> parser.parseHistoricalTrades("[{\"id\":1,\"price\":\"x\"}]", "BNBBTC")))
                .isEqualTo("field 'price' is not a decimal: 'x'");
        assertThat(reason(() -> parser.parseHistoricalTrades("[{\"id\":1,\"price\":\"1\",\"qty\":\"1\"}]", "BNBBTC")))
                .isEqualTo("field 'time' is missing");
        assertThat(reason(() -> parser.parseHistoricalTrades("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", "X")))
                .isEqualTo("historicalTrades answer is not a JSON array");
    }

    @Test
    void isThreadSafeAndStateless() throws Exception {
        // Parsing the same frame twice gives equal results: nothing leaks between frames.
        assertThat(parser.parse(DOC_TRADE)).isEqualTo(parser.parse(DOC_TRADE));
        assertThatThrownBy(() -> parser.parse("")).isInstanceOf(MalformedFrameException.class);
    }
}
