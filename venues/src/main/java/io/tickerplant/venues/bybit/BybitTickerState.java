package io.tickerplant.venues.bybit;

import io.tickerplant.model.avro.Decimal;
import io.tickerplant.venues.bybit.BybitParser.Ticker;

/**
 * The latest {@code tickers.SYMBOL} values of one linear symbol. Bybit sends a full snapshot, then deltas that
 * carry only the fields that changed ("if a field is not in the message, its value has not changed"), so a
 * Funding or Quote record is always the merge of everything seen since the last snapshot. Nothing is published
 * from deltas before a snapshot: a merge without one would be missing fields silently.
 */
final class BybitTickerState {
    private boolean haveSnapshot;
    Decimal markPrice;
    Decimal indexPrice;
    Decimal fundingRate;
    Long nextFundingTime;
    Decimal bid1Price;
    Decimal bid1Size;
    Decimal ask1Price;
    Decimal ask1Size;

    /**
     * Merges a frame in.
     *
     * @return false when the frame is a delta before any snapshot (ignored)
     */
    boolean apply(Ticker t) {
        if (t.snapshot()) {
            haveSnapshot = true;
            markPrice = t.markPrice();
            indexPrice = t.indexPrice();
            fundingRate = t.fundingRate();
            nextFundingTime = t.nextFundingTime();
            bid1Price = t.bid1Price();
            bid1Size = t.bid1Size();
            ask1Price = t.ask1Price();
            ask1Size = t.ask1Size();
            return true;
        }
        if (!haveSnapshot) {
            return false;
        }
        markPrice = or(t.markPrice(), markPrice);
        indexPrice = or(t.indexPrice(), indexPrice);
        fundingRate = or(t.fundingRate(), fundingRate);
        nextFundingTime = t.nextFundingTime() != null ? t.nextFundingTime() : nextFundingTime;
        bid1Price = or(t.bid1Price(), bid1Price);
        bid1Size = or(t.bid1Size(), bid1Size);
        ask1Price = or(t.ask1Price(), ask1Price);
        ask1Size = or(t.ask1Size(), ask1Size);
        return true;
    }

    /** True when both sides of the best bid/ask are known. */
    boolean hasQuote() {
        return bid1Price != null && bid1Size != null && ask1Price != null && ask1Size != null;
    }

    /** True when there is anything of a Funding record. */
    boolean hasFunding() {
        return markPrice != null || indexPrice != null || fundingRate != null || nextFundingTime != null;
    }

    /** Forgets everything: the next snapshot starts over (after a lost connection). */
    void reset() {
        haveSnapshot = false;
        markPrice = null;
        indexPrice = null;
        fundingRate = null;
        nextFundingTime = null;
        bid1Price = null;
        bid1Size = null;
        ask1Price = null;
        ask1Size = null;
    }

    private static Decimal or(Decimal v, Decimal fallback) {
        return v != null ? v : fallback;
    }
}
