package io.tickerplant.venues.bybit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.replay.CapturedMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small hand-written recordings: the connection address decides spot or linear. */
class BybitReplayerTest {

    private final List<Object> events = new ArrayList<>();
    private final BybitReplayer replayer = new BybitReplayer(new VenueEventListener() {
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
        public void onFunding(Funding funding) {
            events.add(funding);
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

    private void recv(String conn, String text) {
        replayer.onMessage(new CapturedMessage(CapturedMessage.Kind.RECEIVED, conn, text, 1_000_000L));
    }

    @Test
    void theSameVenueSymbolIsSpotOrPerpetualByItsConnection() {
        String trade = "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1,\"data\":[{\"T\":1,"
                + "\"s\":\"BTCUSDT\",\"S\":\"Sell\",\"v\":\"1\",\"p\":\"2\",\"i\":\"%s\"}]}";
        recv("wss://stream.bybit.com/v5/public/spot", trade.formatted("1"));
        recv("wss://stream.bybit.com/v5/public/linear", trade.formatted("2"));
        assertThat(events).extracting(e -> ((Trade) e).getSymbol()).containsExactly("BTC-USDT", "BTC-USDT-PERP");
    }

    @Test
    void linearTickersBecomeQuotesAndMergedFunding() {
        String conn = "wss://stream.bybit.com/v5/public/linear";
        recv(conn, "{\"topic\":\"tickers.ETHUSDT\",\"type\":\"snapshot\",\"data\":{\"symbol\":\"ETHUSDT\","
                + "\"markPrice\":\"3000.1\",\"indexPrice\":\"3000.2\",\"fundingRate\":\"0.0001\","
                + "\"nextFundingTime\":\"1786320000000\",\"bid1Price\":\"3000.0\",\"bid1Size\":\"1\","
                + "\"ask1Price\":\"3000.5\",\"ask1Size\":\"2\"},\"cs\":1,\"ts\":10}");
        recv(conn, "{\"topic\":\"tickers.ETHUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"ETHUSDT\","
                + "\"indexPrice\":\"3001.0\"},\"cs\":2,\"ts\":20}");
        List<Funding> funding = events.stream().filter(Funding.class::isInstance).map(Funding.class::cast).toList();
        assertThat(funding).hasSize(2);
        assertThat(funding.get(1).getIndexPrice().getUnscaled()).isEqualTo(30010);
        assertThat(funding.get(1).getMarkPrice().getUnscaled()).as("kept from the snapshot").isEqualTo(30001);
        assertThat(events.stream().filter(Quote.class::isInstance)).hasSize(1);
    }

    @Test
    void aBookWithoutASnapshotIsReportedAsUnsynced() {
        recv("wss://stream.bybit.com/v5/public/linear", "{\"topic\":\"orderbook.200.SOLUSDT\",\"type\":\"delta\","
                + "\"ts\":1,\"data\":{\"s\":\"SOLUSDT\",\"b\":[],\"a\":[[\"77.3\",\"1\"]],\"u\":5,\"seq\":9}}");
        assertThat(replayer.unsyncedDiffs()).containsEntry("linear:SOLUSDT", 1);
    }
}
