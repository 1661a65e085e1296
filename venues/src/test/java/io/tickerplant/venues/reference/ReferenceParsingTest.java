package io.tickerplant.venues.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.ReferencePrice;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON answers of the price APIs, written from their documentation. */
class ReferenceParsingTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:30Z");

    private static String ticker(String price, String lastUpdated) {
        return "{\"id\":\"eth-ethereum\",\"name\":\"Ethereum\",\"symbol\":\"ETH\",\"rank\":2,"
                + "\"last_updated\":\"" + lastUpdated + "\",\"quotes\":{\"USD\":{\"price\":" + price
                + ",\"volume_24h\":12345678901.23,\"percent_change_24h\":-1.2}}}";
    }

    @Test
    void coinpaprikaPriceKeepsEveryDigitOfTheNumberText() throws Exception {
        // 0.1 + 0.2 style digits that a double would change: 3012.4519283746012 has 17 significant digits.
        ReferencePrice p = CoinpaprikaClient.parse("ETH-USD", "eth-ethereum",
                ticker("3012.4519283746012", "2024-05-01T12:00:00Z"), NOW, Duration.ofMinutes(5));
        assertThat(Decimals.toPlainString(p.getPrice())).isEqualTo("3012.4519283746012");
        assertThat(p.getEventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(p.getSourceId()).isEqualTo("eth-ethereum");
        assertThat(p.getRoundId()).isNull();
    }

    @Test
    void moreThanEighteenSignificantDigitsAreRoundedHalfEven() throws Exception {
        ReferencePrice p = CoinpaprikaClient.parse("ETH-USD", "eth-ethereum",
                ticker("3012.4519283746012351", "2024-05-01T12:00:00Z"), NOW, Duration.ofMinutes(5));
        assertThat(Decimals.toPlainString(p.getPrice())).isEqualTo("3012.45192837460124");
    }

    @Test
    void zeroPriceIsRejectedNamingTheField() {
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class, () -> CoinpaprikaClient.parse(
                "ETH-USD", "eth-ethereum", ticker("0", "2024-05-01T12:00:00Z"), NOW, Duration.ofMinutes(5)));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.NOT_POSITIVE);
        assertThat(e.field()).isEqualTo("quotes.USD.price");
    }

    @Test
    void staleLastUpdatedIsRejected() {
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class, () -> CoinpaprikaClient.parse(
                "ETH-USD", "eth-ethereum", ticker("3000.5", "2024-05-01T11:00:00Z"), NOW, Duration.ofMinutes(5)));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.STALE);
        assertThat(e.field()).isEqualTo("last_updated");
    }

    @Test
    void truncatedJsonIsMalformedAndKeepsTheBody() {
        String body = ticker("3000.5", "2024-05-01T12:00:00Z").substring(0, 40);
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class, () -> CoinpaprikaClient.parse(
                "ETH-USD", "eth-ethereum", body, NOW, Duration.ofMinutes(5)));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.MALFORMED);
        assertThat(e.field()).isEqualTo("body");
        assertThat(e.raw()).isEqualTo(body);
    }

    @Test
    void priceGivenAsTextIsMalformed() {
        ReferenceRejection e = catchThrowableOfType(ReferenceRejection.class, () -> CoinpaprikaClient.parse(
                "ETH-USD", "eth-ethereum", ticker("\"3000.5\"", "2024-05-01T12:00:00Z"), NOW,
                Duration.ofMinutes(5)));
        assertThat(e.kind()).isEqualTo(ReferenceRejection.Kind.MALFORMED);
        assertThat(e.field()).isEqualTo("quotes.USD.price");
    }

    @Test
    void coinGeckoRequestAsksForEveryIdWithFullPrecisionAndUpdateTimes() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("ETH-USD", "ethereum");
        ids.put("BTC-USD", "bitcoin");
        ids.put("LINK-USD", "chainlink");
        assertThat(CoinGeckoClient.requestUri(URI.create("https://api.coingecko.com/"), ids)).hasToString(
                "https://api.coingecko.com/api/v3/simple/price?ids=ethereum,bitcoin,chainlink&vs_currencies=usd"
                        + "&include_last_updated_at=true&precision=full");
    }

    @Test
    void defaultIdsCoverTheThreePairsAndOverridesWin() {
        assertThat(ReferenceSource.COINPAPRIKA.ids(java.util.List.of("ETH-USD", "LINK-USD"),
                Map.of("LINK-USD", "link-chainlink2")))
                .containsExactly(Map.entry("ETH-USD", "eth-ethereum"), Map.entry("LINK-USD", "link-chainlink2"));
        assertThat(ReferenceSource.CHAINLINK.defaultId("BTC-USD"))
                .isEqualTo("0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c");
    }
}
