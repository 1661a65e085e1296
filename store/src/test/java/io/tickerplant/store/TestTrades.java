package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Trades for tests. */
final class TestTrades {
    private TestTrades() {
    }

    static Trade trade(String venue, String symbol, String id, Instant eventTime, String price, String size,
                       Side side) {
        return new Trade(venue, symbol, symbol.replace("-", ""), eventTime, eventTime.plusMillis(3), id,
            Decimals.parse(price), Decimals.parse(size), side);
    }

    /** Trades with ids {@code firstId ..}, one per {@code step} from {@code start}. */
    static List<Trade> run(String venue, String symbol, long firstId, int count, Instant start, Duration step) {
        List<Trade> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            out.add(trade(venue, symbol, Long.toString(id), start.plus(step.multipliedBy(id - firstId)),
                "27123." + (id % 100), "0.00" + (1 + id % 9), id % 2 == 0 ? Side.BUY : Side.SELL));
        }
        return out;
    }
}
