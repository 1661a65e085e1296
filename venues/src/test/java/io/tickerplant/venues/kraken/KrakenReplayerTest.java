package io.tickerplant.venues.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.CapturedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Hand-written v1 and v2 frames through the replayer. */
class KrakenReplayerTest {

    private final List<Object> events = new ArrayList<>();
    private final KrakenReplayer replayer = new KrakenReplayer(new VenueEventListener() {
        @Override
        public void onTrade(Trade trade) {
            events.add(trade);
        }

        @Override
        public void onQuote(Quote quote) {
            events.add(quote);
        }

        @Override
        public void onBook(BookUpdate update) {
            events.add(update);
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
            events.add(status);
        }

        @Override
        public void onRejected(RejectedFrame frame) {
            events.add(frame);
        }
    }, 0);

    private void frame(String text) {
        replayer.onMessage(new CapturedMessage(CapturedMessage.Kind.RECEIVED, "wss://ws.kraken.com", text, 1_000_000));
    }

    private static long crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes());
        return c.getValue();
    }

    @Test
    void versionOneBooksAreVerifiedOverTheDigitsAsSent() {
        frame("[992,{\"as\":[[\"354.80000000\",\"1.40000000\",\"1618678133.020508\"]],"
                + "\"bs\":[[\"354.16000000\",\"1.40000000\",\"1618678133.049115\"]]},\"book-10\",\"XMR/USD\"]");
        // Asks then bids, each price then volume, points and leading zeros dropped, digits as sent.
        long good = crc("35480000000" + "140000000" + "35416000000" + "140000000" + "35415000000" + "500000000");
        frame("[992,{\"b\":[[\"354.15000000\",\"5.00000000\",\"1618678133.365913\"]],\"c\":\"" + good
                + "\"},\"book-10\",\"XMR/USD\"]");
        frame("[992,{\"b\":[[\"354.15000000\",\"6.00000000\",\"1618678133.365913\"]],\"c\":\"" + good
                + "\"},\"book-10\",\"XMR/USD\"]");
        assertThat(events).hasSize(3);
        BookUpdate delta = (BookUpdate) events.get(1);
        assertThat(delta.getSymbol()).isEqualTo("XMR-USD");
        assertThat(delta.getChecksum()).isEqualTo(good);
        assertThat(((FeedStatus) events.get(2)).getDetail()).contains("checksum mismatch");
    }

    @Test
    void versionOneTradesAndTickersBecomeTradesAndQuotes() {
        frame("[1665,[[\"5541.20000\",\"0.15850568\",\"1534614057.321597\",\"s\",\"l\",\"\"]],\"trade\",\"XBT/USD\"]");
        frame("[1668,{\"a\":[\"5525.40000\",1,\"1.000\"],\"b\":[\"5525.10000\",1,\"1.000\"],\"c\":[\"5525.10000\","
                + "\"0.00398963\"]},\"ticker\",\"XBT/USD\"]");
        frame("{\"event\":\"heartbeat\"}");
        Trade t = (Trade) events.get(0);
        assertThat(t.getSymbol()).isEqualTo("BTC-USD");
        assertThat(t.getTradeId()).isEqualTo("1534614057.321597-0");
        assertThat(Decimals.toPlainString(t.getPrice())).isEqualTo("5541.20000");
        assertThat(t.getSide().name()).isEqualTo("SELL");
        Quote q = (Quote) events.get(1);
        assertThat(Decimals.toPlainString(q.getBidPrice())).isEqualTo("5525.10000");
        assertThat(Decimals.toPlainString(q.getAskSize())).isEqualTo("1.000");
        assertThat(events).hasSize(2);
    }

    @Test
    void versionTwoFramesGoThroughTheLiveParserAndTradeGapsAreReported() {
        frame(KrakenDocs.BOOK_SNAPSHOT);
        frame("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
                + "\"price\":45283.5,\"qty\":0.1,\"ord_type\":\"market\",\"trade_id\":10,\"timestamp\":"
                + "\"2023-10-06T17:35:55.440295Z\"}]}");
        frame("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
                + "\"price\":45283.5,\"qty\":0.1,\"ord_type\":\"market\",\"trade_id\":13,\"timestamp\":"
                + "\"2023-10-06T17:35:56.440295Z\"}]}");
        frame("[1,2");
        assertThat(((BookUpdate) events.get(0)).getChecksum()).isEqualTo(3310070434L);
        assertThat(((FeedStatus) events.get(2)).getFromId()).isEqualTo("11");
        assertThat(((FeedStatus) events.get(2)).getToId()).isEqualTo("12");
        assertThat(((RejectedFrame) events.get(4)).reason()).startsWith("unreadable v1 frame");
    }
}
