package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.VenueDeviation;
import io.tickerplant.server.pipeline.PipelineSources;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.streams.LiveState;
import io.tickerplant.streams.LiveStateUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/live/*} over a {@link LiveState} double: the JSON, and 400, 404 and 503 each for its reason. */
class LiveStateEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant T = Instant.parse("2026-03-02T10:01:00Z");

    static volatile boolean rebalancing;
    static WebServer server;
    static WebServer withoutStreams;

    /** BTC-USDT has state; anything else has none; while {@link #rebalancing}, nothing can be asked. */
    static final LiveState LIVE = new LiveState() {
        @Override
        public Optional<Candle> latestCandle(String venue, String symbol, String interval) {
            check();
            return symbol.equals("BTC-USDT") ? Optional.of(candle(venue, interval)) : Optional.empty();
        }

        @Override
        public Optional<Bbo> latestBbo(String symbol) {
            check();
            return symbol.equals("BTC-USDT") ? Optional.of(Bbo.newBuilder().setSymbol(symbol).setEventTime(T)
                    .setBestBid(Decimals.parse("100.10")).setBestBidSize(Decimals.parse("1.5")).setBestBidVenue("KRAKEN")
                    .setBestAsk(null).setBestAskSize(null).setBestAskVenue(null).setSpread(null).setSpreadBps(null)
                    .setCrossed(false).setVenues(List.of("BINANCE", "KRAKEN")).setExcluded(List.of("BINANCE: GAP"))
                    .build()) : Optional.empty();
        }

        @Override
        public Optional<IndexPrice> latestIndex(String symbol) {
            check();
            return symbol.equals("BTC-USDT") ? Optional.of(IndexPrice.newBuilder().setSymbol(symbol).setEventTime(T)
                    .setPrice(Decimals.parse("100.20")).setMethod("median-mid").setVenues(List.of("KRAKEN"))
                    .setDeviations(List.of(new VenueDeviation("KRAKEN", Decimals.parse("100.20"), 0.0)))
                    .setExcluded(List.of()).build()) : Optional.empty();
        }

        @Override
        public List<String> candleIntervals() {
            return List.of("1s", "1m");
        }

        private void check() {
            if (rebalancing) {
                throw new LiveStateUnavailableException("the state store candles-all-1m cannot be queried now",
                        new InvalidStateStoreException("rebalancing"));
            }
        }
    };

    static Candle candle(String venue, String interval) {
        return Candle.newBuilder().setVenue(venue).setSymbol("BTC-USDT").setInterval(interval).setBucketStart(T)
                .setBucketEnd(T.plusSeconds(60)).setOpen(Decimals.parse("100.00")).setHigh(Decimals.parse("101.50"))
                .setLow(Decimals.parse("99.00")).setClose(Decimals.parse("101.00")).setVolume(Decimals.parse("3.0"))
                .setBuyVolume(Decimals.parse("2.0")).setSellVolume(Decimals.parse("1.0"))
                .setQuoteVolume(Decimals.parse("302.00")).setTradeCount(3).setVwap(Decimals.parse("100.6667"))
                .setFirstTradeTime(T.plusMillis(5)).setLastTradeTime(T.plusMillis(900)).setFinalBar(false)
                .setUpdateTime(T.plusSeconds(1)).build();
    }

    @BeforeAll
    static void start() {
        server = new WebServer("127.0.0.1", 0, () -> {
            throw new SQLException("no database in this test");
        }, () -> Map.of("status", "UP"), null, null, NamedQueries.builtIn(), PipelineSources.none(), LIVE).start();
        withoutStreams = new WebServer("127.0.0.1", 0, () -> {
            throw new SQLException("no database in this test");
        }, () -> Map.of("status", "UP")).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        withoutStreams.close();
    }

    private static HttpResponse<String> get(WebServer s, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCandleIsServedWithExactAmountsAndTheDefaultsAllAndOneMinute() throws Exception {
        HttpResponse<String> r = get(server, "/api/live/candle?symbol=btc-usdt");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.get("venue").asText()).isEqualTo("ALL");
        assertThat(c.get("interval").asText()).isEqualTo("1m");
        assertThat(c.get("bucketStart").asText()).isEqualTo("2026-03-02T10:01:00Z");
        assertThat(c.get("close").asText()).isEqualTo("101.00");
        assertThat(c.get("vwap").asText()).isEqualTo("100.6667");
        assertThat(c.get("tradeCount").asLong()).isEqualTo(3);
        assertThat(c.has("finalBar")).isFalse();

        JsonNode venue = JSON.readTree(get(server, "/api/live/candle?symbol=BTC-USDT&venue=kraken&interval=1s").body());
        assertThat(venue.get("venue").asText()).isEqualTo("KRAKEN");
        assertThat(venue.get("interval").asText()).isEqualTo("1s");
    }

    @Test
    void theBboAndIndexAreServed() throws Exception {
        JsonNode b = JSON.readTree(get(server, "/api/live/bbo?symbol=BTC-USDT").body());
        assertThat(b.get("bestBid").asText()).isEqualTo("100.10");
        assertThat(b.get("bestAsk").isNull()).isTrue();
        assertThat(b.get("excluded").get(0).asText()).isEqualTo("BINANCE: GAP");
        JsonNode i = JSON.readTree(get(server, "/api/live/index?symbol=BTC-USDT").body());
        assertThat(i.get("price").asText()).isEqualTo("100.20");
        assertThat(i.get("deviations").get(0).get("mid").asText()).isEqualTo("100.20");
    }

    @Test
    void noStateYetIsA404SayingForWhat() throws Exception {
        HttpResponse<String> r = get(server, "/api/live/candle?symbol=ETH-USDT&venue=BINANCE");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("ETH-USDT", "BINANCE", "1m");
        assertThat(get(server, "/api/live/bbo?symbol=ETH-USDT").statusCode()).isEqualTo(404);
        assertThat(get(server, "/api/live/index?symbol=ETH-USDT").statusCode()).isEqualTo(404);
    }

    @Test
    void badParametersAreA400NamingThem() throws Exception {
        assertBad("/api/live/candle", "symbol");
        assertBad("/api/live/candle?symbol=BTC-USDT&interval=5m", "interval");
        assertBad("/api/live/candle?symbol=BTC-USDT&interval=fortnight", "interval");
        assertBad("/api/live/candle?symbol=BTC-USDT&venue=NOWHERE", "venue");
        assertBad("/api/live/bbo?symbol=", "symbol");
        assertBad("/api/live/index?symbol=BTC", "symbol");
    }

    private static void assertBad(String pathAndQuery, String parameter) throws Exception {
        HttpResponse<String> r = get(server, pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("parameter").asText()).as(pathAndQuery).isEqualTo(parameter);
    }

    @Test
    void storesThatCannotAnswerAndAServerWithoutStreamsAreA503() throws Exception {
        rebalancing = true;
        try {
            HttpResponse<String> r = get(server, "/api/live/candle?symbol=BTC-USDT");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains("candles-all-1m");
        } finally {
            rebalancing = false;
        }
        HttpResponse<String> none = get(withoutStreams, "/api/live/bbo?symbol=BTC-USDT");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(none.body()).get("error").asText()).contains("no Streams");
    }
}
