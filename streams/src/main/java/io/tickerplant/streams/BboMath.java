package io.tickerplant.streams;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.VenueDeviation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of the consolidated BBO and of the index price over the quotes of the venues that are healthy at
 * one moment. Prices stay exact: spreads, mids and the median are exact decimals (a mid has at most one decimal
 * more than its quote, the mean of two mids at most two), rounded only if they outgrow a {@link Decimal}'s 18
 * digits. Basis points are display ratios and so doubles.
 *
 * <p>A side quoted with a zero price or a zero size is treated as absent: venues send that for an empty side.
 */
public final class BboMath {
    private BboMath() {
    }

    /** The {@link IndexPrice#getMethod()} of {@link #index}. */
    public static final String MEDIAN_MID = "median-mid";

    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal BPS = BigDecimal.valueOf(10_000);

    /**
     * The consolidated BBO of {@code included} quotes.
     *
     * @param included one quote per venue, the venues in alphabetical order
     * @param excluded {@code "VENUE: reason"} for each venue left out
     */
    public static Bbo bbo(String symbol, Instant eventTime, List<Quote> included, List<String> excluded) {
        Quote bid = null;
        Quote ask = null;
        List<String> venues = new ArrayList<>(included.size());
        for (Quote q : included) {
            venues.add(q.getVenue());
            // Strictly better only: among equal prices the larger size wins, and among equal sizes the venue first
            // in alphabetical order, so that the result never depends on arrival order.
            if (present(q.getBidPrice(), q.getBidSize()) && (bid == null
                    || better(Decimals.compare(q.getBidPrice(), bid.getBidPrice()), q.getBidSize(), bid.getBidSize()))) {
                bid = q;
            }
            if (present(q.getAskPrice(), q.getAskSize()) && (ask == null
                    || better(-Decimals.compare(q.getAskPrice(), ask.getAskPrice()), q.getAskSize(), ask.getAskSize()))) {
                ask = q;
            }
        }
        Bbo.Builder b = Bbo.newBuilder().setSymbol(symbol).setEventTime(eventTime)
                .setVenues(venues).setExcluded(List.copyOf(excluded)).setCrossed(false)
                .setBestBid(null).setBestBidSize(null).setBestBidVenue(null)
                .setBestAsk(null).setBestAskSize(null).setBestAskVenue(null)
                .setSpread(null).setSpreadBps(null);
        if (bid != null) {
            b.setBestBid(bid.getBidPrice()).setBestBidSize(bid.getBidSize()).setBestBidVenue(bid.getVenue());
        }
        if (ask != null) {
            b.setBestAsk(ask.getAskPrice()).setBestAskSize(ask.getAskSize()).setBestAskVenue(ask.getVenue());
        }
        if (bid != null && ask != null) {
            BigDecimal bidPrice = Decimals.toBigDecimal(bid.getBidPrice());
            BigDecimal askPrice = Decimals.toBigDecimal(ask.getAskPrice());
            BigDecimal spread = askPrice.subtract(bidPrice);
            BigDecimal mid = bidPrice.add(askPrice).divide(TWO);
            b.setSpread(CandleMath.fit(spread))
                    .setCrossed(spread.signum() <= 0)
                    .setSpreadBps(mid.signum() > 0 ? bps(spread, mid) : null);
        }
        return b.build();
    }

    /**
     * The index price: the median of the mids of the venues in {@code included} that quote both sides, and each
     * such venue's deviation from it. A venue quoting one side only is added to {@code excluded}.
     *
     * @param included one quote per venue, the venues in alphabetical order
     * @param excluded {@code "VENUE: reason"} for each venue left out
     */
    public static IndexPrice index(String symbol, Instant eventTime, List<Quote> included, List<String> excluded) {
        List<String> venues = new ArrayList<>(included.size());
        List<BigDecimal> mids = new ArrayList<>(included.size());
        List<String> out = new ArrayList<>(excluded);
        for (Quote q : included) {
            if (present(q.getBidPrice(), q.getBidSize()) && present(q.getAskPrice(), q.getAskSize())) {
                venues.add(q.getVenue());
                mids.add(Decimals.toBigDecimal(q.getBidPrice()).add(Decimals.toBigDecimal(q.getAskPrice())).divide(TWO));
            } else {
                out.add(q.getVenue() + ": quotes one side only");
            }
        }
        out.sort(null);
        BigDecimal median = median(mids);
        List<VenueDeviation> deviations = new ArrayList<>(venues.size());
        for (int i = 0; i < venues.size(); i++) {
            BigDecimal mid = mids.get(i);
            deviations.add(new VenueDeviation(venues.get(i), CandleMath.fit(mid), bps(mid.subtract(median), median)));
        }
        return IndexPrice.newBuilder().setSymbol(symbol).setEventTime(eventTime)
                .setPrice(median == null ? null : CandleMath.fit(median))
                .setMethod(MEDIAN_MID).setVenues(venues).setDeviations(deviations).setExcluded(out).build();
    }

    /** Exact: the middle value, or the mean of the two middle values of an even count (a division by 2 ends). */
    static BigDecimal median(List<BigDecimal> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<BigDecimal> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).add(sorted.get(n / 2)).divide(TWO);
    }

    private static double bps(BigDecimal difference, BigDecimal reference) {
        return difference.multiply(BPS).divide(reference, MathContext.DECIMAL64).doubleValue();
    }

    private static boolean better(int priceOrder, Decimal size, Decimal bestSize) {
        return priceOrder > 0 || (priceOrder == 0 && Decimals.compare(size, bestSize) > 0);
    }

    private static boolean present(Decimal price, Decimal size) {
        return price != null && size != null && price.getUnscaled() > 0 && size.getUnscaled() > 0;
    }
}
