package io.tickerplant.connect.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands events from the adapter's I/O thread to {@code poll()}. Bounded: when Kafka cannot keep up, {@link #put}
 * blocks, the adapter stops reading its socket, and the venue's TCP window does the rest (the idea of Debezium's
 * ChangeEventQueue). A failure on the I/O side is carried over and thrown from {@link #drain}, so the task fails
 * visibly instead of going quiet.
 */
final class EventQueue {

    private final BlockingQueue<Object> queue;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    EventQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Blocks while full; returns false (dropping the event) only once the queue is closed. */
    boolean put(Object event) {
        try {
            while (!closed) {
                if (queue.offer(event, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Waits up to {@code maxWait} for the first event, then takes what is there, up to {@code max}. */
    List<Object> drain(int max, long maxWaitMillis) throws InterruptedException {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        Object first = queue.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Object> out = new ArrayList<>(Math.min(max, queue.size() + 1));
        out.add(first);
        queue.drainTo(out, max - 1);
        return out;
    }

    void fail(RuntimeException e) {
        failure = e;
    }

    void close() {
        closed = true;
        queue.clear();
    }

    int size() {
        return queue.size();
    }
}
