package io.tickerplant.connect.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.emulator.reference.OracleRound;
import io.tickerplant.emulator.reference.ReferenceEmulator;
import io.tickerplant.emulator.reference.ReferenceFault;
import io.tickerplant.emulator.reference.ReferenceSourceId;
import io.tickerplant.emulator.reference.ServedPrice;
import io.tickerplant.model.AvroSerdes;
import io.tickerplant.model.DeadLetters;
import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.FeedStatus;
import io.tickerplant.model.avro.ReferencePrice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The task against the reference emulator: what it publishes, what it does not, and what it reports instead. */
class ReferencePriceSourceTaskIT {

    private ReferenceEmulator emulator;
    private final List<ReferencePriceSourceTask> tasks = new ArrayList<>();

    @BeforeEach
    void start() {
        emulator = ReferenceEmulator.builder().generate(false).coinGeckoRefresh(Duration.ofSeconds(1))
                .coinpaprikaRefresh(Duration.ofSeconds(1)).start();
    }

    @AfterEach
    void stop() {
        tasks.forEach(ReferencePriceSourceTask::stop);
        emulator.close();
    }

    private Map<String, String> props(String source, String pairs) {
        Map<String, String> p = new HashMap<>();
        p.put("source", source);
        p.put("pairs", pairs);
        p.put("url", source.equals("CHAINLINK") ? emulator.rpcUri("SECRETKEY").toString() : emulator.uri().toString());
        p.put("poll.interval.ms", "1");
        p.put("request.timeout.ms", "2000");
        return p;
    }

    private ReferencePriceSourceTask task(Map<String, String> props, FakeSourceTaskContext context) {
        ReferencePriceSourceTask t = new ReferencePriceSourceTask();
        t.initialize(context);
        t.start(props);
        tasks.add(t);
        return t;
    }

    private ReferencePriceSourceTask task(Map<String, String> props) {
        return task(props, new FakeSourceTaskContext(props));
    }

    private static List<SourceRecord> poll(ReferencePriceSourceTask t) throws InterruptedException {
        Thread.sleep(5);
        List<SourceRecord> r = t.poll();
        return r == null ? List.of() : r;
    }

    private static List<ReferencePrice> prices(List<SourceRecord> records) {
        return records.stream().filter(r -> r.topic().equals("tp.refprices"))
                .map(r -> AvroSerdes.decode(ReferencePrice.class, (byte[]) r.value())).toList();
    }

    private static List<FeedStatus> statuses(List<SourceRecord> records) {
        return records.stream().filter(r -> r.topic().equals("tp.feedstatus"))
                .map(r -> AvroSerdes.decode(FeedStatus.class, (byte[]) r.value())).toList();
    }

    private static List<SourceRecord> deadLetters(List<SourceRecord> records) {
        return records.stream().filter(r -> r.topic().equals("tp.dlq")).toList();
    }

    @Test
    void chainlinkPublishesEachRoundOnceWithTheExactAnswerAndTheRoundIdAsOffset() throws Exception {
        ReferencePriceSourceTask t = task(props("CHAINLINK", "ETH-USD,BTC-USD,LINK-USD"));
        List<SourceRecord> first = poll(t);
        assertThat(prices(first)).hasSize(3);
        for (ReferencePrice p : prices(first)) {
            OracleRound truth = emulator.rounds(p.getSymbol()).get(0);
            assertThat(Decimals.toBigDecimal(p.getPrice())).isEqualTo(truth.price());
            assertThat(p.getRoundId()).isEqualTo(truth.roundId().toString());
            assertThat(p.getEventTime()).isEqualTo(truth.updatedAt());
            assertThat(p.getSourceId()).isEqualTo(ReferenceEmulator.MAINNET_PROXIES.get(p.getSymbol()));
        }
        SourceRecord eth = first.get(0);
        assertThat(eth.key()).isEqualTo("ETH-USD");
        assertThat(eth.sourcePartition()).isEqualTo(Map.of("source", "CHAINLINK", "pair", "ETH-USD"));
        assertThat(eth.sourceOffset()).isEqualTo(Map.of("last", emulator.rounds("ETH-USD").get(0).roundId().toString()));
        assertThat(eth.timestamp()).isEqualTo(emulator.rounds("ETH-USD").get(0).updatedAt().toEpochMilli());

        assertThat(poll(t)).as("same rounds again: nothing new").isEmpty();

        Thread.sleep(1100); // rounds are whole block seconds
        emulator.shock("ETH-USD", 0.02);
        List<SourceRecord> next = poll(t);
        assertThat(prices(next)).singleElement().satisfies(p -> {
            OracleRound r = emulator.rounds("ETH-USD").get(1);
            assertThat(r.reason()).isEqualTo("deviation");
            assertThat(p.getRoundId()).isEqualTo(r.roundId().toString());
            assertThat(Decimals.toBigDecimal(p.getPrice())).isEqualTo(r.price());
        });
    }

    @Test
    void chainlinkResumesAfterTheCommittedRound() throws Exception {
        Map<String, String> props = props("CHAINLINK", "ETH-USD,BTC-USD");
        FakeSourceTaskContext context = new FakeSourceTaskContext(props);
        context.committed.put(ReferenceRecords.partition("CHAINLINK", "ETH-USD"),
                Map.of("last", emulator.rounds("ETH-USD").get(0).roundId().toString()));
        assertThat(prices(poll(task(props, context)))).extracting(ReferencePrice::getSymbol).containsExactly("BTC-USD");
    }

    @Test
    void coinGeckoPublishesOnlyQuotesWithALaterUpdateTime() throws Exception {
        Map<String, String> props = props("COINGECKO", "ETH-USD,BTC-USD,LINK-USD");
        props.put("api.key", "CG-DEMOKEY");
        ReferencePriceSourceTask t = task(props);
        List<ReferencePrice> first = prices(poll(t));
        assertThat(first).extracting(ReferencePrice::getSourceId).containsExactly("ethereum", "bitcoin", "chainlink");
        List<ServedPrice> served = emulator.served(ReferenceSourceId.COINGECKO);
        for (int i = 0; i < 3; i++) {
            assertThat(Decimals.toBigDecimal(first.get(i).getPrice())).isEqualByComparingTo(served.get(i).price());
            assertThat(first.get(i).getEventTime()).isEqualTo(served.get(i).sourceTime());
        }
        assertThat(emulator.lastCoinGeckoApiKey()).isEqualTo("CG-DEMOKEY");
        assertThat(poll(t)).isEmpty();
        Thread.sleep(1100);
        emulator.tick();
        List<ReferencePrice> second = prices(poll(t));
        assertThat(second).hasSize(3);
        assertThat(second.get(0).getEventTime()).isAfter(first.get(0).getEventTime());
    }

    @Test
    void coinpaprikaPublishesTheTickerPriceExactly() throws Exception {
        List<ReferencePrice> prices = prices(poll(task(props("COINPAPRIKA", "LINK-USD"))));
        ServedPrice truth = emulator.served(ReferenceSourceId.COINPAPRIKA).get(0);
        assertThat(prices).singleElement().satisfies(p -> {
            assertThat(Decimals.toBigDecimal(p.getPrice())).isEqualByComparingTo(truth.price());
            assertThat(p.getSourceId()).isEqualTo("link-chainlink");
            assertThat(p.getSource()).isEqualTo("COINPAPRIKA");
        });
    }

    @ParameterizedTest
    @EnumSource(ReferenceFault.class)
    void eachBadChainlinkAnswerIsAFeedStatusAndADeadLetterNeverAPrice(ReferenceFault fault) throws Exception {
        assertBadAnswer(ReferenceSourceId.CHAINLINK, fault);
    }

    @ParameterizedTest
    @EnumSource(value = ReferenceFault.class, names = "REVERTED", mode = EnumSource.Mode.EXCLUDE)
    void eachBadCoinGeckoAnswerIsAFeedStatusAndADeadLetterNeverAPrice(ReferenceFault fault) throws Exception {
        assertBadAnswer(ReferenceSourceId.COINGECKO, fault);
    }

    @ParameterizedTest
    @EnumSource(value = ReferenceFault.class, names = "REVERTED", mode = EnumSource.Mode.EXCLUDE)
    void eachBadCoinpaprikaAnswerIsAFeedStatusAndADeadLetterNeverAPrice(ReferenceFault fault) throws Exception {
        assertBadAnswer(ReferenceSourceId.COINPAPRIKA, fault);
    }

    private void assertBadAnswer(ReferenceSourceId source, ReferenceFault fault) throws Exception {
        Map<String, String> props = props(source.name(), "ETH-USD");
        // The APIs' requests retry 429s and 500s within a poll: make every attempt fail.
        emulator.inject(source, fault, 3);
        ReferencePriceSourceTask t = task(props);
        List<SourceRecord> records = poll(t);
        assertThat(prices(records)).isEmpty();
        FeedState expected = fault == ReferenceFault.STALE ? FeedState.STALE : FeedState.GAP;
        assertThat(statuses(records)).singleElement().satisfies(s -> {
            assertThat(s.getStatus()).isEqualTo(expected);
            assertThat(s.getVenue()).isEqualTo(source.name());
            assertThat(s.getSymbol()).isEqualTo("ETH-USD");
            assertThat(s.getDetail()).doesNotContain("SECRETKEY");
        });
        assertThat(deadLetters(records)).singleElement().satisfies(d -> {
            assertThat(d.headers().lastWithName(DeadLetters.REASON).value().toString()).startsWith("ETH-USD ");
            assertThat(d.headers().lastWithName(DeadLetters.STAGE).value()).isEqualTo("source:" + source);
            assertThat(new String((byte[]) d.value(), StandardCharsets.UTF_8)).doesNotContain("SECRETKEY");
        });
        emulator.clearFaults();
        // Chainlink's 429 carries Retry-After 1 s: the task must not ask again before then.
        Thread.sleep(fault == ReferenceFault.RATE_LIMITED ? 1100 : 5);
        List<SourceRecord> recovered = poll(t);
        assertThat(prices(recovered)).hasSize(1);
        assertThat(statuses(recovered)).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(FeedState.CONNECTED));
    }

    @Test
    void aRateLimitedChainlinkEndpointIsNotAskedAgainBeforeRetryAfter() throws Exception {
        emulator.close();
        emulator = ReferenceEmulator.builder().generate(false).retryAfter(Duration.ofSeconds(5)).start();
        emulator.inject(ReferenceSourceId.CHAINLINK, ReferenceFault.RATE_LIMITED, 1);
        ReferencePriceSourceTask t = task(props("CHAINLINK", "ETH-USD"));
        poll(t);
        int requests = emulator.requests(ReferenceSourceId.CHAINLINK);
        // poll() waits at most a second per call; Retry-After is five.
        assertThat(poll(t)).isEmpty();
        assertThat(poll(t)).isEmpty();
        assertThat(emulator.requests(ReferenceSourceId.CHAINLINK)).isEqualTo(requests);
    }

    @Test
    void aStoppedTaskReturnsFromPollAtOnce() throws Exception {
        Map<String, String> props = props("COINPAPRIKA", "ETH-USD");
        props.put("poll.interval.ms", "600000");
        ReferencePriceSourceTask t = task(props);
        poll(t);
        t.stop();
        long start = System.nanoTime();
        assertThat(t.poll()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }
}
