package io.tickerplant.venues.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.ReferencePrice;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** ABI decoding against encodings written out word by word. */
class ChainlinkFeedTest {

    private static final String ZERO = "0000000000000000000000000000000000000000000000000000000000000000";
    /** Phase 6, aggregator round 0x2937: (6 << 64) | 10551, as proxies number their rounds. */
    private static final String ROUND = "0000000000000000000000000000000000000000000000060000000000002937";
    /** 3012.34567890 with 8 decimals: 301234567890 = 0x4622fabad2. */
    private static final String ANSWER = "0000000000000000000000000000000000000000000000000000004622fabad2";
    /** 1700000000 = 0x6553f100. */
    private static final String STARTED = "000000000000000000000000000000000000000000000000000000006553f100";
    /** 1700000012 = 0x6553f10c. */
    private static final String UPDATED = "000000000000000000000000000000000000000000000000000000006553f10c";
    /** -100000000 (-1.00000000) in two's complement. */
    private static final String MINUS_ONE_USD = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffa0a1f00";
    /** The largest uint80. */
    private static final String MAX_UINT80 = "00000000000000000000000000000000000000000000ffffffffffffffffffff";

    private static final Instant RECEIVED = Instant.ofEpochSecond(1_700_000_020L);

    private static ChainlinkFeed feed(Duration maxAge) {
        EthereumRpcClient rpc = new EthereumRpcClient(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:1"),
                Duration.ofSeconds(1));
        return new ChainlinkFeed(rpc, "ETH-USD", "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419", maxAge,
                Clock.fixed(RECEIVED, ZoneOffset.UTC));
    }

    @Test
    void decodesTheFiveWordsOfLatestRoundData() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData("0x" + ROUND + ANSWER + STARTED + UPDATED + ROUND);
        assertThat(r.roundId()).isEqualTo(new BigInteger("110680464442257320247"));
        assertThat(r.answer()).isEqualTo(BigInteger.valueOf(301_234_567_890L));
        assertThat(r.startedAt()).isEqualTo(BigInteger.valueOf(1_700_000_000L));
        assertThat(r.updatedAt()).isEqualTo(BigInteger.valueOf(1_700_000_012L));
        assertThat(r.answeredInRound()).isEqualTo(r.roundId());
    }

    @Test
    void decodesANegativeAnswerAsTwosComplement() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData(
                "0x" + ROUND + MINUS_ONE_USD + STARTED + UPDATED + ROUND);
        assertThat(r.answer()).isEqualTo(BigInteger.valueOf(-100_000_000L));
    }

    @Test
    void decodesTheLargestUint80RoundId() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData(
                "0x" + MAX_UINT80 + ANSWER + STARTED + UPDATED + MAX_UINT80);
        assertThat(r.roundId()).isEqualTo(new BigInteger("1208925819614629174706175"));
    }

    @Test
    void rejectsARoundIdWiderThan80Bits() {
        String tooWide = "0000000000000000000000000000000000000000000100000000000000000000";
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class,
                () -> ChainlinkFeed.decodeRoundData("0x" + tooWide + ANSWER + STARTED + UPDATED + ROUND));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.MALFORMED);
        assertThat(e.field()).isEqualTo("roundId");
    }

    @Test
    void rejectsTruncatedReturnData() {
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class,
                () -> ChainlinkFeed.decodeRoundData("0x" + ROUND + ANSWER + STARTED + UPDATED));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.MALFORMED);
        assertThat(e.getMessage()).contains("128 bytes returned, expected 160");
    }

    @Test
    void decodesDecimalsAndTheDescriptionString() throws Exception {
        assertThat(ChainlinkFeed.decodeDecimals("0x" + ZERO.substring(2) + "08")).isEqualTo(8);
        String description = "0x"
                + "0000000000000000000000000000000000000000000000000000000000000020"
                + "0000000000000000000000000000000000000000000000000000000000000009"
                + "455448202f20555344000000000000000000000000000000000000000000000000";
        assertThat(ChainlinkFeed.decodeString(description.substring(0, 2 + 3 * 64))).isEqualTo("ETH / USD");
        assertThat(ChainlinkFeed.matchesPair("ETH / USD", "ETH-USD")).isTrue();
        assertThat(ChainlinkFeed.matchesPair("BTC / USD", "ETH-USD")).isFalse();
    }

    @Test
    void rejectsAStringWhoseLengthRunsPastTheData() {
        String bad = "0x"
                + "0000000000000000000000000000000000000000000000000000000000000020"
                + "0000000000000000000000000000000000000000000000000000000000000040"
                + "455448202f20555344000000000000000000000000000000000000000000000000".substring(0, 64);
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class, () -> ChainlinkFeed.decodeString(bad));
        assertThat(e.field()).isEqualTo("description");
    }

    @Test
    void priceIsTheAnswerScaledByDecimalsExactly() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData("0x" + ROUND + ANSWER + STARTED + UPDATED + ROUND);
        ReferencePrice p = feed(Duration.ofHours(1)).toPrice(r, 8, RECEIVED, "{}");
        assertThat(Decimals.toPlainString(p.getPrice())).isEqualTo("3012.34567890");
        assertThat(p.getRoundId()).isEqualTo("110680464442257320247");
        assertThat(p.getEventTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_012L));
        assertThat(p.getStartedAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(p.getSource()).isEqualTo("CHAINLINK");
        assertThat(p.getSymbol()).isEqualTo("ETH-USD");
    }

    @Test
    void negativeAnswerIsRejectedNamingTheAnswer() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData(
                "0x" + ROUND + MINUS_ONE_USD + STARTED + UPDATED + ROUND);
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class,
                () -> feed(Duration.ofHours(1)).toPrice(r, 8, RECEIVED, "{\"raw\":1}"));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.NOT_POSITIVE);
        assertThat(e.field()).isEqualTo("answer");
        assertThat(e.raw()).isEqualTo("{\"raw\":1}");
    }

    @Test
    void roundOlderThanTheMaximumAgeIsStale() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData("0x" + ROUND + ANSWER + STARTED + UPDATED + ROUND);
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class,
                () -> feed(Duration.ofSeconds(5)).toPrice(r, 8, RECEIVED, ""));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.STALE);
        assertThat(e.field()).isEqualTo("updatedAt");
        assertThat(e.getMessage()).contains("8 s old");
    }

    @Test
    void incompleteRoundWithZeroUpdatedAtIsStale() throws Exception {
        ChainlinkFeed.RoundData r = ChainlinkFeed.decodeRoundData("0x" + ROUND + ANSWER + STARTED + ZERO + ROUND);
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class,
                () -> feed(Duration.ofHours(1)).toPrice(r, 8, RECEIVED, ""));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.STALE);
    }

    @Test
    void maskedEndpointHidesAKeyInPathOrQuery() {
        assertThat(EthereumRpcClient.mask(URI.create("https://eth-mainnet.g.alchemy.com/v2/SECRETKEY")))
                .isEqualTo("https://eth-mainnet.g.alchemy.com/***").doesNotContain("SECRET");
        assertThat(EthereumRpcClient.mask(URI.create("http://127.0.0.1:8545?apikey=SECRET")))
                .isEqualTo("http://127.0.0.1:8545/***");
        assertThat(EthereumRpcClient.mask(URI.create("http://127.0.0.1:8545"))).isEqualTo("http://127.0.0.1:8545");
    }
}
