package io.tickerplant.connect.reference;

import io.tickerplant.connect.Versions;
import io.tickerplant.model.avro.FeedState;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.reference.ChainlinkFeed;
import io.tickerplant.venues.reference.CoinGeckoClient;
import io.tickerplant.venues.reference.CoinpaprikaClient;
import io.tickerplant.venues.reference.EthereumRpcClient;
import io.tickerplant.venues.reference.ReferenceReading;
import io.tickerplant.venues.reference.ReferenceRejection;
import io.tickerplant.venues.reference.ReferenceSource;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one reference source on the task thread: {@link #poll()} waits until the next due time (at most a second
 * per call, and at once when stopped), asks the source, and returns
 * <ul>
 *   <li>a ReferencePrice per pair whose price is new (Chainlink: another round id; APIs: a later source time);</li>
 *   <li>for each bad answer a FeedStatus (STALE for a stale update time, GAP otherwise) and a dead letter with the
 *       body as received, never a price;</li>
 *   <li>a CONNECTED FeedStatus when a pair recovers.</li>
 * </ul>
 * The last round id or source time per pair is the source offset, so a restart does not republish.
 */
public class ReferencePriceSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(ReferencePriceSourceTask.class);
    /** Longest single wait inside poll(), so Connect gets control back regularly. */
    private static final long MAX_WAIT_MS = 1000;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock;
    private ReferencePriceSourceConfig config;
    private ReferenceSource source;
    private ReferenceRecords records;
    private HttpClient http;
    private List<ChainlinkFeed> feeds;
    private CoinGeckoClient coinGecko;
    private CoinpaprikaClient coinpaprika;
    private final Map<String, String> last = new HashMap<>();
    private final Set<String> impaired = new HashSet<>();
    private long nextDueMillis;

    public ReferencePriceSourceTask() {
        this(Clock.systemUTC());
    }

    ReferencePriceSourceTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Versions.current();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ReferencePriceSourceConfig(props);
        source = config.source();
        records = new ReferenceRecords(config.topics());
        Map<String, String> ids = config.ids();
        http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
        RestClient.Policy policy = new RestClient.Policy(3, config.requestTimeout(), config.maxRetryAfter(),
                Duration.ofMillis(200));
        switch (source) {
            case CHAINLINK -> {
                EthereumRpcClient rpc = new EthereumRpcClient(http, config.url(), config.requestTimeout());
                feeds = new ArrayList<>();
                ids.forEach((pair, proxy) -> feeds.add(new ChainlinkFeed(rpc, pair, proxy, config.maxAge(), clock)));
                log.info("CHAINLINK reference task for {} via {}", ids, rpc.maskedEndpoint());
            }
            case COINGECKO -> {
                coinGecko = new CoinGeckoClient(http, policy, this::isStopped, config.url(), config.apiKey(), ids,
                        config.maxAge(), clock);
                log.info("COINGECKO reference task for {} at {}", ids, EthereumRpcClient.mask(config.url()));
            }
            case COINPAPRIKA -> {
                coinpaprika = new CoinpaprikaClient(http, policy, this::isStopped, config.url(), config.apiKey(), ids,
                        config.maxAge(), clock);
                log.info("COINPAPRIKA reference task for {} at {}", ids, EthereumRpcClient.mask(config.url()));
            }
            default -> throw new IllegalStateException(source.name());
        }
        loadOffsets(ids.keySet());
    }

    private void loadOffsets(Iterable<String> pairs) {
        List<Map<String, String>> partitions = new ArrayList<>();
        pairs.forEach(p -> partitions.add(ReferenceRecords.partition(source.name(), p)));
        Map<Map<String, String>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        if (offsets == null) {
            return;
        }
        offsets.forEach((partition, offset) -> {
            if (offset != null && offset.get(ReferenceRecords.OFFSET_LAST) != null) {
                last.put(partition.get(ReferenceRecords.PARTITION_PAIR),
                        offset.get(ReferenceRecords.OFFSET_LAST).toString());
            }
        });
        if (!last.isEmpty()) {
            log.info("{} reference task resuming after {}", source, last);
        }
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long wait = nextDueMillis - clock.millis();
        if (wait > 0) {
            if (stopped.await(Math.min(wait, MAX_WAIT_MS), TimeUnit.MILLISECONDS) || clock.millis() < nextDueMillis) {
                return null;
            }
        }
        if (isStopped()) {
            return null;
        }
        Instant started = clock.instant();
        List<ReferenceReading> readings = read();
        Duration next = config.pollInterval();
        List<SourceRecord> out = new ArrayList<>();
        Set<ReferenceRejection> deadLettered = Collections.newSetFromMap(new IdentityHashMap<>());
        Instant now = clock.instant();
        for (ReferenceReading r : readings) {
            if (r.isOk()) {
                published(r.price(), now, out);
                continue;
            }
            ReferenceRejection why = r.rejection();
            if (why.retryAfter() != null && why.retryAfter().compareTo(next) > 0) {
                next = why.retryAfter();
            }
            FeedState state = why.stale() ? FeedState.STALE : FeedState.GAP;
            String detail = r.symbol() + " " + state + " from " + source + ": " + why.getMessage();
            log.warn("{}", detail);
            impaired.add(r.symbol());
            out.add(records.feedStatus(ReferenceRecords.status(source.name(), r.symbol(), r.sourceId(), state,
                    detail, now)));
            // A whole-response failure is one rejection shared by every pair: one dead letter is enough.
            if (deadLettered.add(why)) {
                out.add(records.deadLetter(source.name(), r.symbol(), why, now));
            }
        }
        nextDueMillis = started.toEpochMilli() + next.toMillis();
        return out.isEmpty() ? null : out;
    }

    private void published(ReferencePrice p, Instant now, List<SourceRecord> out) {
        String pair = p.getSymbol();
        if (impaired.remove(pair)) {
            out.add(records.feedStatus(ReferenceRecords.status(source.name(), pair, p.getSourceId(),
                    FeedState.CONNECTED, pair + " prices from " + source + " are good again", now)));
        }
        String key = p.getRoundId() != null ? p.getRoundId()
                : Long.toString(io.tickerplant.model.Micros.of(p.getEventTime()));
        if (!isNew(p, last.get(pair))) {
            return;
        }
        last.put(pair, key);
        out.add(records.price(p, key));
    }

    /** Chainlink: any other round id (a phase change renumbers). APIs: a strictly later source time. */
    private static boolean isNew(ReferencePrice p, String previous) {
        if (previous == null) {
            return true;
        }
        if (p.getRoundId() != null) {
            return !new BigInteger(p.getRoundId()).equals(new BigInteger(previous));
        }
        return io.tickerplant.model.Micros.of(p.getEventTime()) > Long.parseLong(previous);
    }

    private List<ReferenceReading> read() throws InterruptedException {
        switch (source) {
            case CHAINLINK -> {
                List<ReferenceReading> out = new ArrayList<>(feeds.size());
                for (ChainlinkFeed f : feeds) {
                    try {
                        out.add(ReferenceReading.ok(f.read()));
                    } catch (ReferenceRejection e) {
                        out.add(ReferenceReading.rejected(f.symbol(), f.proxy(), e));
                    }
                }
                return out;
            }
            case COINGECKO -> {
                return coinGecko.poll();
            }
            case COINPAPRIKA -> {
                return coinpaprika.poll();
            }
            default -> throw new IllegalStateException(source.name());
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
    }
}
