package io.tickerplant.connect.sink;

import io.tickerplant.connect.Versions;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.Alert;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.LiquidationStats;
import io.tickerplant.model.avro.Bbo;
import io.tickerplant.model.avro.Candle;
import io.tickerplant.model.avro.IndexPrice;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.AccuracyWriter;
import io.tickerplant.store.AlertWriter;
import io.tickerplant.store.FundingWriter;
import io.tickerplant.store.LiquidationStatsWriter;
import io.tickerplant.store.LiquidationWriter;
import io.tickerplant.store.BboWriter;
import io.tickerplant.store.CandleWriter;
import io.tickerplant.store.IndexPriceWriter;
import io.tickerplant.store.ReferencePriceWriter;
import io.tickerplant.store.ConnectionFactory;
import io.tickerplant.store.InvalidTradeException;
import io.tickerplant.store.SqlErrors;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.TradeWriter;
import io.tickerplant.store.WriteResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch Connect hands to {@link #put} durably before returning, so the offsets Connect commits after
 * it never run ahead of the database. {@code <prefix>trades} goes to {@code trades} (insert once per trade),
 * {@code <prefix>candles} to {@code candles} (upsert: the newest update of each bar wins); within a batch trades
 * are written first, and a batch retried after a failure rewrites both idempotently. A database that is down makes the batch retry (Connect redelivers it after
 * {@code retry.backoff.ms}, for as long as it takes); a record that cannot be decoded or stored goes to the
 * dead-letter topic with the reason, and the rest of the batch is written.
 */
public class PostgresSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(PostgresSinkTask.class);

    private PostgresSinkConfig config;
    private ConnectionFactory connections;
    private TradeWriter writer;
    private CandleWriter candleWriter;
    private ReferencePriceWriter priceWriter;
    private BboWriter bboWriter;
    private IndexPriceWriter indexWriter;
    private AccuracyWriter accuracyWriter;
    private AlertWriter alertWriter;
    private LiquidationWriter liquidationWriter;
    private FundingWriter fundingWriter;
    private LiquidationStatsWriter liquidationStatsWriter;
    private ErrantRecordReporter deadLetters;
    private boolean schemaReady;
    private int consecutiveFailures;

    @Override
    public String version() {
        return Versions.current();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new PostgresSinkConfig(props);
        deadLetters = context.errantRecordReporter();
        Properties p = new Properties();
        // Set only when configured, so that credentials in the URL (?user=&password=) keep working.
        if (!config.user().isEmpty()) {
            p.setProperty("user", config.user());
        }
        if (!config.password().value().isEmpty()) {
            p.setProperty("password", config.password().value());
        }
        p.setProperty("ApplicationName", "tickerplant-sink");
        p.setProperty("tcpKeepAlive", "true");
        String url = config.url();
        connections = () -> DriverManager.getConnection(url, p);
        writer = new TradeWriter(connections);
        candleWriter = new CandleWriter(connections);
        priceWriter = new ReferencePriceWriter(connections);
        bboWriter = new BboWriter(connections);
        indexWriter = new IndexPriceWriter(connections);
        accuracyWriter = new AccuracyWriter(connections);
        alertWriter = new AlertWriter(connections);
        liquidationWriter = new LiquidationWriter(connections);
        fundingWriter = new FundingWriter(connections);
        liquidationStatsWriter = new LiquidationStatsWriter(connections);
        try {
            ensureSchema();
        } catch (SQLException e) {
            // Not fatal: put() keeps retrying until the database is there.
            log.warn("PostgreSQL at {} not reachable yet ({}); will retry", url, SqlErrors.describe(e));
        }
    }

    private void ensureSchema() throws SQLException {
        if (!schemaReady) {
            try (Connection c = connections.connect()) {
                StoreSchema.Result r = StoreSchema.migrate(c);
                log.info("PostgreSQL schema at version {} ({} layout)", r.version(), r.layout());
            }
            schemaReady = true;
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Trade> trades = new ArrayList<>(records.size());
        List<SinkRecord> tradeRecords = new ArrayList<>(records.size());
        List<Candle> candles = new ArrayList<>();
        List<ReferencePrice> prices = new ArrayList<>();
        List<Bbo> bbos = new ArrayList<>();
        List<IndexPrice> indexPrices = new ArrayList<>();
        List<Accuracy> accuracies = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<Liquidation> liquidations = new ArrayList<>();
        List<Funding> fundings = new ArrayList<>();
        List<LiquidationStats> liquidationStats = new ArrayList<>();
        String tradesTopic = config.topics().trades();
        String candlesTopic = config.topics().candles();
        String pricesTopic = config.topics().refPrices();
        String bboTopic = config.topics().bbo();
        String indexTopic = config.topics().index();
        String accuracyTopic = config.topics().accuracy();
        String alertsTopic = config.topics().alerts();
        String liquidationsTopic = config.topics().liquidations();
        String fundingTopic = config.topics().funding();
        String liquidationStatsTopic = config.topics().liquidationStats();
        for (SinkRecord r : records) {
            try {
                if (tradesTopic.equals(r.topic())) {
                    trades.add(AvroSerdes.decode(Trade.class, valueBytes(r)));
                    tradeRecords.add(r);
                } else if (candlesTopic.equals(r.topic())) {
                    Candle c = AvroSerdes.decode(Candle.class, valueBytes(r));
                    requireStorable(CandleWriter.problemWith(c), "candle");
                    candles.add(c);
                } else if (pricesTopic.equals(r.topic())) {
                    prices.add(AvroSerdes.decode(ReferencePrice.class, valueBytes(r)));
                } else if (bboTopic.equals(r.topic())) {
                    Bbo b = AvroSerdes.decode(Bbo.class, valueBytes(r));
                    requireStorable(BboWriter.problemWith(b), "BBO");
                    bbos.add(b);
                } else if (indexTopic.equals(r.topic())) {
                    IndexPrice p = AvroSerdes.decode(IndexPrice.class, valueBytes(r));
                    requireStorable(IndexPriceWriter.problemWith(p), "index price");
                    indexPrices.add(p);
                } else if (accuracyTopic.equals(r.topic())) {
                    accuracies.add(AvroSerdes.decode(Accuracy.class, valueBytes(r)));
                } else if (alertsTopic.equals(r.topic())) {
                    alerts.add(AvroSerdes.decode(Alert.class, valueBytes(r)));
                } else if (liquidationsTopic.equals(r.topic())) {
                    liquidations.add(AvroSerdes.decode(Liquidation.class, valueBytes(r)));
                } else if (fundingTopic.equals(r.topic())) {
                    fundings.add(AvroSerdes.decode(Funding.class, valueBytes(r)));
                } else if (liquidationStatsTopic.equals(r.topic())) {
                    liquidationStats.add(AvroSerdes.decode(LiquidationStats.class, valueBytes(r)));
                } else {
                    throw new IllegalArgumentException("no table for topic " + r.topic());
                }
            } catch (SerializationException | IllegalArgumentException e) {
                deadLetter(r, e);
            }
        }
        write(trades, tradeRecords);
        writeAll(candles, "candles", candleWriter::write);
        writeAll(prices, "reference prices", priceWriter::write);
        writeAll(bbos, "BBO updates", bboWriter::write);
        writeAll(indexPrices, "index prices", indexWriter::write);
        writeAll(accuracies, "accuracy rows", accuracyWriter::write);
        writeAll(alerts, "alerts", alertWriter::write);
        writeAll(liquidations, "liquidations", liquidationWriter::write);
        writeAll(fundings, "funding updates", fundingWriter::write);
        writeAll(liquidationStats, "liquidation statistics", liquidationStatsWriter::write);
    }

    /** A record its writer says it cannot store is a dead letter with the writer's reason. */
    private static void requireStorable(String problem, String what) {
        if (problem != null) {
            throw new IllegalArgumentException(what + " cannot be stored: " + problem);
        }
    }

    /** The part of a writer this task needs: write a batch durably, idempotently. */
    @FunctionalInterface
    private interface BatchWrite<T> {
        void write(List<T> batch) throws SQLException;
    }

    private <T> void writeAll(List<T> batch, String what, BatchWrite<T> writer) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            ensureSchema();
            writer.write(batch);
            resumed();
        } catch (SQLException e) {
            throw failure(e, batch.size() + " " + what);
        }
    }

    private void resumed() {
        if (consecutiveFailures > 0) {
            log.info("PostgreSQL writes resumed after {} failed attempts", consecutiveFailures);
            consecutiveFailures = 0;
        }
    }

    /** A ConnectException for what will fail again, or a RetriableException (after a backoff) for the rest. */
    private ConnectException failure(SQLException e, String batch) {
        if (!SqlErrors.isRetriable(e)) {
            return new ConnectException("PostgreSQL rejected a batch of " + batch + ": " + SqlErrors.describe(e), e);
        }
        consecutiveFailures++;
        log.warn("PostgreSQL write failed (attempt {}): {}; the batch of {} is retried in {} ms",
                consecutiveFailures, SqlErrors.describe(e), batch, config.retryBackoffMs());
        context.timeout(config.retryBackoffMs());
        return new RetriableException("PostgreSQL unavailable: " + SqlErrors.describe(e), e);
    }

    private void write(List<Trade> trades, List<SinkRecord> tradeRecords) {
        while (!trades.isEmpty()) {
            try {
                ensureSchema();
                WriteResult result = writer.write(trades);
                resumed();
                if (result.duplicates() > 0) {
                    log.debug("{} redelivered trades were already stored", result.duplicates());
                }
                return;
            } catch (InvalidTradeException e) {
                // Nothing was written: set the bad trade aside and write the rest.
                deadLetter(tradeRecords.remove(e.index()), e);
                trades.remove(e.index());
            } catch (SQLException e) {
                throw failure(e, trades.size() + " trades");
            }
        }
    }

    private static byte[] valueBytes(SinkRecord r) {
        if (r.value() instanceof byte[] b) {
            return b;
        }
        throw new IllegalArgumentException("record value is "
                + (r.value() == null ? "null" : r.value().getClass().getSimpleName())
                + ", expected bytes: configure value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    }

    private void deadLetter(SinkRecord r, Exception reason) {
        if (deadLetters == null) {
            throw new ConnectException("cannot store record " + r.topic() + "/" + r.kafkaPartition() + "@"
                    + r.kafkaOffset() + " and no dead-letter topic is configured (errors.tolerance=all,"
                    + " errors.deadletterqueue.topic.name): " + reason.getMessage(), reason);
        }
        log.warn("record {}/{}@{} sent to the dead-letter topic: {}", r.topic(), r.kafkaPartition(), r.kafkaOffset(),
                reason.getMessage());
        deadLetters.report(r, reason);
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
        for (AutoCloseable w : new AutoCloseable[] {priceWriter, bboWriter, indexWriter, accuracyWriter, alertWriter,
                liquidationWriter, fundingWriter, liquidationStatsWriter}) {
            if (w != null) {
                try {
                    w.close();
                } catch (Exception e) {
                    log.debug("closing a writer failed", e);
                }
            }
        }
        if (candleWriter != null) {
            candleWriter.close();
        }
    }
}
