package io.tickerplant.venues.reference;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.venues.reference.ReferenceRejection.Kind;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * One Chainlink price feed (an EACAggregatorProxy contract), read with {@code latestRoundData()}. The ABI encoding
 * and decoding are done here by hand: the three calls take no arguments and return static types, so a general
 * ABI library would buy nothing.
 *
 * <p>{@code decimals()} and {@code description()} are read once, on the first {@link #read()}; a description that
 * does not name the configured pair is rejected, which catches a wrong proxy address before it feeds wrong prices.
 */
public final class ChainlinkFeed {

    /** {@code latestRoundData()}: (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound). */
    public static final String LATEST_ROUND_DATA = "0xfeaf968c";
    /** {@code decimals()}: uint8. */
    public static final String DECIMALS = "0x313ce567";
    /** {@code description()}: string, e.g. {@code ETH / USD}. */
    public static final String DESCRIPTION = "0x7284e416";

    private static final int WORD = 32;
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** The decoded return of {@code latestRoundData()}; times are epoch seconds. */
    public record RoundData(BigInteger roundId, BigInteger answer, BigInteger startedAt, BigInteger updatedAt,
                            BigInteger answeredInRound) {
    }

    private final EthereumRpcClient rpc;
    private final String symbol;
    private final String proxy;
    private final Duration maxAge;
    private final Clock clock;
    private Integer decimals;

    public ChainlinkFeed(EthereumRpcClient rpc, String symbol, String proxy, Duration maxAge, Clock clock) {
        this.rpc = Objects.requireNonNull(rpc);
        this.symbol = Objects.requireNonNull(symbol);
        this.proxy = Objects.requireNonNull(proxy);
        this.maxAge = Objects.requireNonNull(maxAge);
        this.clock = Objects.requireNonNull(clock);
    }

    public String symbol() {
        return symbol;
    }

    public String proxy() {
        return proxy;
    }

    /** The latest round as a price, or a rejection naming the field at fault. */
    public ReferencePrice read() throws ReferenceRejection, InterruptedException {
        if (decimals == null) {
            EthereumRpcClient.CallResult d = rpc.call(proxy, DESCRIPTION);
            String description = withBody(() -> decodeString(d.result()), d.body());
            if (!matchesPair(description, symbol)) {
                throw new ReferenceRejection(Kind.MISMATCH, "description", "feed " + proxy + " is '" + description
                        + "', not " + symbol, d.body());
            }
            EthereumRpcClient.CallResult dec = rpc.call(proxy, DECIMALS);
            decimals = withBody(() -> decodeDecimals(dec.result()), dec.body());
        }
        EthereumRpcClient.CallResult r = rpc.call(proxy, LATEST_ROUND_DATA);
        Instant received = clock.instant();
        RoundData round = withBody(() -> decodeRoundData(r.result()), r.body());
        return toPrice(round, decimals, received, r.body());
    }

    /** Validates a decoded round and turns it into a price: {@code answer * 10^-decimals}, exactly. */
    ReferencePrice toPrice(RoundData round, int decimals, Instant received, String raw) throws ReferenceRejection {
        if (round.answer().signum() <= 0) {
            throw new ReferenceRejection(Kind.NOT_POSITIVE, "answer", "answer " + round.answer()
                    + " is not positive", raw);
        }
        if (round.answer().compareTo(LONG_MAX) > 0) {
            throw new ReferenceRejection(Kind.OUT_OF_RANGE, "answer", "answer " + round.answer()
                    + " does not fit 18 digits", raw);
        }
        if (round.updatedAt().signum() == 0) {
            throw new ReferenceRejection(Kind.STALE, "updatedAt", "0: round " + round.roundId()
                    + " is not complete", raw);
        }
        Instant updatedAt = seconds(round.updatedAt(), "updatedAt", raw);
        Instant startedAt = seconds(round.startedAt(), "startedAt", raw);
        ReferenceJson.checkAge(updatedAt, received, maxAge, "updatedAt", raw);
        ReferencePrice p = ReferenceJson.price(ReferenceSource.CHAINLINK, symbol, proxy, updatedAt, received,
                Decimals.of(round.answer().longValueExact(), decimals));
        p.setRoundId(round.roundId().toString());
        p.setStartedAt(Micros.toInstant(Micros.of(startedAt)));
        p.setAnsweredInRound(round.answeredInRound().toString());
        return p;
    }

    private static Instant seconds(BigInteger s, String field, String raw) throws ReferenceRejection {
        // Instant's own limit is far beyond any real block time; anything near it is garbage.
        if (s.bitLength() > 40) {
            throw new ReferenceRejection(Kind.OUT_OF_RANGE, field, s + " is not a plausible epoch second", raw);
        }
        return Instant.ofEpochSecond(s.longValueExact());
    }

    /** "ETH / USD" names ETH-USD. */
    static boolean matchesPair(String description, String symbol) {
        String d = description.replace(" ", "").replace('/', '-').toUpperCase(Locale.ROOT);
        return d.equals(symbol.toUpperCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ ABI

    /** Decodes the five words returned by {@code latestRoundData()}. */
    public static RoundData decodeRoundData(String hex) throws ReferenceRejection {
        byte[] data = bytes(hex, 5 * WORD, "latestRoundData");
        return new RoundData(
                uint(data, 0, 80, "roundId"),
                int256(data, 1),
                uint(data, 2, 256, "startedAt"),
                uint(data, 3, 256, "updatedAt"),
                uint(data, 4, 80, "answeredInRound"));
    }

    /** Decodes a {@code uint8}. */
    public static int decodeDecimals(String hex) throws ReferenceRejection {
        byte[] data = bytes(hex, WORD, "decimals");
        int d = uint(data, 0, 8, "decimals").intValueExact();
        if (d > 30) {
            throw new ReferenceRejection(Kind.OUT_OF_RANGE, "decimals", d + " decimals is beyond any price feed",
                    hex);
        }
        return d;
    }

    /** Decodes a dynamic {@code string}: an offset word, then at the offset a length word and the UTF-8 bytes. */
    public static String decodeString(String hex) throws ReferenceRejection {
        byte[] data = bytes(hex, 2 * WORD, "description");
        BigInteger offset = uint(data, 0, 256, "description");
        if (offset.compareTo(BigInteger.valueOf(data.length - WORD)) > 0 || offset.intValue() % WORD != 0) {
            throw new ReferenceRejection(Kind.MALFORMED, "description", "string offset " + offset
                    + " is outside the " + data.length + " bytes returned", hex);
        }
        int at = offset.intValue();
        BigInteger length = uint(data, at / WORD, 256, "description");
        if (length.compareTo(BigInteger.valueOf(data.length - at - WORD)) > 0) {
            throw new ReferenceRejection(Kind.MALFORMED, "description", "string length " + length
                    + " runs past the " + data.length + " bytes returned", hex);
        }
        return new String(data, at + WORD, length.intValue(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String hex, int minLength, String what) throws ReferenceRejection {
        if (hex == null || !hex.startsWith("0x") || hex.length() % 2 != 0) {
            throw new ReferenceRejection(Kind.MALFORMED, what, "not 0x-prefixed hex: " + hex, hex);
        }
        byte[] data;
        try {
            data = HexFormat.of().parseHex(hex, 2, hex.length());
        } catch (IllegalArgumentException e) {
            throw new ReferenceRejection(Kind.MALFORMED, what, "not hex: " + e.getMessage(), hex);
        }
        if (data.length < minLength || data.length % WORD != 0) {
            throw new ReferenceRejection(Kind.MALFORMED, what, data.length + " bytes returned, expected "
                    + minLength + " in 32-byte words", hex);
        }
        return data;
    }

    /** An unsigned word that must fit {@code bits}: ABI pads smaller types with zeros, anything else is corrupt. */
    private static BigInteger uint(byte[] data, int word, int bits, String field) throws ReferenceRejection {
        BigInteger v = new BigInteger(1, data, word * WORD, WORD);
        if (v.bitLength() > bits) {
            throw new ReferenceRejection(Kind.MALFORMED, field, "0x" + v.toString(16) + " does not fit uint"
                    + bits, "");
        }
        return v;
    }

    /** A two's-complement signed word. */
    private static BigInteger int256(byte[] data, int word) {
        return new BigInteger(data, word * WORD, WORD);
    }

    private interface Decoder<T> {
        T decode() throws ReferenceRejection;
    }

    private static <T> T withBody(Decoder<T> d, String body) throws ReferenceRejection {
        try {
            return d.decode();
        } catch (ReferenceRejection e) {
            throw e.withRaw(body);
        }
    }
}
