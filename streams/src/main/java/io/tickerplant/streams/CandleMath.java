package io.tickerplant.streams;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Trade;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The arithmetic of a bar: folding a trade into it and deriving its VWAP, in exact decimals, never binary floating
 * point.
 *
 * <p>Sums and products are exact whenever the result fits a {@link Decimal} (18 significant digits once trailing
 * zeros are dropped). Volumes always do; a quote volume can outgrow that (an hour of a busy symbol across venues
 * whose sizes have 8 decimals), and is then rounded HALF_EVEN to 18 significant digits instead of failing the
 * trade: a relative error below 10^-17. The scale of a sum is not significant: trailing zeros may be dropped to
 * make it fit.
 */
public final class CandleMath {
    private CandleMath() {
    }

    /** Decimals VWAP gets beyond the bar's largest price scale. */
    public static final int VWAP_EXTRA_SCALE = 4;
    /** What a {@link Decimal} holds: every 18-digit number fits a long. */
    static final MathContext DECIMAL_DIGITS = new MathContext(18, RoundingMode.HALF_EVEN);

    /**
     * The bar with one more trade. {@code bar} is null for the first trade of a window; it is not modified (the
     * state store may still refer to it), a new bar is returned. The bucket, {@code vwap}, {@code finalBar} and
     * {@code updateTime} are left for whoever publishes the bar.
     *
     * @param venue the bar's venue: the trade's own, or {@link CandleTopology#ALL_VENUES}
     */
    public static Candle add(Candle bar, Trade t, String venue, String interval) {
        Decimal price = t.getPrice();
        Decimal size = t.getSize();
        Decimal notional = multiply(price, size);
        Decimal zero = Decimals.of(0, size.getScale());
        Candle c = new Candle();
        c.setVenue(venue);
        c.setSymbol(t.getSymbol());
        c.setInterval(interval);
        if (bar == null) {
            c.setOpen(price);
            c.setHigh(price);
            c.setLow(price);
            c.setClose(price);
            c.setVolume(size);
            c.setBuyVolume(zero);
            c.setSellVolume(zero);
            c.setQuoteVolume(notional);
            c.setTradeCount(0L);
            c.setFirstTradeTime(t.getEventTime());
            c.setLastTradeTime(t.getEventTime());
        } else {
            // Out-of-order trades move open and close only when their event time says so; among equal times the
            // first to arrive opens and the last to arrive closes, which is the venue's own order within a key.
            boolean earlier = t.getEventTime().isBefore(bar.getFirstTradeTime());
            boolean latest = !t.getEventTime().isBefore(bar.getLastTradeTime());
            c.setOpen(earlier ? price : bar.getOpen());
            c.setClose(latest ? price : bar.getClose());
            c.setHigh(Decimals.compare(price, bar.getHigh()) > 0 ? price : bar.getHigh());
            c.setLow(Decimals.compare(price, bar.getLow()) < 0 ? price : bar.getLow());
            c.setVolume(add(bar.getVolume(), size));
            c.setBuyVolume(bar.getBuyVolume());
            c.setSellVolume(bar.getSellVolume());
            c.setQuoteVolume(add(bar.getQuoteVolume(), notional));
            c.setTradeCount(bar.getTradeCount());
            c.setFirstTradeTime(earlier ? t.getEventTime() : bar.getFirstTradeTime());
            c.setLastTradeTime(latest ? t.getEventTime() : bar.getLastTradeTime());
        }
        switch (t.getSide()) {
            case BUY -> c.setBuyVolume(add(c.getBuyVolume(), size));
            case SELL -> c.setSellVolume(add(c.getSellVolume(), size));
            default -> {
                // the taker side is unknown: counted in volume only
            }
        }
        c.setTradeCount(c.getTradeCount() + 1);
        c.setVwap(null);
        c.setFinalBar(false);
        // Placeholders (the fields cannot be null): the window and the publishing time are known only downstream.
        c.setBucketStart(Instant.EPOCH);
        c.setBucketEnd(Instant.EPOCH);
        c.setUpdateTime(Instant.EPOCH);
        return c;
    }

    /**
     * {@code quoteVolume / volume} rounded HALF_EVEN to the largest scale among open, high, low and close plus
     * {@link #VWAP_EXTRA_SCALE} decimals, or to 18 significant digits if that is fewer; null when the volume is zero.
     */
    public static Decimal vwap(Candle c) {
        if (Decimals.isZero(c.getVolume())) {
            return null;
        }
        int priceScale = Math.max(Math.max(c.getOpen().getScale(), c.getHigh().getScale()),
                Math.max(c.getLow().getScale(), c.getClose().getScale()));
        BigDecimal v = Decimals.toBigDecimal(c.getQuoteVolume())
                .divide(Decimals.toBigDecimal(c.getVolume()), priceScale + VWAP_EXTRA_SCALE, RoundingMode.HALF_EVEN);
        return fit(v);
    }

    /** {@code a + b}, exact when it fits. */
    static Decimal add(Decimal a, Decimal b) {
        if (a.getScale() == b.getScale()) {
            long x = a.getUnscaled();
            long y = b.getUnscaled();
            long r = x + y;
            // Overflow iff both operands have the sign the result lacks (Math.addExact without the exception).
            if (((x ^ r) & (y ^ r)) >= 0) {
                return Decimals.of(r, a.getScale());
            }
        }
        return fit(Decimals.toBigDecimal(a).add(Decimals.toBigDecimal(b)));
    }

    /** {@code a * b}, exact when it fits. */
    static Decimal multiply(Decimal a, Decimal b) {
        long x = a.getUnscaled();
        long y = b.getUnscaled();
        long hi = Math.multiplyHigh(x, y);
        long lo = x * y;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return Decimals.of(lo, a.getScale() + b.getScale());
        }
        return fit(Decimals.toBigDecimal(a).multiply(Decimals.toBigDecimal(b)));
    }

    /** Exact if it fits a Decimal once trailing zeros are dropped, else rounded to 18 significant digits. */
    static Decimal fit(BigDecimal v) {
        try {
            return Decimals.of(v);
        } catch (ArithmeticException tooManyDigits) {
            return Decimals.of(v.round(DECIMAL_DIGITS));
        }
    }
}
