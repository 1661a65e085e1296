package io.tickerplant.emulator.binance;

import io.tickerplant.emulator.EmittedTrade;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trade generated, per symbol, in id order: both what {@code historicalTrades} serves and the ground truth.
 * Ids are contiguous per symbol, so a lookup by id is an index computation.
 */
final class TradeHistory {

    private static final class Series {
        final ArrayList<EmittedTrade> trades = new ArrayList<>();
    }

    private final Map<String, Series> bySymbol = new LinkedHashMap<>();
    private final int maxPerSymbol;

    TradeHistory(Collection<String> symbols, int maxPerSymbol) {
        for (String s : symbols) {
            bySymbol.put(s, new Series());
        }
        this.maxPerSymbol = maxPerSymbol;
    }

    boolean has(String symbol) {
        return bySymbol.containsKey(symbol);
    }

    void add(EmittedTrade t) {
        Series s = series(t.symbol());
        synchronized (s) {
            s.trades.add(t);
            if (s.trades.size() > maxPerSymbol) {
                // Drop a tenth at once so that eviction costs O(1) amortized per trade.
                s.trades.subList(0, Math.max(1, maxPerSymbol / 10)).clear();
            }
        }
    }

    List<EmittedTrade> all(String symbol) {
        Series s = series(symbol);
        synchronized (s) {
            return List.copyOf(s.trades);
        }
    }

    /** Up to {@code limit} trades with id >= fromId; ids older than the retained history start at the oldest. */
    List<EmittedTrade> fromId(String symbol, long fromId, int limit) {
        Series s = series(symbol);
        synchronized (s) {
            if (s.trades.isEmpty()) {
                return List.of();
            }
            long first = s.trades.get(0).id();
            long start = Math.max(0, fromId - first);
            if (start >= s.trades.size()) {
                return List.of();
            }
            int from = (int) start;
            return new ArrayList<>(s.trades.subList(from, Math.min(s.trades.size(), from + limit)));
        }
    }

    List<EmittedTrade> latest(String symbol, int limit) {
        Series s = series(symbol);
        synchronized (s) {
            int n = s.trades.size();
            return new ArrayList<>(s.trades.subList(Math.max(0, n - limit), n));
        }
    }

    private Series series(String symbol) {
        Series s = bySymbol.get(symbol);
        if (s == null) {
            throw new IllegalArgumentException("unknown symbol '" + symbol + "'; listed: " + bySymbol.keySet());
        }
        return s;
    }
}
