package io.tickerplant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.time.Instant;
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
}
