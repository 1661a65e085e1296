package io.tickerplant.venues.binance;

import java.util.function.LongSupplier;

/**
 * Spaces the messages a client sends on one connection so that no second holds more than Binance allows (5
 * incoming messages per second, pings and pongs included; beyond it the connection is closed). Messages are spaced
 * evenly, 10% wider than the limit needs, so that network jitter cannot bunch them into one second at the server.
 * Not thread-safe: one connection's handler thread.
 */
public final class SubscribePacer {

    /** How the pacer waits; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long gapNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long lastSendNanos;
    private boolean sentBefore;

    /** A pacer on the system clock. */
    public SubscribePacer(int maxMessagesPerSecond) {
        this(maxMessagesPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    public SubscribePacer(int maxMessagesPerSecond, LongSupplier clock, Sleeper sleeper) {
        if (maxMessagesPerSecond < 1) {
            throw new IllegalArgumentException("maxMessagesPerSecond must be >= 1");
        }
        this.gapNanos = 1_100_000_000L / maxMessagesPerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The spacing between two messages. */
    public long gapNanos() {
        return gapNanos;
    }

    /** Waits until the next message may be sent, and counts it as sent. */
    public void awaitTurn() throws InterruptedException {
        long now = clock.getAsLong();
        if (sentBefore) {
            long wait = lastSendNanos + gapNanos - now;
            if (wait > 0) {
                sleeper.sleepNanos(wait);
                now = clock.getAsLong();
            }
        }
        lastSendNanos = now;
        sentBefore = true;
    }
}
