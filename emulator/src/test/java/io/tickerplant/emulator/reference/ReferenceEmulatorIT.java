package io.tickerplant.emulator.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReferenceEmulatorIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private ReferenceEmulator emulator;

    @BeforeEach
    void start() {
        emulator = ReferenceEmulator.builder().generate(false).start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.uri() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ethCall(String to, String data) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_call\",\"params\":[{\"to\":\"" + to
                + "\",\"data\":\"" + data + "\"},\"latest\"]}";
        return http.send(HttpRequest.newBuilder(emulator.rpcUri("KEY")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersLatestRoundDataForTheMainnetProxyWithTheGroundTruthRound() throws Exception {
        String proxy = ReferenceEmulator.MAINNET_PROXIES.get("ETH-USD").toLowerCase();
        HttpResponse<String> r = ethCall(proxy, "0xfeaf968c");
        assertThat(r.statusCode()).isEqualTo(200);
        OracleRound round = emulator.rounds("ETH-USD").get(0);
        assertThat(r.body()).contains("\"id\":7").contains(ReferenceEmulator.word(round.roundId())
                + ReferenceEmulator.word(java.math.BigInteger.valueOf(round.answer())));
        assertThat(emulator.served(ReferenceSourceId.CHAINLINK)).singleElement()
                .satisfies(s -> assertThat(s.roundId()).isEqualTo(round.roundId()));
    }

    @Test
    void revertsAnUnknownSelectorAndInjectedRevert() throws Exception {
        String proxy = ReferenceEmulator.MAINNET_PROXIES.get("BTC-USD");
        assertThat(ethCall(proxy, "0x12345678").body()).contains("\"code\":3").contains("execution reverted");
        emulator.inject(ReferenceSourceId.CHAINLINK, ReferenceFault.REVERTED, 1);
        assertThat(ethCall(proxy, "0xfeaf968c").body()).contains("execution reverted");
        assertThat(ethCall(proxy, "0xfeaf968c").body()).contains("\"result\":\"0x");
    }

    @Test
    void coinGeckoAndCoinpaprikaAnswerInTheirShapesAndRateLimitWithRetryAfter() throws Exception {
        HttpResponse<String> cg = get("/api/v3/simple/price?ids=ethereum,bitcoin&vs_currencies=usd"
                + "&include_last_updated_at=true&precision=full");
        assertThat(cg.body()).matches("\\{\"ethereum\":\\{\"usd\":[0-9.]+,\"last_updated_at\":[0-9]+},"
                + "\"bitcoin\":\\{\"usd\":[0-9.]+,\"last_updated_at\":[0-9]+}}");
        HttpResponse<String> cp = get("/v1/tickers/link-chainlink");
        assertThat(cp.body()).contains("\"quotes\":{\"USD\":{\"price\":").contains("\"last_updated\":\"");
        emulator.inject(ReferenceSourceId.COINPAPRIKA, ReferenceFault.RATE_LIMITED, 1);
        HttpResponse<String> limited = get("/v1/tickers/link-chainlink");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get("/v1/tickers/nope-nope").statusCode()).isEqualTo(404);
    }
}
