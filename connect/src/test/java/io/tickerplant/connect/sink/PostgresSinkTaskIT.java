package io.tickerplant.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink task against a real PostgreSQL: each topic to its table, bad records to the dead-letter reporter. */
class PostgresSinkTaskIT {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static int databases;

    PostgresSinkTask task;
    Connection sql;
    final List<SinkRecord> deadLetters = new ArrayList<>();
    long offset;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.builder(dir).durable(false).start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void startTask() throws SQLException {
        String db = "sink_" + ++databases;
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db;
        task = new PostgresSinkTask();
        task.initialize(new Context());
        task.start(Map.of(PostgresSinkConfig.CONNECTION_URL, url, PostgresSinkConfig.CONNECTION_USER, pg.user(),
                PostgresSinkConfig.CONNECTION_PASSWORD, pg.password()));
        sql = java.sql.DriverManager.getConnection(url, pg.user(), pg.password());
    }

    @AfterEach
    void stopTask() throws SQLException {
        task.stop();
        sql.close();
    }

    @Test
    void tradesAndCandlesInOneBatchGoToTheirTables() throws SQLException {
        task.put(List.of(record("tp.trades", AvroSerdes.encode(trade("1"))),
                record("tp.candles", AvroSerdes.encode(candle(1, T0.plusSeconds(1), false))),
                record("tp.trades", AvroSerdes.encode(trade("2")))));

        assertThat(rows("SELECT trade_id FROM trades ORDER BY 1")).containsExactly("1", "2");
        assertThat(rows("SELECT venue || ' ' || trade_count || ' ' || final FROM candles")).containsExactly(
                "BINANCE 1 false");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void laterUpdatesOfABarOverwriteItsRowAndOlderOnesDoNot() throws SQLException {
        task.put(List.of(record("tp.candles", AvroSerdes.encode(candle(1, T0.plusSeconds(1), false))),
                record("tp.candles", AvroSerdes.encode(candle(2, T0.plusSeconds(2), false)))));
        task.put(List.of(record("tp.candles", AvroSerdes.encode(candle(3, T0.plusSeconds(3), true)))));
        task.put(List.of(record("tp.candles", AvroSerdes.encode(candle(2, T0.plusSeconds(2), false)))));

        assertThat(rows("SELECT trade_count || ' ' || final FROM candles")).containsExactly("3 true");
    }

    @Test
    void anUndecodableOrUnstorableCandleIsADeadLetterAndTheRestIsWritten() throws SQLException {
        Candle unstorable = candle(1, T0, false);
        unstorable.setInterval("1m\0"); // PostgreSQL text cannot hold NUL
        SinkRecord garbage = record("tp.candles", new byte[] {1, 2, 3});
        SinkRecord trade = record("tp.candles", AvroSerdes.encode(trade("9")));
        SinkRecord nul = record("tp.candles", AvroSerdes.encode(unstorable));

        task.put(List.of(garbage, trade, nul,
                record("tp.candles", AvroSerdes.encode(candle(5, T0.plusSeconds(1), false)))));

        assertThat(deadLetters).containsExactly(garbage, trade, nul);
        assertThat(rows("SELECT venue || ' ' || trade_count FROM candles")).containsExactly("BINANCE 5");
    }

    @Test
    void aRecordOfAnotherTopicIsADeadLetter() {
        SinkRecord other = record("tp.quotes", AvroSerdes.encode(trade("1")));

        task.put(List.of(other));

        assertThat(deadLetters).containsExactly(other);
    }

    private static Trade trade(String id) {
        return Trade.newBuilder().setVenue("BINANCE").setSymbol("BTC-USDT").setVenueSymbol("BTCUSDT")
                .setEventTime(T0).setReceiveTime(T0.plusMillis(3)).setTradeId(id)
                .setPrice(Decimals.parse("60000.10")).setSize(Decimals.parse("0.5")).setSide(Side.BUY).build();
    }

    private static Candle candle(long count, Instant updateTime, boolean isFinal) {
        return Candle.newBuilder().setVenue("BINANCE").setSymbol("BTC-USDT").setInterval("1m")
                .setBucketStart(T0).setBucketEnd(T0.plusSeconds(60))
                .setOpen(Decimals.parse("1")).setHigh(Decimals.parse("2")).setLow(Decimals.parse("1"))
                .setClose(Decimals.parse("2")).setVolume(Decimals.parse(count + ".0"))
                .setBuyVolume(Decimals.parse("0")).setSellVolume(Decimals.parse("0"))
                .setQuoteVolume(Decimals.parse("1.5")).setTradeCount(count).setVwap(Decimals.parse("1.5"))
                .setFirstTradeTime(T0).setLastTradeTime(T0.plusSeconds(30)).setFinalBar(isFinal)
                .setUpdateTime(updateTime).build();
    }

    private SinkRecord record(String topic, byte[] value) {
        return new SinkRecord(topic, 0, Schema.STRING_SCHEMA, "BINANCE:BTC-USDT", Schema.BYTES_SCHEMA, value,
                offset++, T0.toEpochMilli(), TimestampType.CREATE_TIME);
    }

    private List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = sql.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private final class Context implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return (record, error) -> {
                deadLetters.add(record);
                return CompletableFuture.completedFuture(null);
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
