package io.tickerplant.venues.okx;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.venues.book.OrderBook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * OKX's order book checksum: the best 25 bids and asks interleaved as {@code bid1px:bid1sz:ask1px:ask1sz:...} (a
 * side that runs out leaves the other side's levels to follow on their own), CRC32 of that text, as a signed 32-bit
 * integer. Prices and sizes are the venue's own text, which {@link io.tickerplant.model.avro.Decimal} keeps digit for
 * digit.
 */
public final class OkxChecksum {
    private OkxChecksum() {
    }

    /** Levels per side that enter the checksum. */
    public static final int LEVELS = 25;

    /** The text the checksum is computed over. */
    public static String text(List<BookLevel> bids, List<BookLevel> asks) {
        StringBuilder sb = new StringBuilder(LEVELS * 40);
        int n = Math.max(Math.min(LEVELS, bids.size()), Math.min(LEVELS, asks.size()));
        for (int i = 0; i < n; i++) {
            if (i < bids.size()) {
                append(sb, bids.get(i));
            }
            if (i < asks.size()) {
                append(sb, asks.get(i));
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, BookLevel l) {
        if (sb.length() > 0) {
            sb.append(':');
        }
        sb.append(Decimals.toPlainString(l.getPrice())).append(':').append(Decimals.toPlainString(l.getSize()));
    }

    /** The signed CRC32 of {@link #text}. */
    public static int of(List<BookLevel> bids, List<BookLevel> asks) {
        CRC32 crc = new CRC32();
        crc.update(text(bids, asks).getBytes(StandardCharsets.US_ASCII));
        return (int) crc.getValue();
    }

    /** The checksum of a book's best 25 levels per side. */
    public static int of(OrderBook book) {
        return of(book.levels(OrderBook.Side.BID, LEVELS), book.levels(OrderBook.Side.ASK, LEVELS));
    }
}
