package io.tickerplant.bench.jmh;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One {@link Trade} through {@link AvroSerdes} (the platform's wire format: Avro single-object encoding) against
 * the same trade as JSON with Jackson, both with the streaming API (hand-written, the fastest Jackson gets) and
 * with data binding of a plain record (what a quick implementation would do). Prices and sizes stay exact in all:
 * JSON carries them as decimal strings, as the venues do.
 *
 * <p>Run {@link #main} for the table plus ratios against Avro encode/decode measured in the same run; any JMH
 * option ({@code -f 1 -wi 3 -i 5 ...}) is passed through.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SerdeBenchmark {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The trade as a plain record, for Jackson data binding. */
    public record TradeJson(String venue, String symbol, String venueSymbol, long eventTime, long receiveTime,
                            String tradeId, String price, String size, String side) {
    }

    private Trade trade;
    private byte[] avro;
    private byte[] json;
    private byte[] jsonBound;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    @Setup
    public void setup() throws IOException {
        Instant t = Instant.parse("2024-06-01T12:34:56.789123Z");
        trade = new Trade("BINANCE", "BTC-USDT", "BTCUSDT", t, t.plusNanos(2_345_000), "3456789012",
            Decimals.parse("67123.45000000"), Decimals.parse("0.00150000"), Side.BUY);
        avro = AvroSerdes.encode(trade);
        json = jsonStreamingEncode();
        jsonBound = jsonDatabindEncode();
        if (!jsonStreamingDecode().equals(trade) || !jsonDatabindDecode().equals(trade)
            || !avroDecode().equals(trade)) {
            throw new IllegalStateException("a codec does not round-trip the trade");
        }
    }

    @Benchmark
    public byte[] avroEncode() {
        return AvroSerdes.encode(trade);
    }

    @Benchmark
    public Trade avroDecode() {
        return AvroSerdes.decode(Trade.class, avro);
    }

    @Benchmark
    public byte[] jsonStreamingEncode() throws IOException {
        out.reset();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("venue", trade.getVenue());
            g.writeStringField("symbol", trade.getSymbol());
            g.writeStringField("venueSymbol", trade.getVenueSymbol());
            g.writeNumberField("eventTime", Micros.of(trade.getEventTime()));
            g.writeNumberField("receiveTime", Micros.of(trade.getReceiveTime()));
            g.writeStringField("tradeId", trade.getTradeId());
            g.writeStringField("price", Decimals.toPlainString(trade.getPrice()));
            g.writeStringField("size", Decimals.toPlainString(trade.getSize()));
            g.writeStringField("side", trade.getSide().name());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    @Benchmark
    public Trade jsonStreamingDecode() throws IOException {
        Trade.Builder b = Trade.newBuilder();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "venue" -> b.setVenue(p.getText());
                    case "symbol" -> b.setSymbol(p.getText());
                    case "venueSymbol" -> b.setVenueSymbol(p.getText());
                    case "eventTime" -> b.setEventTime(Micros.toInstant(p.getLongValue()));
                    case "receiveTime" -> b.setReceiveTime(Micros.toInstant(p.getLongValue()));
                    case "tradeId" -> b.setTradeId(p.getText());
                    case "price" -> b.setPrice(Decimals.parse(p.getText()));
                    case "size" -> b.setSize(Decimals.parse(p.getText()));
                    case "side" -> b.setSide(Side.valueOf(p.getText()));
                    default -> p.skipChildren();
                }
            }
        }
        return b.build();
    }

    @Benchmark
    public byte[] jsonDatabindEncode() throws IOException {
        return MAPPER.writeValueAsBytes(new TradeJson(trade.getVenue(), trade.getSymbol(), trade.getVenueSymbol(),
            Micros.of(trade.getEventTime()), Micros.of(trade.getReceiveTime()), trade.getTradeId(),
            Decimals.toPlainString(trade.getPrice()), Decimals.toPlainString(trade.getSize()), trade.getSide().name()));
    }

    @Benchmark
    public Trade jsonDatabindDecode() throws IOException {
        TradeJson j = MAPPER.readValue(jsonBound, TradeJson.class);
        return new Trade(j.venue(), j.symbol(), j.venueSymbol(), Micros.toInstant(j.eventTime()),
            Micros.toInstant(j.receiveTime()), j.tradeId(), Decimals.parse(j.price()), Decimals.parse(j.size()),
            Side.valueOf(j.side()));
    }

    /** Runs the benchmarks, then prints sizes and ratios against Avro from the same run. */
    public static void main(String[] args) throws Exception {
        Options cli = new CommandLineOptions(args);
        Options opts = new OptionsBuilder().parent(cli).include(SerdeBenchmark.class.getName() + "\\.").build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> ns = new LinkedHashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            ns.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        SerdeBenchmark b = new SerdeBenchmark();
        b.setup();
        System.out.printf("%nSizes: Avro single-object %d B, JSON %d B (data binding %d B)%n", b.avro.length,
            b.json.length, b.jsonBound.length);
        System.out.println("Ratios (time / Avro's time for the same direction, same run; > 1 means slower than Avro):");
        List<String> names = new ArrayList<>(ns.keySet());
        for (String name : names) {
            String ref = name.endsWith("Encode") ? "avroEncode" : "avroDecode";
            if (ns.containsKey(ref)) {
                System.out.printf("  %-22s %8.1f ns/op  %5.2f x %s%n", name, ns.get(name), ns.get(name) / ns.get(ref),
                    ref);
            }
        }
    }
}
