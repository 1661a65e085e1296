package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.ReferencePrice;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;

/**
 * Writes reference prices: oracle rounds (a price with a round id) into {@code contract_price}, API quotes into
 * {@code api_price}, at most once per primary key, so a redelivered batch stores nothing the second time.
 *
 * <p>Batched INSERT ... ON CONFLICT DO NOTHING in one transaction per batch: at a few rows a minute per source, COPY
 * (as {@link TradeWriter} uses) would buy nothing. A failed batch is rolled back completely; after a lost connection
 * the next write reconnects ({@link SqlErrors#isRetriable} tells whether to try again).
 *
 * <p>Not thread-safe: one writer per thread.
 */
public final class ReferencePriceWriter implements AutoCloseable {

    private static final String INSERT_CONTRACT = "INSERT INTO contract_price (symbol, source, source_id, round_id,"
        + " answered_in_round, price, started_at, updated_at, receive_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT DO NOTHING";
    private static final String INSERT_API = "INSERT INTO api_price (symbol, source, source_id, price, source_time,"
        + " receive_time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final WriterSession session;
    private final PartitionDays contractDays = new PartitionDays("contract_price");
    private final PartitionDays apiDays = new PartitionDays("api_price");

    public ReferencePriceWriter(ConnectionFactory connections) {
        // Checked before each batch: at these rates a round trip is nothing.
        this.session = new WriterSession(connections, c -> { }, true);
    }

    /** Stores the prices not stored yet and commits; returns how many were new. */
    public WriteResult write(Collection<ReferencePrice> prices) throws SQLException {
        if (prices.isEmpty()) {
            return new WriteResult(0, 0);
        }
        Connection c = session.connection();
        try {
            // contract_price is partitioned by updated_at and api_price by source_time: both are the event time.
            contractDays.ensure(c, prices.stream().filter(p -> p.getRoundId() != null && p.getEventTime() != null)
                .map(ReferencePrice::getEventTime).toList());
            apiDays.ensure(c, prices.stream().filter(p -> p.getRoundId() == null && p.getEventTime() != null)
                .map(ReferencePrice::getEventTime).toList());
        } catch (SQLException | RuntimeException e) {
            session.abort(e);
            throw e;
        }
        try (PreparedStatement contract = c.prepareStatement(INSERT_CONTRACT);
             PreparedStatement api = c.prepareStatement(INSERT_API)) {
            int contracts = 0;
            int apis = 0;
            for (ReferencePrice p : prices) {
                if (p.getRoundId() != null) {
                    contract.setString(1, p.getSymbol());
                    contract.setString(2, p.getSource());
                    contract.setString(3, p.getSourceId());
                    contract.setBigDecimal(4, new BigDecimal(p.getRoundId()));
                    contract.setBigDecimal(5, p.getAnsweredInRound() == null ? null
                        : new BigDecimal(p.getAnsweredInRound()));
                    contract.setBigDecimal(6, Decimals.toBigDecimal(p.getPrice()));
                    contract.setTimestamp(7, timestamp(p.getStartedAt()));
                    contract.setTimestamp(8, timestamp(p.getEventTime()));
                    contract.setTimestamp(9, timestamp(p.getReceiveTime()));
                    contract.addBatch();
                    contracts++;
                } else {
                    api.setString(1, p.getSymbol());
                    api.setString(2, p.getSource());
                    api.setString(3, p.getSourceId());
                    api.setBigDecimal(4, Decimals.toBigDecimal(p.getPrice()));
                    api.setTimestamp(5, timestamp(p.getEventTime()));
                    api.setTimestamp(6, timestamp(p.getReceiveTime()));
                    api.addBatch();
                    apis++;
                }
            }
            int inserted = (contracts > 0 ? sum(contract.executeBatch()) : 0) + (apis > 0 ? sum(api.executeBatch()) : 0);
            c.commit();
            return new WriteResult(prices.size(), inserted);
        } catch (SQLException | RuntimeException e) {
            session.abort(e);
            throw e;
        }
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int k : counts) {
            // SUCCESS_NO_INFO would be -2: the driver always reports counts for plain batches, but be safe.
            n += Math.max(k, 0);
        }
        return n;
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    @Override
    public void close() {
        session.close();
    }
}
