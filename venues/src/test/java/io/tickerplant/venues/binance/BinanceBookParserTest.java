package io.tickerplant.venues.binance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.venues.binance.BinanceTradeParser.BookTickerEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthEvent;
import io.tickerplant.venues.binance.BinanceTradeParser.DepthSnapshot;
import io.tickerplant.venues.binance.BinanceTradeParser.MalformedFrameException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Book frames written from Binance's spot documentation: WebSocket Streams "Individual Symbol Book Ticker Streams"
 * and "Diff. Depth Stream", REST "Order book" ({@code GET /api/v3/depth}).
 */
class BinanceBookParserTest {

    private final BinanceTradeParser parser = new BinanceTradeParser();

    private static final String DOC_BOOK_TICKER = "{\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\","
            + "\"B\":\"31.21000000\",\"a\":\"25.36520000\",\"A\":\"40.66000000\"}";
    private static final String DOC_DEPTH = "{\"e\":\"depthUpdate\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"U\":157,"
            + "\"u\":160,\"b\":[[\"0.0024\",\"10\"]],\"a\":[[\"0.0026\",\"100\"]]}";
    private static final String DOC_SNAPSHOT = "{\"lastUpdateId\":1027024,\"bids\":[[\"4.00000000\",\"431.00000000\"]],"
            + "\"asks\":[[\"4.00000200\",\"12.00000000\"]]}";

    private static String combined(String stream, String payload) {
        return "{\"stream\":\"" + stream + "\",\"data\":" + payload + "}";
    }

    private static BookLevel level(String price, String size) {
        return new BookLevel(Decimals.parse(price), Decimals.parse(size));
    }

    private String reason(String frame) {
        try {
            parser.parse(frame);
        } catch (MalformedFrameException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a malformed frame: " + frame);
    }

    @Test
    void bookTickerFromTheDocumentationIsAQuoteWithoutEventTime() throws Exception {
        BookTickerEvent q = (BookTickerEvent) parser.parse(combined("bnbusdt@bookTicker", DOC_BOOK_TICKER));
        assertThat(q).isEqualTo(new BookTickerEvent("BNBUSDT", 400900217L, Decimals.parse("25.35190000"),
                Decimals.parse("31.21000000"), Decimals.parse("25.36520000"), Decimals.parse("40.66000000"), -1));
        assertThat(Decimals.toPlainString(q.bidSize())).isEqualTo("31.21000000");
    }

    @Test
    void rawBookTickerWithoutTheWrapperIsRecognizedByItsFields() throws Exception {
        assertThat(parser.parse(DOC_BOOK_TICKER)).isInstanceOf(BookTickerEvent.class);
    }

    @Test
    void depthUpdateFromTheDocumentationIsADiffWithBothUpdateIds() throws Exception {
        DepthEvent d = (DepthEvent) parser.parse(combined("bnbbtc@depth@100ms", DOC_DEPTH));
        assertThat(d.venueSymbol()).isEqualTo("BNBBTC");
        assertThat(d.eventTimeMillis()).isEqualTo(1672515782136L);
        assertThat(d.firstUpdateId()).isEqualTo(157);
        assertThat(d.lastUpdateId()).isEqualTo(160);
        assertThat(d.previousLastUpdateId()).isEqualTo(-1);
        assertThat(d.bids()).containsExactly(level("0.0024", "10"));
        assertThat(d.asks()).containsExactly(level("0.0026", "100"));
        assertThat(parser.parse(combined("bnbbtc@depth", DOC_DEPTH))).isEqualTo(d);
        assertThat(parser.parse(DOC_DEPTH)).isEqualTo(d);
    }

    @Test
    void zeroSizeRemovesALevelAndIsAccepted() throws Exception {
        DepthEvent d = (DepthEvent) parser.parse(DOC_DEPTH.replace("[\"0.0024\",\"10\"]", "[\"0.0024\",\"0.00000000\"]"));
        assertThat(Decimals.isZero(d.bids().get(0).getSize())).isTrue();
    }

    @Test
    void olderLevelArraysWithAnIgnoredThirdElementAreRead() throws Exception {
        // The documentation long showed levels as ["price", "qty", []] with the third element marked "Ignore".
        DepthEvent d = (DepthEvent) parser.parse(DOC_DEPTH.replace("[\"0.0024\",\"10\"]", "[\"0.0024\",\"10\",[]]"));
        assertThat(d.bids()).containsExactly(level("0.0024", "10"));
    }

    @Test
    void emptySidesAreEmptyLists() throws Exception {
        DepthEvent d = (DepthEvent) parser.parse(DOC_DEPTH.replace("[[\"0.0026\",\"100\"]]", "[]"));
        assertThat(d.asks()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "U missing             | \"U\":157,            | ''                   | field 'U' is missing",
            "u after U             | \"U\":157            | \"U\":161            | field 'U' (161) is after field 'u' (160)",
            "level price text      | [\"0.0024\",\"10\"]  | [\"x\",\"10\"]       | field 'b[0] price' is not a decimal: 'x'",
            "level size negative   | [\"0.0026\",\"100\"] | [\"0.0026\",\"-1\"]  | field 'a[0] size' is negative: '-1'",
            "level price zero      | [\"0.0026\",\"100\"] | [\"0\",\"1\"]        | field 'a[0] price' is not positive: '0'",
            "levels not an array   | [[\"0.0026\",\"100\"]] | 5                  | field 'a' is missing",
            "level a number        | [\"0.0024\",\"10\"]  | [0.0024,\"10\"]      | field 'b[0] price' is not a decimal string: 0.0024",
    })
    void malformedDepthUpdatesAreRejectedWithTheFieldNamed(String name, String from, String to, String expected) {
        String payload = DOC_DEPTH.replace(from, to);
        assertThat(payload).isNotEqualTo(DOC_DEPTH);
        assertThat(reason(combined("bnbbtc@depth@100ms", payload))).isEqualTo(expected);
    }

    @Test
    void bookTickerWithAMissingSizeIsRejected() {
        assertThat(reason(combined("bnbusdt@bookTicker", DOC_BOOK_TICKER.replace(",\"A\":\"40.66000000\"", ""))))
                .isEqualTo("field 'A' is missing");
    }

    @Test
    void bookTickerOnTheWrongStreamIsRejected() {
        assertThat(reason(combined("btcusdt@bookTicker", DOC_BOOK_TICKER)))
                .isEqualTo("field 'stream' is 'btcusdt@bookTicker' but field 's' is 'BNBUSDT'");
    }

    @Test
    void depthSnapshotFromTheDocumentationIsReadExactly() throws Exception {
        DepthSnapshot s = parser.parseDepthSnapshot(DOC_SNAPSHOT);
        assertThat(s).isEqualTo(new DepthSnapshot(1027024L, List.of(level("4.00000000", "431.00000000")),
                List.of(level("4.00000200", "12.00000000"))));
    }

    @Test
    void depthSnapshotErrorsNameTheField() {
        assertThat(snapshotReason("{\"bids\":[],\"asks\":[]}")).isEqualTo("field 'lastUpdateId' is missing");
        assertThat(snapshotReason("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}")).isEqualTo("field 'lastUpdateId' is missing");
        assertThat(snapshotReason("[]")).isEqualTo("depth answer is not a JSON object");
    }

    private String snapshotReason(String body) {
        try {
            parser.parseDepthSnapshot(body);
        } catch (MalformedFrameException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a malformed answer");
    }
}
