package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.venues.binance.BinanceTradeParser.BookTickerEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.LiquidationEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.MalformedFrameException;
import io.tickerplant.venues.binance.BinanceTradeParser.MarkPriceEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.TradeEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** USD-M futures frames, from the examples of Binance's USD-M websocket and REST documentation. */
class BinanceFuturesParserTest {

    private final BinanceTradeParser parser = new BinanceTradeParser(BinanceMarket.USDM_FUTURES);

    private static String combined(String stream, String data) {
        return "{\"stream\":\"" + stream + "\",\"data\":" + data + "}";
    }

    /** The documented aggTrade example (its trailing comma removed). */
    static final String AGG_TRADE = "{\"e\":\"aggTrade\",\"E\":123456789,\"s\":\"BTCUSDT\",\"a\":5933014,"
            + "\"p\":\"0.001\",\"q\":\"100\",\"f\":100,\"l\":105,\"T\":123456785,\"m\":true}";
    /** The documented diff depth example. */
    static final String DEPTH = "{\"e\":\"depthUpdate\",\"E\":123456789,\"T\":123456788,\"s\":\"BTCUSDT\","
            + "\"U\":157,\"u\":160,\"pu\":149,\"b\":[[\"0.0024\",\"10\"]],\"a\":[[\"0.0026\",\"100\"]]}";
    /** The documented bookTicker example. */
    static final String BOOK_TICKER = "{\"e\":\"bookTicker\",\"u\":400900217,\"E\":1568014460893,"
            + "\"T\":1568014460891,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\","
            + "\"a\":\"25.36520000\",\"A\":\"40.66000000\"}";
    /** The documented forceOrder example. */
    static final String FORCE_ORDER = "{\"e\":\"forceOrder\",\"E\":1568014460893,\"o\":{\"s\":\"BTCUSDT\","
            + "\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"0.014\",\"p\":\"9910\",\"ap\":\"9910\","
            + "\"X\":\"FILLED\",\"l\":\"0.014\",\"z\":\"0.014\",\"T\":1568014460893}}";
    /** The documented markPriceUpdate example. */
    static final String MARK_PRICE = "{\"e\":\"markPriceUpdate\",\"E\":1562305380000,\"s\":\"BTCUSDT\","
            + "\"p\":\"11794.15000000\",\"i\":\"11784.62659091\",\"P\":\"11784.25641265\",\"r\":\"0.00038167\","
            + "\"T\":1562306400000}";

    @Test
    void anAggregateTradeIsATradeWhoseIdIsTheAggregateId() throws Exception {
        TradeEvent t = (TradeEvent) parser.parse(combined("btcusdt@aggTrade", AGG_TRADE));
        assertThat(t).isEqualTo(new TradeEvent("BTCUSDT", 5933014, Decimals.parse("0.001"), Decimals.parse("100"),
                123456785, 123456789, true));
    }

    @Test
    void aDiffCarriesPuThePreviousEventsFinalUpdateId() throws Exception {
        DepthEvent d = (DepthEvent) parser.parse(combined("btcusdt@depth@100ms", DEPTH));
        assertThat(d.firstUpdateId()).isEqualTo(157);
        assertThat(d.lastUpdateId()).isEqualTo(160);
        assertThat(d.previousLastUpdateId()).isEqualTo(149);
        assertThat(d.eventTimeMillis()).isEqualTo(123456789);
        assertThat(d.bids()).containsExactly(new BookLevel(Decimals.parse("0.0024"), Decimals.parse("10")));
        assertThat(d.asks()).containsExactly(new BookLevel(Decimals.parse("0.0026"), Decimals.parse("100")));
    }

    @Test
    void aFuturesBookTickerHasAnEventTime() throws Exception {
        BookTickerEvent q = (BookTickerEvent) parser.parse(combined("bnbusdt@bookTicker", BOOK_TICKER));
        assertThat(q).isEqualTo(new BookTickerEvent("BNBUSDT", 400900217, Decimals.parse("25.35190000"),
                Decimals.parse("31.21000000"), Decimals.parse("25.36520000"), Decimals.parse("40.66000000"),
                1568014460893L));
    }

    @Test
    void aForceOrderIsALiquidationAtTheAveragePriceForTheFilledQuantity() throws Exception {
        LiquidationEvent l = (LiquidationEvent) parser.parse(combined("btcusdt@forceOrder", FORCE_ORDER));
        assertThat(l).isEqualTo(new LiquidationEvent("BTCUSDT", "SELL", Decimals.parse("9910"),
                Decimals.parse("0.014"), "FILLED", 1568014460893L, 1568014460893L));
    }

    @Test
    void aLiquidationPrefersApAndZOverPAndQ() throws Exception {
        String partly = FORCE_ORDER.replace("\"ap\":\"9910\"", "\"ap\":\"9911.5\"").replace("\"z\":\"0.014\"",
                "\"z\":\"0.010\"").replace("\"S\":\"SELL\"", "\"S\":\"BUY\"");
        LiquidationEvent l = (LiquidationEvent) parser.parse(partly);
        assertThat(l.side()).isEqualTo("BUY");
        assertThat(l.price()).isEqualTo(Decimals.parse("9911.5"));
        assertThat(l.quantity()).isEqualTo(Decimals.parse("0.010"));
        LiquidationEvent unfilled = (LiquidationEvent) parser.parse(FORCE_ORDER.replace("\"ap\":\"9910\"",
                "\"ap\":\"0\"").replace("\"z\":\"0.014\"", "\"z\":\"0\""));
        assertThat(unfilled.price()).isEqualTo(Decimals.parse("9910"));
        assertThat(unfilled.quantity()).isEqualTo(Decimals.parse("0.014"));
    }

    @Test
    void aMarkPriceUpdateCarriesMarkIndexFundingRateAndNextFundingTime() throws Exception {
        MarkPriceEvent m = (MarkPriceEvent) parser.parse(combined("btcusdt@markPrice@1s", MARK_PRICE));
        assertThat(m).isEqualTo(new MarkPriceEvent("BTCUSDT", 1562305380000L, Decimals.parse("11794.15000000"),
                Decimals.parse("11784.62659091"), Decimals.parse("0.00038167"), 1562306400000L));
    }

    @Test
    void aNegativeFundingRateIsKeptAndAnEmptyOneIsAbsent() throws Exception {
        MarkPriceEvent negative = (MarkPriceEvent) parser.parse(MARK_PRICE.replace("0.00038167", "-0.00012500"));
        assertThat(negative.fundingRate()).isEqualTo(Decimals.parse("-0.00012500"));
        MarkPriceEvent delivery = (MarkPriceEvent) parser.parse(MARK_PRICE.replace("\"0.00038167\"", "\"\"")
                .replace("1562306400000", "0"));
        assertThat(delivery.fundingRate()).isNull();
        assertThat(delivery.nextFundingTimeMillis()).isEqualTo(-1);
    }

    @Test
    void anAggTradesPageIsReadInOrder() throws Exception {
        String body = "[{\"a\":26129,\"p\":\"0.01633102\",\"q\":\"4.70443515\",\"f\":27781,\"l\":27781,"
                + "\"T\":1498793709153,\"m\":true},{\"a\":26130,\"p\":\"0.01633103\",\"q\":\"1\",\"f\":27782,"
                + "\"l\":27784,\"T\":1498793709160,\"m\":false}]";
        List<TradeEvent> page = parser.parseTradeHistory(body, "BTCUSDT");
        assertThat(page).containsExactly(
                new TradeEvent("BTCUSDT", 26129, Decimals.parse("0.01633102"), Decimals.parse("4.70443515"),
                        1498793709153L, 1498793709153L, true),
                new TradeEvent("BTCUSDT", 26130, Decimals.parse("0.01633103"), Decimals.parse("1"),
                        1498793709160L, 1498793709160L, false));
    }

    @Test
    void aKlineIsRejectedBecauseCandlesAreBuiltFromTrades() {
        String kline = "{\"stream\":\"btcusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"BTCUSDT\","
                + "\"k\":{\"t\":0,\"T\":59999,\"s\":\"BTCUSDT\",\"i\":\"1m\",\"o\":\"1\",\"c\":\"1\",\"x\":false}}}";
        assertThatThrownBy(() -> parser.parse(kline)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("'kline' is not used").hasMessageContaining("candles from trades");
    }

    @Test
    void spotParsersStillRejectFuturesEvents() {
        BinanceTradeParser spot = new BinanceTradeParser();
        assertThatThrownBy(() -> spot.parse(AGG_TRADE)).hasMessage("unexpected event type 'aggTrade'");
        assertThatThrownBy(() -> spot.parse(FORCE_ORDER)).hasMessage("unexpected event type 'forceOrder'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "diff without pu           | " + "\"pu\":149,                | ''                  | field 'pu' is missing",
            "aggTrade without a        | " + "\"a\":5933014,             | ''                  | field 'a' is missing",
            "liquidation side          | " + "\"S\":\"SELL\"             | \"S\":\"LONG\"      | field 'o.S' is 'LONG', expected BUY or SELL",
            "mark price not a decimal  | " + "\"p\":\"11794.15000000\"   | \"p\":\"abc\"       | field 'p' is not a decimal: 'abc'",
            "funding rate garbage      | " + "\"r\":\"0.00038167\"       | \"r\":\"x1\"        | field 'r' is not a decimal: 'x1'",
            "spot trade on futures     | " + "\"e\":\"aggTrade\"         | \"e\":\"trade\"     | unexpected event type 'trade' for USD-M futures"})
    void malformedFuturesFramesAreRejectedNamingTheField(String name, String from, String to, String reason) {
        String frame = switch (name.trim()) {
            case "diff without pu" -> DEPTH;
            case "aggTrade without a", "spot trade on futures" -> AGG_TRADE;
            case "liquidation side" -> FORCE_ORDER;
            default -> MARK_PRICE;
        };
        String broken = frame.replace(from.trim(), to.trim());
        assertThat(broken).isNotEqualTo(frame);
        assertThatThrownBy(() -> parser.parse(broken)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining(reason.trim());
    }
}
