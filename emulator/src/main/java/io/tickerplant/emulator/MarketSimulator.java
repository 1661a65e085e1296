package io.tickerplant.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated market: per symbol a random-walk price on a tick grid, Poisson-arriving taker orders that fill one or
 * more resting orders (so bursts of trades with the same time happen, as on a real book), sizes on a lot grid, and
 * contiguous trade ids.
 *
 * <p>Deterministic given a seed and the same sequence of calls: each symbol draws from its own generator, so adding a
 * symbol does not change another's trades. Time is virtual: {@link #step(Duration)} advances it by hand (tests);
 * {@link #start()} ties it to the wall clock and advances it on the simulator's own thread.
 *
 * <p>Trades reach the listeners in generation order, on the thread that generated them, one at a time.
 * Thread-safe.
 */
public final class MarketSimulator implements AutoCloseable {

    /** Decimal places of every price and quantity text, as on Binance spot. */
    public static final int SCALE = 8;

    private static final Logger log = LoggerFactory.getLogger(MarketSimulator.class);
    private static final long RUN_PERIOD_MILLIS = 2;
    private static final int MAX_FILLS_PER_ORDER = 20;

    /**
     * @param symbols the listed instruments
     * @param seed seed of every random draw
     * @param firstTradeId id of each symbol's first trade
     * @param burstProbability chance that a taker order fills one more resting order (geometric fill count)
     * @param startTimeMillis the virtual clock's start, epoch milliseconds
     */
    public record Options(List<SymbolSpec> symbols, long seed, long firstTradeId, double burstProbability,
                          long startTimeMillis) {
        public Options {
            symbols = List.copyOf(symbols);
            if (symbols.isEmpty()) {
                throw new IllegalArgumentException("at least one symbol is needed");
            }
            if (!(burstProbability >= 0 && burstProbability < 1)) {
                throw new IllegalArgumentException("burstProbability must be in [0, 1)");
            }
        }

        /** Seed 1, ids from 1,000,000, a quarter of orders sweep more than one level, clock from now. */
        public static Options of(List<SymbolSpec> symbols) {
            return new Options(symbols, 1L, 1_000_000L, 0.25, System.currentTimeMillis());
        }
    }

    private final Object lock = new Object();
    private final Map<String, Book> books = new LinkedHashMap<>();
    private final List<Consumer<EmittedTrade>> listeners = new CopyOnWriteArrayList<>();
    private final double burstProbability;
    private double nowMillis;
    private boolean paused;
    private boolean stopped;
    private ScheduledExecutorService runner;
    private volatile Thread runnerThread;

    public MarketSimulator(Options options) {
        this.burstProbability = options.burstProbability();
        this.nowMillis = options.startTimeMillis();
        for (SymbolSpec spec : options.symbols()) {
            if (books.containsKey(spec.symbol())) {
                throw new IllegalArgumentException("symbol listed twice: " + spec.symbol());
            }
            // Mixing the symbol into the seed keeps symbols independent of each other and of their order.
            long seed = options.seed() * 0x9E3779B97F4A7C15L ^ spec.symbol().hashCode();
            books.put(spec.symbol(), new Book(spec, new SplittableRandom(seed), options.firstTradeId()));
        }
        for (Book b : books.values()) {
            b.scheduleNext(nowMillis);
        }
    }

    /** Called with every trade, in order, on the generating thread; keep it quick. */
    public void addListener(Consumer<EmittedTrade> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public List<SymbolSpec> symbols() {
        synchronized (lock) {
            return books.values().stream().map(b -> b.spec).toList();
        }
    }

    /** Starts generating on the simulator's own thread, following the wall clock. */
    public void start() {
        synchronized (lock) {
            if (stopped) {
                throw new IllegalStateException("simulator stopped");
            }
            if (runner != null) {
                return;
            }
            // No burst of catch-up trades for the time between construction and start.
            double wall = System.currentTimeMillis();
            if (wall > nowMillis) {
                nowMillis = wall;
                for (Book b : books.values()) {
                    if (b.nextArrival < wall) {
                        b.scheduleNext(wall);
                    }
                }
            }
            runner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "market-simulator");
                t.setDaemon(true);
                runnerThread = t;
                return t;
            });
            runner.scheduleWithFixedDelay(this::runOnce, 0, RUN_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce() {
        try {
            advanceTo(System.currentTimeMillis(), null);
        } catch (RuntimeException e) {
            // An exception would cancel the periodic task; the market must keep trading.
            log.error("market simulator step failed", e);
        }
    }

    public boolean isRunning() {
        synchronized (lock) {
            return runner != null && !stopped;
        }
    }

    /** Stops generating; the clock keeps moving, and no trades are made for the paused time. */
    public void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (lock) {
            paused = false;
        }
    }

    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /** Stops the thread for good. Idempotent. */
    public void stop() {
        ScheduledExecutorService r;
        Thread thread;
        synchronized (lock) {
            stopped = true;
            r = runner;
            runner = null;
            thread = runnerThread;
            runnerThread = null;
        }
        if (r != null) {
            r.shutdownNow();
            try {
                r.awaitTermination(5, TimeUnit.SECONDS);
                // The pool reports termination a moment before its thread has exited: wait for the thread itself,
                // so that after stop() nothing of the simulator runs.
                if (thread != null) {
                    thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Advances the virtual clock, generating what arrives meanwhile; returns those trades. */
    public List<EmittedTrade> step(Duration d) {
        List<EmittedTrade> out = new ArrayList<>();
        synchronized (lock) {
            advanceTo(nowMillis + d.toNanos() / 1e6, out);
        }
        return out;
    }

    /** Makes exactly {@code count} trades for one symbol now, whatever its rate, even when paused. */
    public List<EmittedTrade> trade(String symbol, int count) {
        List<EmittedTrade> out = new ArrayList<>(count);
        synchronized (lock) {
            Book b = book(symbol);
            long time = (long) Math.floor(Math.max(nowMillis, isRunning() ? System.currentTimeMillis() : 0));
            while (out.size() < count) {
                b.order(time, count - out.size(), out::add);
            }
            out.forEach(this::publish);
        }
        return out;
    }

    /** Changes a symbol's mean arrival rate from now on; 0 stops its random trading. */
    public void setTradesPerSecond(String symbol, double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        synchronized (lock) {
            Book b = book(symbol);
            b.rate = rate;
            b.scheduleNext(nowMillis);
        }
    }

    public double tradesPerSecond(String symbol) {
        synchronized (lock) {
            return book(symbol).rate;
        }
    }

    /** The virtual clock, epoch milliseconds. */
    public long nowMillis() {
        synchronized (lock) {
            return (long) Math.floor(nowMillis);
        }
    }

    /** Id the symbol's next trade will get. */
    public long nextTradeId(String symbol) {
        synchronized (lock) {
            return book(symbol).nextId;
        }
    }

    private Book book(String symbol) {
        Book b = books.get(symbol);
        if (b == null) {
            throw new IllegalArgumentException("unknown symbol '" + symbol + "'; listed: " + books.keySet());
        }
        return b;
    }

    private void advanceTo(double target, List<EmittedTrade> sink) {
        synchronized (lock) {
            if (stopped || target <= nowMillis) {
                return;
            }
            if (paused) {
                nowMillis = target;
                for (Book b : books.values()) {
                    if (b.nextArrival < target) {
                        b.scheduleNext(target);
                    }
                }
                return;
            }
            while (true) {
                // Merge the symbols' arrival processes so that trades come out in time order across symbols.
                Book next = null;
                for (Book b : books.values()) {
                    if (b.nextArrival <= target && (next == null || b.nextArrival < next.nextArrival)) {
                        next = b;
                    }
                }
                if (next == null) {
                    break;
                }
                double arrival = next.nextArrival;
                nowMillis = Math.max(nowMillis, arrival);
                next.order((long) Math.floor(arrival), MAX_FILLS_PER_ORDER, t -> {
                    publish(t);
                    if (sink != null) {
                        sink.add(t);
                    }
                });
                next.scheduleNext(arrival);
            }
            nowMillis = target;
        }
    }

    private void publish(EmittedTrade t) {
        for (Consumer<EmittedTrade> l : listeners) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                log.error("trade listener failed on {} {}", t.symbol(), t.id(), e);
            }
        }
    }

    private final class Book {
        final SymbolSpec spec;
        final SplittableRandom rng;
        final long tickUnits;
        final long lotUnits;
        final long minTicks;
        final long maxTicks;
        final double typicalLots;
        long priceTicks;
        long nextId;
        double rate;
        double nextArrival;

        Book(SymbolSpec spec, SplittableRandom rng, long firstId) {
            this.spec = spec;
            this.rng = rng;
            this.tickUnits = units(spec.tickSize());
            this.lotUnits = units(spec.lotSize());
            this.priceTicks = spec.startPrice().divide(spec.tickSize()).longValueExact();
            // The walk stays within a factor of two of the start, so long runs never reach zero.
            this.minTicks = Math.max(1, priceTicks / 2);
            this.maxTicks = priceTicks * 2;
            // About 1000 quote units per fill, a typical retail-to-small-desk size.
            double price = spec.startPrice().doubleValue();
            this.typicalLots = Math.max(1, 1000.0 / price / spec.lotSize().doubleValue());
            this.nextId = firstId;
            this.rate = spec.tradesPerSecond();
        }

        void scheduleNext(double from) {
            if (rate <= 0) {
                nextArrival = Double.POSITIVE_INFINITY;
                return;
            }
            // Orders, not trades, arrive as a Poisson process; each fills 1 / (1 - p) trades on average.
            double ordersPerMilli = rate * (1 - burstProbability) / 1000.0;
            nextArrival = from + -Math.log(1 - rng.nextDouble()) / ordersPerMilli;
        }

        void order(long time, int maxFills, Consumer<EmittedTrade> out) {
            double u = rng.nextDouble();
            long move = u < 0.35 ? 0 : u < 0.65 ? -1 : u < 0.95 ? 1 : (rng.nextBoolean() ? 1 : -1) * (2 + rng.nextInt(4));
            priceTicks = Math.min(maxTicks, Math.max(minTicks, priceTicks + move));
            boolean takerBuys = rng.nextBoolean();
            int fills = 1;
            while (fills < maxFills && rng.nextDouble() < burstProbability) {
                fills++;
            }
            for (int i = 0; i < fills; i++) {
                if (i > 0 && rng.nextBoolean()) {
                    // A sweeping taker walks the book: buys lift higher asks, sells hit lower bids.
                    priceTicks = Math.min(maxTicks, Math.max(minTicks, priceTicks + (takerBuys ? 1 : -1)));
                }
                long lots = Math.max(1, Math.round(typicalLots * Math.exp(rng.nextGaussian() - 0.5)));
                long priceUnits = Math.multiplyExact(priceTicks, tickUnits);
                long qtyUnits = Math.multiplyExact(lots, lotUnits);
                BigDecimal price = BigDecimal.valueOf(priceUnits, SCALE);
                BigDecimal qty = BigDecimal.valueOf(qtyUnits, SCALE);
                String quoteQty = price.multiply(qty).setScale(SCALE, RoundingMode.DOWN).toPlainString();
                out.accept(new EmittedTrade(spec.symbol(), nextId++, price.toPlainString(), qty.toPlainString(),
                        quoteQty, time, !takerBuys));
            }
        }

        private static long units(BigDecimal v) {
            return v.movePointRight(SCALE).longValueExact();
        }
    }
}
