package io.tickerplant.emulator.binance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.emulator.BookSnapshot;
import io.tickerplant.emulator.EmittedTrade;
import io.tickerplant.emulator.MovingBook;
import io.tickerplant.emulator.MarketSimulator;
import io.tickerplant.emulator.SymbolSpec;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedBookTest {

    @Test
    void everyTradeMovesTheBookWithContiguousUpdateIdsAndTheBookNeverCrosses() {
        SymbolSpec spec = SymbolSpec.of("BTCUSDT", 50);
        MarketSimulator market = new MarketSimulator(MarketSimulator.Options.of(List.of(spec)));
        SimulatedBook book = new SimulatedBook(spec, 1, 100);
        assertThat(book.lastUpdateId()).isEqualTo(99);
        long last = book.lastUpdateId();
        int diffs = 0;
        for (EmittedTrade t : market.trade("BTCUSDT", 2000)) {
            SimulatedBook.Diff d = book.onTrade(t);
            if (d == null) {
                continue;
            }
            diffs++;
            assertThat(d.firstUpdateId()).isEqualTo(last + 1);
            assertThat(d.lastUpdateId() - d.firstUpdateId() + 1).isEqualTo(d.bids().size() + d.asks().size());
            last = d.lastUpdateId();
            BookSnapshot s = book.snapshot(Integer.MAX_VALUE);
            assertThat(new BigDecimal(s.bids().get(0).price())).isLessThan(new BigDecimal(s.asks().get(0).price()));
            assertThat(s.bids().size()).isBetween(3, MovingBook.KEEP + 1);
            assertThat(s.asks().size()).isBetween(3, MovingBook.KEEP + 1);
        }
        assertThat(diffs).isGreaterThan(1900);
        assertThat(book.snapshot(5).bids()).hasSize(5);
    }

    @Test
    void diffPayloadIsBinancesDepthUpdate() {
        SymbolSpec spec = SymbolSpec.of("BTCUSDT", 50);
        SimulatedBook book = new SimulatedBook(spec, 1, 100);
        SimulatedBook.Diff d = book.onTrade(new EmittedTrade("BTCUSDT", 1, "60000.01000000", "0.1", "1", 1700000000000L,
                false));
        String payload = BinanceEmulator.depthPayload("BTCUSDT", d);
        assertThat(payload).startsWith("{\"e\":\"depthUpdate\",\"E\":1700000000000,\"s\":\"BTCUSDT\",\"U\":100,\"u\":")
                .contains("\"b\":[[\"").contains("\"a\":[[\"60000.01000000\",\"");
    }
}
