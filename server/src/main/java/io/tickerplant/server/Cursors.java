package io.tickerplant.server;

import io.tickerplant.model.Micros;
import io.tickerplant.store.DerivativesQueries.LiquidationKey;
import io.tickerplant.store.TradeQueries.TradeKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The {@code cursor} tokens of paged responses: what a response returns as {@code next}, to be sent back unchanged
 * for the following page. They are opaque to clients (base64url) so that what they hold can change; a token that
 * was altered, or that belongs to another query, is a 400 naming {@code cursor}.
 */
final class Cursors {
    private Cursors() {
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Pattern VENUE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final Pattern SIDE = Pattern.compile("BUY|SELL|UNKNOWN");
    /** Deeper pages than this are refused: each page re-reads the rows before it. */
    static final long MAX_OFFSET = 1_000_000;

    /** After this trade, in {@code /api/trades} order (newest first). */
    static String trades(TradeKey last) {
        long micros = Math.addExact(Math.multiplyExact(last.eventTime().getEpochSecond(), 1_000_000L),
                last.eventTime().getNano() / 1000);
        return encode("t1:" + micros + ":" + last.venue() + ":" + last.tradeId());
    }

    static TradeKey trades(String cursor) {
        String[] parts = decode(cursor).split(":", 4);
        try {
            if (parts.length == 4 && parts[0].equals("t1") && VENUE.matcher(parts[2]).matches()
                    && !parts[3].isEmpty()) {
                long micros = Long.parseLong(parts[1]);
                Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000);
                return new TradeKey(t, parts[2], parts[3]);
            }
        } catch (NumberFormatException | java.time.DateTimeException ignored) {
            // reported below
        }
        throw invalid();
    }

    /** After this liquidation, in {@code /api/liquidations} order (newest first, by the table's key). */
    static String liquidations(LiquidationKey last) {
        return encode("l1:" + Micros.of(last.eventTime()) + ":" + last.venue() + ":" + last.symbol() + ":"
                + last.side() + ":" + last.price().toPlainString() + ":" + last.quantity().toPlainString());
    }

    static LiquidationKey liquidations(String cursor) {
        String[] parts = decode(cursor).split(":", -1);
        try {
            if (parts.length == 7 && parts[0].equals("l1") && VENUE.matcher(parts[2]).matches()
                    && !parts[3].isEmpty() && SIDE.matcher(parts[4]).matches()) {
                return new LiquidationKey(Micros.toInstant(Long.parseLong(parts[1])), parts[2], parts[3], parts[4],
                        new BigDecimal(parts[5]), new BigDecimal(parts[6]));
            }
        } catch (NumberFormatException | java.time.DateTimeException ignored) {
            // reported below
        }
        throw invalid();
    }

    /**
     * A named query's next page: {@code offset} rows in, valid only for the query and parameters that
     * {@code fingerprint} summarizes (see {@link #fingerprint}).
     */
    static String query(long offset, String fingerprint) {
        return encode("q1:" + offset + ":" + fingerprint);
    }

    /** The offset a named-query cursor holds, if it was made for {@code fingerprint}. */
    static long queryOffset(String cursor, String fingerprint) {
        String[] parts = decode(cursor).split(":", 3);
        if (parts.length != 3 || !parts[0].equals("q1")) {
            throw invalid();
        }
        if (!parts[2].equals(fingerprint)) {
            throw new BadParameterException("cursor", "was made for another query or other parameters: repeat"
                    + " the request that returned it, with only the cursor added");
        }
        try {
            long offset = Long.parseLong(parts[1]);
            if (offset >= 0 && offset <= MAX_OFFSET) {
                return offset;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadParameterException("cursor", "pages deeper than " + MAX_OFFSET + " rows are not served:"
                + " narrow the query's parameters instead");
    }

    /** A short digest of what a page depends on, so a cursor cannot be used with another query. */
    static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update(p.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String encode(String payload) {
        return ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(DECODER.decode(cursor.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static BadParameterException invalid() {
        return new BadParameterException("cursor", "is not a cursor this server made: send back the 'next' value"
                + " of the previous page unchanged");
    }
}
