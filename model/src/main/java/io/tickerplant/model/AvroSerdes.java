package io.tickerplant.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place where events become bytes and back: every producer, connector, topology and consumer goes
 * through here, so the wire format can change in this file alone.
 *
 * <p>Wire format today: Avro's single-object encoding (marker {@code C3 01}, the 8-byte CRC-64 fingerprint of the
 * writer schema, then Avro binary). It is self-describing like Confluent's framing, without needing a schema
 * registry (Confluent's is not on Maven Central); swapping in registry framing means changing
 * {@link #encode} and {@link #decode} only.
 */
public final class AvroSerdes {
    private AvroSerdes() {
    }

    private record Codec<T>(BinaryMessageEncoder<T> encoder, BinaryMessageDecoder<T> decoder) {
    }

    private static final Map<Class<?>, Codec<?>> CODECS = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Codec<T> codec(Class<T> type) {
        return (Codec<T>) CODECS.computeIfAbsent(type, t -> {
            Schema schema = SpecificData.get().getSchema(t);
            SpecificData model = SpecificData.getForClass(t);
            BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<T>(model, schema);
            for (Schema older : history(t.getSimpleName())) {
                decoder.addSchema(older);
            }
            return new Codec<>(new BinaryMessageEncoder<T>(model, schema), decoder);
        });
    }

    /**
     * The earlier schemas of a record, {@code /avro-history/<Name>-<n>.avsc} for n = 1, 2, ...: records and state
     * stores written by an older build carry an older fingerprint, and without its schema they would not decode
     * after an upgrade. Each file must be self-contained (named types defined inline).
     */
    private static List<Schema> history(String name) {
        List<Schema> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            try (InputStream in = AvroSerdes.class.getResourceAsStream("/avro-history/" + name + "-" + n + ".avsc")) {
                if (in == null) {
                    return out;
                }
                out.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> byte[] encode(T record) {
        try {
            ByteBuffer buf = codec((Class<T>) record.getClass()).encoder().encode(record);
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes bytes written by {@link #encode}; a wrong or corrupt payload is a {@link SerializationException}. */
    public static <T extends SpecificRecord> T decode(Class<T> type, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return codec(type).decoder().decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from " + bytes.length
                    + " bytes: " + e.getMessage(), e);
        }
    }

    public static <T extends SpecificRecord> Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : encode(data);
    }

    public static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        return (topic, data) -> decode(type, data);
    }

    /** A Kafka Serde for Streams and plain clients. */
    public static <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        return Serdes.serdeFrom(serializer(), deserializer(type));
    }
}
