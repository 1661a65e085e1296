package io.tickerplant.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the monitor makes of records, fed by hand (no Kafka, no database: it is never started). */
class PipelineMonitorTest {

    final Topics topics = Topics.defaults();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final PipelineMonitor monitor = new PipelineMonitor(null, topics, () -> {
        throw new SQLException("no database here");
    }, PipelineSources.none(), metrics);
    long offset;

    ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset++, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value);
    }

    void status(String venue, String symbol, String channel, FeedState state, String at, String detail) {
        Instant t = Instant.parse(at);
        FeedStatus f = new FeedStatus(venue, symbol, null, t, t, state, detail, channel, null, null);
        monitor.record(record(topics.feedStatus(), symbol == null ? venue : venue + ":" + symbol,
                AvroSerdes.encode(f)));
    }

    @Test
    void recordsAreCountedPerTopicAndVenueFromTheirKeys() {
        monitor.record(record(topics.trades(), "BINANCE:BTC-USDT", new byte[0]));
        monitor.record(record(topics.trades(), "BINANCE:ETH-USDT", new byte[0]));
        monitor.record(record(topics.book(), "KRAKEN:BTC-USD", new byte[0]));
        monitor.record(record(topics.trades(), "not a venue", new byte[0]));
        PipelineReport r = monitor.report();
        assertThat(r.topics()).filteredOn(t -> t.topic().equals("tp.trades")).singleElement()
                .extracting(PipelineReport.TopicFigures::total).isEqualTo(3L);
        assertThat(r.venues()).extracting(PipelineReport.VenueFigures::venue).containsExactly("BINANCE", "KRAKEN");
        assertThat(r.venues().get(0).events()).isEqualTo(2);
        assertThat(metrics.get("tickerplant.pipeline.events").tags("topic", "tp.trades", "venue", "BINANCE")
                .counter().count()).isEqualTo(2);
        assertThat(metrics.get("tickerplant.pipeline.events").tags("topic", "tp.trades", "venue", "-")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void feedStatusesCountGapsAndDisconnectsAndAReconnectionClearsTheDisconnection() {
        status("COINBASE", null, null, FeedState.DISCONNECTED, "2026-05-01T12:00:00Z", "closed by the venue");
        status("COINBASE", "BTC-USD", "trades", FeedState.GAP, "2026-05-01T12:00:01Z", "trades 5..9 missed");
        PipelineReport.VenueFigures v = monitor.report().venues().get(0);
        assertThat(v.disconnects()).isEqualTo(1);
        assertThat(v.gaps()).isEqualTo(1);
        assertThat(v.lastStatus()).isEqualTo("GAP");
        assertThat(v.lastStatusDetail()).isEqualTo("trades 5..9 missed");
        assertThat(v.openStatuses()).extracting(PipelineReport.OpenStatus::status)
                .containsExactlyInAnyOrder("DISCONNECTED", "GAP");
        assertThat(metrics.get("tickerplant.pipeline.feed.status").tags("venue", "COINBASE", "status", "GAP")
                .gauge().value()).isEqualTo(1);

        status("COINBASE", null, null, FeedState.CONNECTED, "2026-05-01T12:00:02Z", "connected");
        v = monitor.report().venues().get(0);
        assertThat(v.lastStatus()).isEqualTo("CONNECTED");
        // The gap stays in force for its window: reconnecting does not bring lost trades back by itself.
        assertThat(v.openStatuses()).extracting(PipelineReport.OpenStatus::status).containsExactly("GAP");
        assertThat(metrics.get("tickerplant.pipeline.feed.gaps").tags("venue", "COINBASE").counter().count())
                .isEqualTo(1);
    }

    @Test
    void deadLettersGiveTheirReasonFromOurHeadersOrConnectOnes() {
        var ours = record(topics.deadLetters(), null, new byte[] {1});
        ours.headers().add(DeadLetters.REASON, "malformed frame".getBytes(StandardCharsets.UTF_8));
        ours.headers().add(DeadLetters.STAGE, "source:BINANCE".getBytes(StandardCharsets.UTF_8));
        monitor.record(ours);
        assertThat(monitor.report().deadLetters().lastReason()).isEqualTo("malformed frame");
        var connects = record(topics.deadLetters(), "BINANCE:BTC-USDT", new byte[] {2});
        connects.headers().add("__connect.errors.exception.message", "bad decimal".getBytes(StandardCharsets.UTF_8));
        connects.headers().add("__connect.errors.connector.name", "postgres-sink".getBytes(StandardCharsets.UTF_8));
        monitor.record(connects);
        PipelineReport.DeadLetterFigures dl = monitor.report().deadLetters();
        assertThat(dl.total()).isEqualTo(2);
        assertThat(dl.lastReason()).isEqualTo("bad decimal");
        assertThat(dl.lastStage()).isEqualTo("connect:postgres-sink");
        assertThat(metrics.get("tickerplant.pipeline.deadletters").tags("stage", "source:BINANCE").counter().count())
                .isEqualTo(1);
    }
}
