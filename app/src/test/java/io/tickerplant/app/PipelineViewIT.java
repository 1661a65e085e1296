package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.WebComponent;
import io.tickerplant.emulator.binance.BinanceEmulator;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/pipeline} and the pipeline meters on the real platform: every connector running, Binance's events
 * counted, the sink's lag and latency measured, the latency to a live browser recorded, and a dropped connection
 * showing up as a disconnect (or gap) of the venue.
 */
class PipelineViewIT {

    @TempDir
    static Path dataDir;
    static BinanceEmulator emulator;
    static EmbeddedPlatform platform;
    static String web;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        emulator = PipelineFixture.emulator(50);
        platform = PipelineFixture.start(dataDir, emulator);
        WebComponent component = platform.find(WebComponent.class).orElseThrow();
        web = component.endpoint().orElseThrow();
        // Counting starts at the topics' end: open the market only once the monitor sits there.
        await().atMost(Duration.ofSeconds(30)).until(() -> component.server().pipelineMonitorReady()
                && component.server().livePushReady());
        PipelineFixture.openMarket(emulator);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    static JsonNode pipeline() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(web + "/api/pipeline")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static JsonNode venue(JsonNode pipeline, String name) {
        for (JsonNode v : pipeline.get("venues")) {
            if (v.get("venue").asText().equals(name)) {
                return v;
            }
        }
        return json.createObjectNode();
    }

    static String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(web + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void thePipelineViewShowsRunningConnectorsCountedEventsLagLatencyAndThenTheDroppedConnection() throws Exception {
        readLiveTrades(3);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode p = pipeline();
            List<String> states = new ArrayList<>();
            p.get("connectors").forEach(c -> {
                states.add(c.get("name").asText() + " " + c.get("state").asText());
                c.get("tasks").forEach(t -> states.add(c.get("name").asText() + "/" + t.get("id").asInt() + " "
                        + t.get("state").asText()));
            });
            assertThat(states).as("connectors").contains("binance-source RUNNING", "postgres-sink RUNNING",
                    "binance-source/0 RUNNING", "postgres-sink/0 RUNNING").allMatch(s -> s.endsWith(" RUNNING"));
            JsonNode binance = venue(p, "BINANCE");
            assertThat(binance.path("events").asLong()).as("BINANCE events").isPositive();
            assertThat(p.at("/sink/rowsLastMinute").asLong()).as("sink rows").isPositive();
            assertThat(p.at("/sink/latencyP50Ms").isNumber()).as("sink latency").isTrue();
            JsonNode sinkLag = null;
            for (JsonNode l : p.get("consumerLag")) {
                if (l.get("group").asText().equals("connect-postgres-sink")) {
                    sinkLag = l;
                }
            }
            assertThat(sinkLag).isNotNull();
            assertThat(sinkLag.get("lag").isNumber()).as("sink lag measured: %s", sinkLag).isTrue();
            assertThat(p.get("problems")).as("problems").isEmpty();
        });
        String metrics = metrics();
        assertThat(metrics).contains("tickerplant_pipeline_events_total{topic=\"tp.trades\",venue=\"BINANCE\"}")
                .contains("tickerplant_pipeline_consumer_lag{group=\"connect-postgres-sink\"}")
                .contains("tickerplant_pipeline_sink_latency_ms{quantile=\"0.99\"}");
        assertThat(metrics).as("receive -> browser latency").containsPattern(
                "tickerplant_live_push_latency_seconds_count\\{type=\"trade\"\\} [1-9]");

        emulator.dropConnections();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode binance = venue(pipeline(), "BINANCE");
            assertThat(binance.path("disconnects").asLong() + binance.path("gaps").asLong())
                    .as("disconnects + gaps of %s", binance).isPositive();
        });
        assertThat(metrics()).containsPattern(
                "tickerplant_pipeline_feed_disconnects_total\\{venue=\"BINANCE\"\\} [1-9]");
    }

    /** Reads {@code n} trade events from the live stream, so that the push latency has been recorded. */
    private static void readLiveTrades(int n) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
                        URI.create(web + "/api/stream?symbol=BTC-USDT&types=trades"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            int trades = 0;
            String line;
            while (trades < n && (line = in.readLine()) != null) {
                if (line.equals("event: trade")) {
                    trades++;
                }
            }
            assertThat(trades).isEqualTo(n);
        }
    }
}
