package io.tickerplant.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Topics;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.model.avro.BookUpdate;
import io.tickerplant.model.avro.Quote;
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
    void quoteGoesToTheQuotesTopicKeyedByVenueAndSymbolAtItsEventTimeWithoutAnOffset() {
        Quote q = Quote.newBuilder().setVenue("BINANCE").setSymbol("BNB-USDT").setVenueSymbol("BNBUSDT")
                .setEventTime(Instant.parse("2026-03-01T00:00:02.250Z")).setReceiveTime(Instant.now())
                .setBidPrice(Decimals.parse("25.35190000")).setBidSize(Decimals.parse("31.21000000"))
                .setAskPrice(Decimals.parse("25.36520000")).setAskSize(Decimals.parse("40.66000000"))
                .setUpdateId(400900217L).build();
        SourceRecord r = factory.quote(q);
        assertThat(r.topic()).isEqualTo("x.quotes");
        assertThat(r.key()).isEqualTo("BINANCE:BNB-USDT");
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-03-01T00:00:02.250Z").toEpochMilli());
        assertThat(r.sourcePartition()).isNull();
        assertThat(r.sourceOffset()).isNull();
        assertThat(AvroSerdes.decode(Quote.class, (byte[]) r.value())).isEqualTo(q);
    }

    @Test
    void bookUpdateGoesToTheBookTopicKeyedByVenueAndSymbolAtItsEventTimeWithoutAnOffset() {
        BookUpdate b = BookUpdate.newBuilder().setVenue("BINANCE").setSymbol("BNB-BTC").setVenueSymbol("BNBBTC")
                .setEventTime(Instant.parse("2026-03-01T00:00:03Z")).setReceiveTime(Instant.now())
                .setSnapshot(false)
                .setBids(java.util.List.of(new BookLevel(Decimals.parse("0.0024"), Decimals.parse("10"))))
                .setAsks(java.util.List.of(new BookLevel(Decimals.parse("0.0026"), Decimals.parse("0"))))
                .setFirstUpdateId(157L).setLastUpdateId(160L).setSequence(5).build();
        SourceRecord r = factory.book(b);
        assertThat(r.topic()).isEqualTo("x.book");
        assertThat(r.key()).isEqualTo("BINANCE:BNB-BTC");
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-03-01T00:00:03Z").toEpochMilli());
        assertThat(r.sourceOffset()).isNull();
        assertThat(AvroSerdes.decode(BookUpdate.class, (byte[]) r.value())).isEqualTo(b);
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
