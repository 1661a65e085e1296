package io.tickerplant.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SourceRecordFactoryTest {

    private final SourceRecordFactory factory = new SourceRecordFactory(new Topics("x."));

    @Test
    void tradeIsKeyedByVenueAndSymbolTimestampedByEventTimeAndOffsetByTradeId() {
        Trade t = Trade.newBuilder().setVenue("BINANCE").setSymbol("BTC-USDT").setVenueSymbol("BTCUSDT")
                .setEventTime(Instant.parse("2026-03-01T00:00:01.500Z")).setReceiveTime(Instant.now())
                .setTradeId("42").setPrice(Decimals.parse("1.5")).setSize(Decimals.parse("2")).setSide(Side.SELL)
                .build();
        SourceRecord r = factory.trade(t);
        assertThat(r.topic()).isEqualTo("x.trades");
        assertThat(r.key()).isEqualTo("BINANCE:BTC-USDT");
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-03-01T00:00:01.500Z").toEpochMilli());
        assertThat(r.sourcePartition()).isEqualTo(java.util.Map.of("venue", "BINANCE", "symbol", "BTC-USDT",
                "channel", "trades"));
        assertThat(r.sourceOffset()).isEqualTo(java.util.Map.of("trade_id", "42"));
        assertThat(AvroSerdes.decode(Trade.class, (byte[]) r.value())).isEqualTo(t);
    }

    @Test
    void rejectedFrameBecomesADeadLetterWithTheRawFrameAndTheReasonInHeaders() {
        SourceRecord r = factory.deadLetter(new RejectedFrame("BINANCE", "{\"p\":\"abc\"}",
                "field 'p' is not a decimal: 'abc'", "NumberFormatException", 1_700_000_000_000_000L));
        assertThat(r.topic()).isEqualTo("x.dlq");
        assertThat(new String((byte[]) r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"p\":\"abc\"}");
        assertThat(r.headers().lastWithName(DeadLetters.REASON).value()).isEqualTo("field 'p' is not a decimal: 'abc'");
        assertThat(r.headers().lastWithName(DeadLetters.STAGE).value()).isEqualTo("source:BINANCE");
        assertThat(r.sourceOffset()).isNull();
    }
}
