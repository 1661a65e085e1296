package io.tickerplant.emulator.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * A Chainlink round the emulated aggregator made: ground truth for tests.
 *
 * @param pair canonical pair, e.g. ETH-USD
 * @param roundId the proxy's round id: {@code (phase << 64) | aggregatorRound}
 * @param answer the answer as the contract stores it (price * 10^decimals)
 * @param price {@code answer * 10^-decimals}
 * @param startedAt round start
 * @param updatedAt round update (equal to the start: one transmission per round)
 * @param reason why the round was made: {@code deviation}, {@code heartbeat} or {@code first}
 */
public record OracleRound(String pair, BigInteger roundId, long answer, BigDecimal price, Instant startedAt,
                          Instant updatedAt, String reason) {
}
