package io.tickerplant.streams;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Quote;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One input of the consolidation, a quote or a feed status, so that both travel through one repartition topic and
 * reach the processor in the order of their partition. Exactly one of the two is set.
 *
 * <p>On the wire: one tag byte ({@code Q} or {@code S}) and then the record as {@link AvroSerdes} encodes it, so
 * the Avro wire format still changes in that one file.
 */
record BboInput(Quote quote, FeedStatus status) {
    private static final byte QUOTE = 'Q';
    private static final byte STATUS = 'S';

    static final Serde<BboInput> SERDE = Serdes.serdeFrom(
            (topic, in) -> in == null ? null : encode(in),
            (topic, bytes) -> bytes == null ? null : decode(bytes));

    static BboInput of(Quote q) {
        return new BboInput(q, null);
    }

    static BboInput of(FeedStatus s) {
        return new BboInput(null, s);
    }

    /** A status about a venue's whole connection: it concerns every symbol of the venue. */
    boolean connectionLevel() {
        return status != null && status.getSymbol() == null;
    }

    private static byte[] encode(BboInput in) {
        byte[] body = in.quote != null ? AvroSerdes.encode(in.quote) : AvroSerdes.encode(in.status);
        byte[] out = new byte[body.length + 1];
        out[0] = in.quote != null ? QUOTE : STATUS;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static BboInput decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new SerializationException("empty BBO input");
        }
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        return switch (bytes[0]) {
            case QUOTE -> of(AvroSerdes.decode(Quote.class, body));
            case STATUS -> of(AvroSerdes.decode(FeedStatus.class, body));
            default -> throw new SerializationException("unknown BBO input tag " + bytes[0]);
        };
    }
}
