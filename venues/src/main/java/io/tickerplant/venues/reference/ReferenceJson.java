package io.tickerplant.venues.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.venues.reference.ReferenceRejection.Kind;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** JSON parsing and validation shared by the reference clients: numbers stay exact, never pass through double. */
final class ReferenceJson {
    private ReferenceJson() {
    }

    /**
     * Floats become BigDecimal straight from the number's text, so {@code 3012.4519283746} stays those digits.
     * Trailing garbage fails the parse rather than being ignored.
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Digits a {@link Decimal} holds. */
    private static final MathContext DIGITS_18 = new MathContext(18, RoundingMode.HALF_EVEN);

    static JsonNode parse(String body) throws ReferenceRejection {
        if (body == null || body.isBlank()) {
            throw new ReferenceRejection(Kind.MALFORMED, "body", "empty response", body);
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ReferenceRejection(Kind.MALFORMED, "body", "not JSON: " + e.getOriginalMessage(), body,
                    null, e);
        }
    }

    /**
     * A positive price from a JSON number. APIs that average many markets print up to 20 significant digits (the
     * tail is their own binary-float noise); a value with more than the 18 a {@link Decimal} holds is rounded
     * half-even to 18, which is far below any deviation this data is used to measure.
     */
    static Decimal price(JsonNode n, String field, String raw) throws ReferenceRejection {
        if (n == null || n.isMissingNode() || n.isNull()) {
            throw new ReferenceRejection(Kind.MALFORMED, field, "missing", raw);
        }
        if (!n.isNumber()) {
            throw new ReferenceRejection(Kind.MALFORMED, field, "not a number: " + n, raw);
        }
        return positive(n.decimalValue(), field, raw);
    }

    static Decimal positive(BigDecimal v, String field, String raw) throws ReferenceRejection {
        if (v.signum() <= 0) {
            throw new ReferenceRejection(Kind.NOT_POSITIVE, field, "price " + v.toPlainString()
                    + " is not positive", raw);
        }
        BigDecimal x = v.stripTrailingZeros();
        if (x.precision() > 18) {
            x = x.round(DIGITS_18).stripTrailingZeros();
        }
        try {
            return Decimals.of(x);
        } catch (ArithmeticException e) {
            throw new ReferenceRejection(Kind.OUT_OF_RANGE, field, "price " + v.toPlainString()
                    + " does not fit 18 digits", raw, null, e);
        }
    }

    /** Rejects a source time older than {@code maxAge} (STALE), naming the field and both times. */
    static void checkAge(Instant sourceTime, Instant now, Duration maxAge, String field, String raw)
            throws ReferenceRejection {
        Duration age = Duration.between(sourceTime, now);
        if (age.compareTo(maxAge) > 0) {
            throw new ReferenceRejection(Kind.STALE, field, sourceTime + " is " + age.toSeconds()
                    + " s old, more than the allowed " + maxAge.toSeconds() + " s", raw);
        }
    }

    static Instant epochSeconds(JsonNode n, String field, String raw) throws ReferenceRejection {
        if (n == null || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw new ReferenceRejection(Kind.MALFORMED, field, "not epoch seconds: " + n, raw);
        }
        long s = n.asLong();
        if (s <= 0) {
            throw new ReferenceRejection(Kind.STALE, field, "no update time (" + s + ")", raw);
        }
        return Instant.ofEpochSecond(s);
    }

    static ReferencePrice price(ReferenceSource source, String symbol, String sourceId, Instant sourceTime,
                                Instant received, Decimal price) {
        return ReferencePrice.newBuilder()
                .setSource(source.name())
                .setSymbol(symbol)
                .setSourceId(sourceId)
                .setEventTime(Micros.toInstant(Micros.of(sourceTime)))
                .setReceiveTime(Micros.toInstant(Micros.of(received)))
                .setPrice(price)
                .build();
    }
}
