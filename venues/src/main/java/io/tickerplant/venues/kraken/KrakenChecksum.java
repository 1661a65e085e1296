package io.tickerplant.venues.kraken;

import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.venues.book.OrderBook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Kraken's book checksum (websocket v1 and v2 alike): CRC32 of the top 10 asks (lowest first) then the top 10 bids
 * (highest first), each level written as price then quantity, each formatted with the pair's precision, the decimal
 * point removed and leading zeros dropped. The precisions are the pair's {@code price_precision} /
 * {@code qty_precision} (v2 {@code instrument} channel), or {@code pair_decimals} / {@code lot_decimals} (REST
 * {@code AssetPairs}, v1).
 *
 * <p>Formatting a value at precision {@code p} and dropping the point and the leading zeros is exactly its unscaled
 * value at scale {@code p}, printed: {@code 0.00100000} at 8 is {@code 100000}. That is what is computed here, from
 * the exact {@link Decimal}, with no string or floating-point round trip.
 */
public final class KrakenChecksum {
    private KrakenChecksum() {
    }

    /** Levels per side covered by the checksum, whatever the subscribed depth. */
    public static final int LEVELS = 10;

    /**
     * Precision meaning "the digits as received": websocket v1 (checked against 4269 recorded 2021 checksums)
     * computed the CRC over the wire strings, e.g. {@code 354.15000000} for a pair whose {@code pair_decimals} is 2.
     */
    public static final int AS_RECEIVED = -1;

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** The checksum of a book, unsigned, as Kraken sends it. */
    public static long of(OrderBook book, int pricePrecision, int qtyPrecision) {
        return of(book.levels(OrderBook.Side.BID, LEVELS), book.levels(OrderBook.Side.ASK, LEVELS), pricePrecision,
                qtyPrecision);
    }

    /**
     * The checksum of the best levels given, each side best first (bids descending, asks ascending).
     *
     * @throws IllegalArgumentException when a value has more digits than the precision allows: no rounding could
     *     reproduce Kraken's string, so the precision is wrong
     */
    public static long of(List<BookLevel> bidsBestFirst, List<BookLevel> asksBestFirst, int pricePrecision,
                          int qtyPrecision) {
        return crc(text(bidsBestFirst, asksBestFirst, pricePrecision, qtyPrecision));
    }

    /** The string the CRC is taken of; for diagnostics and tests. */
    public static String text(List<BookLevel> bidsBestFirst, List<BookLevel> asksBestFirst, int pricePrecision,
                              int qtyPrecision) {
        StringBuilder sb = new StringBuilder(20 * 2 * 24);
        append(sb, asksBestFirst, pricePrecision, qtyPrecision);
        append(sb, bidsBestFirst, pricePrecision, qtyPrecision);
        return sb.toString();
    }

    /** CRC32 of ASCII text, unsigned. */
    public static long crc(String ascii) {
        CRC32 crc = new CRC32();
        crc.update(ascii.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static void append(StringBuilder sb, List<BookLevel> levels, int pricePrecision, int qtyPrecision) {
        int n = Math.min(LEVELS, levels.size());
        for (int i = 0; i < n; i++) {
            BookLevel l = levels.get(i);
            sb.append(unscaledAt(l.getPrice(), pricePrecision, "price"));
            sb.append(unscaledAt(l.getSize(), qtyPrecision, "qty"));
        }
    }

    /** The value's unscaled digits at the given scale; {@link #AS_RECEIVED}: at its own scale. */
    static long unscaledAt(Decimal d, int precision, String what) {
        long u = d.getUnscaled();
        int scale = d.getScale();
        if (scale == precision || precision == AS_RECEIVED) {
            return u;
        }
        if (scale < precision) {
            int up = precision - scale;
            if (up >= POW10.length || Math.abs(u) > Long.MAX_VALUE / POW10[up]) {
                throw new IllegalArgumentException(what + " out of range at precision " + precision);
            }
            return u * POW10[up];
        }
        int down = scale - precision;
        if (down >= POW10.length || u % POW10[down] != 0) {
            throw new IllegalArgumentException(what + " " + java.math.BigDecimal.valueOf(u, scale).toPlainString()
                    + " has more than " + precision + " decimals");
        }
        return u / POW10[down];
    }
}
