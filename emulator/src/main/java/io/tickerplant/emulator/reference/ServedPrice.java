package io.tickerplant.emulator.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * A good price the emulator answered with: ground truth of what a client could have seen.
 *
 * @param source who answered
 * @param pair canonical pair
 * @param price the price as served, every digit
 * @param sourceTime the source's time for it (round updatedAt, last_updated)
 * @param roundId the oracle round, or null for the APIs
 * @param servedAt when the answer was sent
 */
public record ServedPrice(ReferenceSourceId source, String pair, BigDecimal price, Instant sourceTime,
                          BigInteger roundId, Instant servedAt) {
}
