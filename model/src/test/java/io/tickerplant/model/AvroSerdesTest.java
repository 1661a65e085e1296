package io.tickerplant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.avro.Accuracy;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    static Trade trade() {
        return Trade.newBuilder().setVenue("BINANCE").setSymbol("BTC-USDT").setVenueSymbol("BTCUSDT")
                .setEventTime(Instant.parse("2026-01-02T03:04:05.123456Z"))
                .setReceiveTime(Instant.parse("2026-01-02T03:04:05.200001Z"))
                .setTradeId("12345").setPrice(Decimals.parse("27123.45")).setSize(Decimals.parse("0.00100000"))
                .setSide(Side.BUY).build();
    }

    @Test
    void roundTripsATradeWithMicrosecondTimesAndExactDecimals() {
        Trade t = trade();
        Trade back = AvroSerdes.decode(Trade.class, AvroSerdes.encode(t));
        assertThat(back).isEqualTo(t);
        assertThat(back.getEventTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(Decimals.toPlainString(back.getSize())).isEqualTo("0.00100000");
    }

    @Test
    void decodingTheWrongTypeOrGarbageIsASerializationError() {
        byte[] bytes = AvroSerdes.encode(trade());
        assertThatThrownBy(() -> AvroSerdes.decode(FeedStatus.class, bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("FeedStatus");
        assertThatThrownBy(() -> AvroSerdes.decode(Trade.class, new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void kafkaSerdeUsesTheSameEncoding() {
        var serde = AvroSerdes.serde(Trade.class);
        byte[] bytes = serde.serializer().serialize("t", trade());
        assertThat(bytes).isEqualTo(AvroSerdes.encode(trade()));
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(trade());
    }

    /** Records and state written before the index difference existed must still decode after the upgrade. */
    @Test
    void decodesAccuracyWrittenWithTheSchemaBeforeTheIndexDifference() throws Exception {
        Schema old;
        try (InputStream in = AvroSerdes.class.getResourceAsStream("/avro-history/Accuracy-1.avsc")) {
            old = new Schema.Parser().parse(in);
        }
        Schema decimal = old.getField("oraclePrice").schema();
        GenericRecord price = new GenericData.Record(decimal);
        price.put("unscaled", 300125L);
        price.put("scale", 2);
        GenericRecord a = new GenericData.Record(old);
        a.put("symbol", "ETH-USD");
        a.put("eventTime", 1_772_445_600_000_000L);
        a.put("oracleSource", "CHAINLINK");
        a.put("roundId", "7");
        a.put("oraclePrice", price);
        a.put("oracleUpdatedAt", 1_772_445_600_000_000L);
        a.put("apiSources", List.of());
        a.put("oracleAgeSeconds", 0L);
        a.put("stale", false);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(a).array();

        Accuracy back = AvroSerdes.decode(Accuracy.class, bytes);

        assertThat(Decimals.toPlainString(back.getOraclePrice())).isEqualTo("3001.25");
        assertThat(back.getIndexSymbol()).isNull();
        assertThat(back.getPctDiffIndex()).isNull();
    }
}
