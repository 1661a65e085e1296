package io.tickerplant.app.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.server.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live push end to end: a trade produced to Kafka reaches a browser subscribed over Server-Sent Events. */
class LivePushIT {

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;
    static WebServer server;
    static final Topics topics = new Topics("lp.");

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).port(0).start();
        try (TopicAdmin admin = new TopicAdmin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
            admin.ensureTopics(topics.all(), 2, (short) 1);
        }
        server = new WebServer("127.0.0.1", 0, () -> {
            throw new SQLException("no database in this test");
        }, () -> Map.of("status", "UP"), broker.bootstrapServers(), topics).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aProducedTradeReachesAnSseSubscriberOfItsSymbolOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/stream?symbol=BTC-USDT&types=trades,feedstatus")).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(response.body(), events), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("hello ");
            await().atMost(Duration.ofSeconds(30)).until(server::livePushReady);

            try (KafkaProducer<String, Trade> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), AvroSerdes.serializer())) {
                producer.send(new ProducerRecord<>(topics.trades(), "BINANCE:ETH-USDT", trade("ETH-USDT", "1")));
                producer.send(new ProducerRecord<>(topics.trades(), "BINANCE:BTC-USDT", trade("BTC-USDT", "42")));
                producer.flush();
            }
            String event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("the BTC-USDT trade, not the ETH-USDT one").startsWith("trade ");
            JsonNode trade = new ObjectMapper().readTree(event.substring("trade ".length()));
            assertThat(trade.get("symbol").asText()).isEqualTo("BTC-USDT");
            assertThat(trade.get("tradeId").asText()).isEqualTo("42");
            assertThat(trade.get("price").asText()).isEqualTo("60000.10000000");
            assertThat(events.poll(1, TimeUnit.SECONDS)).isNull();

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("tickerplant_live_subscribers 1.0")
                    .contains("tickerplant_live_events_pushed_total{type=\"trade\"} 1.0");
        } finally {
            response.body().close();
        }
    }

    private static Trade trade(String symbol, String id) {
        Instant t = Instant.now();
        return Trade.newBuilder().setVenue("BINANCE").setSymbol(symbol).setVenueSymbol(symbol.replace("-", ""))
                .setEventTime(t).setReceiveTime(t).setTradeId(id).setPrice(Decimals.parse("60000.10000000"))
                .setSize(Decimals.parse("0.001")).setSide(Side.BUY).build();
    }

    /** "name data" per SSE event; comments are skipped. */
    private static void readEvents(Stream<String> lines, BlockingQueue<String> out) {
        String[] name = {"message"};
        try {
            lines.forEach(line -> {
                if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    out.add(name[0] + " " + line.substring(5).trim());
                    name[0] = "message";
                }
            });
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
    }
}
