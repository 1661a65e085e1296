package io.tickerplant.venues;

import io.tickerplant.model.Micros;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical websocket feed that stays up: connects, hands over complete text messages, reconnects with
 * exponential backoff and jitter, aborts a connection that has gone silent, and replaces a connection before the
 * venue's own maximum age. Every venue adapter uses it.
 *
 * <p><b>Ordering and threads.</b> Handler calls never overlap, also across reconnects (a late callback of a dead
 * connection is dropped), so a handler needs no locking of its own. The next frame is requested from the socket only
 * after the handler returned: a slow handler slows the read, and TCP pushes back on the venue.
 *
 * <p><b>Pings.</b> The JDK client answers a ping with a pong carrying the same payload by itself, when it reads the
 * ping; since reading follows the handler, a handler blocked for longer than the venue's pong timeout gets the
 * connection closed by the venue, and the session reconnects.
 *
 * <p><b>Threads.</b> One scheduler thread ({@code tp-ws-NAME}) for reconnects and the watchdog; callbacks run on
 * the HTTP client's executor ({@code tp-ws-NAME-io-N} when the session owns the client). All are daemon threads and
 * {@link #close()} stops them. On JDK 17 the HTTP client's own selector thread ends only when the client is
 * garbage collected (JDK 21 closes it explicitly).
 */
public final class WebSocketSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);
    /** A connection that lived this long resets the backoff (capped by the maximum backoff). */
    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(10);
    private static final int ABNORMAL_CLOSURE = 1006;

    /** What the session reports to its owner. Calls never overlap. */
    public interface Handler {

        /**
         * A connection opened. Runs before the connection's first message is read, so it may subscribe and run
         * recovery; messages wait (in the socket) until it returns. Throwing closes this connection and retries.
         */
        void onOpen(WebSocketSession session) throws Exception;

        /** One complete text message, with the local time its first fragment arrived (epoch microseconds). */
        void onMessage(String text, long receiveTimeMicros);

        /** A connection that had opened ended, with why; a reconnect follows unless the session is closing. */
        void onDisconnected(String reason);
    }

    /**
     * Timing of a session.
     *
     * @param reconnectBackoffMin floor of every reconnect delay
     * @param reconnectBackoffMax cap of the reconnect delay
     * @param silenceTimeout abort and reconnect when no message and no ping arrived for this long
     * @param maxConnectionAge replace a connection at this age
     * @param connectTimeout limit of one connection attempt (TCP, TLS and websocket handshake)
     */
    public record Settings(Duration reconnectBackoffMin, Duration reconnectBackoffMax, Duration silenceTimeout,
                           Duration maxConnectionAge, Duration connectTimeout) {
        public Settings {
            Objects.requireNonNull(reconnectBackoffMin, "reconnectBackoffMin");
            Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
            Objects.requireNonNull(silenceTimeout, "silenceTimeout");
            Objects.requireNonNull(maxConnectionAge, "maxConnectionAge");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (reconnectBackoffMin.isNegative() || reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
                throw new IllegalArgumentException("need 0 <= reconnectBackoffMin <= reconnectBackoffMax");
            }
            if (!positive(silenceTimeout) || !positive(maxConnectionAge) || !positive(connectTimeout)) {
                throw new IllegalArgumentException("silenceTimeout, maxConnectionAge and connectTimeout must be positive");
            }
        }

        private static boolean positive(Duration d) {
            return !d.isNegative() && !d.isZero();
        }

        /** The adapter settings' timing; connection attempts are limited to the silence timeout, at most 30 s. */
        public static Settings from(AdapterSettings s) {
            Duration connect = s.silenceTimeout().compareTo(Duration.ofSeconds(30)) < 0
                    ? s.silenceTimeout() : Duration.ofSeconds(30);
            return new Settings(s.reconnectBackoffMin(), s.reconnectBackoffMax(), s.silenceTimeout(),
                    s.maxConnectionAge(), connect);
        }
    }

    private final String name;
    private final Supplier<URI> uri;
    private final Settings settings;
    private final Handler handler;
    private final HttpClient http;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock deliverLock = new ReentrantLock();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Connection current;
    private volatile boolean closed;

    /**
     * @param name short name for threads and logs, e.g. {@code binance}
     * @param uri where to connect, asked again at every attempt (venues with per-connection tokens change it)
     * @param http client to connect with, or null for one owned (and stopped) by this session
     */
    public WebSocketSession(String name, Supplier<URI> uri, Settings settings, HttpClient http, Handler handler) {
        this.name = Objects.requireNonNull(name, "name");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("tp-ws-" + name, false));
        if (http == null) {
            this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads("tp-ws-" + name + "-io", true));
            this.http = HttpClient.newBuilder().executor(ownedExecutor).connectTimeout(settings.connectTimeout())
                    .build();
        } else {
            this.ownedExecutor = null;
            this.http = http;
        }
    }

    /** Daemon threads named {@code prefix} or {@code prefix-N}. */
    public static ThreadFactory daemonThreads(String prefix, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? prefix + "-" + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }

    /** Connects in the background; returns at once. */
    public void start() {
        if (closed) {
            throw new IllegalStateException("session closed");
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        long period = Math.max(10, settings.silenceTimeout().toMillis() / 4);
        scheduler.scheduleWithFixedDelay(this::watchdog, period, period, TimeUnit.MILLISECONDS);
        scheduler.execute(this::connect);
    }

    /** True while a connection is open. */
    public boolean isConnected() {
        Connection c = current;
        return c != null && c.opened && !c.ended.get();
    }

    /** Connections opened so far. */
    public long connectCount() {
        return connects.get();
    }

    /** Sends a text message on the open connection; sends are queued in call order. */
    public CompletableFuture<Void> send(String text) {
        Connection c = current;
        if (c == null || !c.opened || c.ended.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return c.send(text);
    }

    /**
     * Ends the open connection and connects again at once, for venues that ask their clients to reconnect
     * (Bitstamp's {@code bts:request_reconnect}). Safe to call from a handler: the connection is ended on the
     * session's own thread after the handler returns, and {@link Handler#onDisconnected} reports it as usual.
     */
    public void reconnect(String reason) {
        Connection c = current;
        if (closed || c == null || !c.opened || c.ended.get()) {
            return;
        }
        try {
            scheduler.execute(() -> end(c, reason, true));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Closes the connection and stops every thread; no handler call starts after it returns, and
     * {@link Handler#onDisconnected} is not called for this close.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = current;
        if (c != null) {
            // The owner closes, so it needs no onDisconnected; and a blocked handler must not block close.
            end(c, "session closed", false, false);
        }
        scheduler.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            if (ownedExecutor != null) {
                ownedExecutor.awaitTermination(5, TimeUnit.SECONDS);
            }
            // Waits for a handler call in progress; a handler blocked for longer is its owner's problem.
            if (deliverLock.tryLock(5, TimeUnit.SECONDS)) {
                deliverLock.unlock();
            } else {
                log.warn("[{}] closed while a handler call is still running", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedExecutor != null && (Object) http instanceof AutoCloseable ac) {
            try {
                ac.close();
            } catch (Exception e) {
                log.debug("[{}] closing the HTTP client failed", name, e);
            }
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        URI target;
        try {
            target = uri.get();
        } catch (RuntimeException e) {
            log.error("[{}] cannot build the websocket URI", name, e);
            scheduleReconnect(backoff());
            return;
        }
        Connection c = new Connection(target);
        current = c;
        log.debug("[{}] connecting to {}", name, target);
        http.newWebSocketBuilder().connectTimeout(settings.connectTimeout()).buildAsync(target, c)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        c.ended.set(true);
                        if (!closed) {
                            Duration delay = backoff();
                            log.warn("[{}] connecting to {} failed ({}); retrying in {} ms", name, target,
                                    rootMessage(error), delay.toMillis());
                            scheduleReconnect(delay);
                        }
                    }
                });
    }

    private void scheduleReconnect(Duration delay) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Full jitter above the floor: uniform in [min, min(max, min * 2^(n+1))] for the n-th failed attempt in a row. */
    Duration backoff() {
        int n = failedAttempts.getAndIncrement();
        long min = settings.reconnectBackoffMin().toNanos();
        long max = settings.reconnectBackoffMax().toNanos();
        long ceiling = Math.max(min, 1_000_000L);
        for (int i = 0; i <= n && ceiling < max; i++) {
            ceiling = ceiling > max / 2 ? max : ceiling * 2;
        }
        ceiling = Math.max(min, Math.min(ceiling, max));
        return Duration.ofNanos(min + ThreadLocalRandom.current().nextLong(ceiling - min + 1));
    }

    private void watchdog() {
        Connection c = current;
        if (c == null || !c.opened || c.ended.get() || c.inHandler) {
            return;
        }
        long silentNanos = System.nanoTime() - c.lastActivityNanos;
        if (silentNanos > settings.silenceTimeout().toNanos()) {
            end(c, "no message or ping for " + silentNanos / 1_000_000 + " ms (silence timeout "
                    + settings.silenceTimeout().toMillis() + " ms)", false);
        }
    }

    /** Ends a connection once: aborts it, tells the handler if it had opened, and schedules the next one. */
    private void end(Connection c, String reason, boolean reconnectAtOnce) {
        end(c, reason, reconnectAtOnce, true);
    }

    private void end(Connection c, String reason, boolean reconnectAtOnce, boolean notify) {
        if (!c.ended.compareAndSet(false, true)) {
            return;
        }
        if (c.maxAgeTask != null) {
            c.maxAgeTask.cancel(false);
        }
        WebSocket ws = c.ws;
        if (ws != null) {
            ws.abort();
        }
        if (c.opened) {
            boolean healthy = System.nanoTime() - c.openedNanos >= Math.min(HEALTHY_AFTER.toNanos(),
                    settings.reconnectBackoffMax().toNanos());
            if (healthy) {
                failedAttempts.set(0);
            }
            log.info("[{}] disconnected from {}: {}", name, c.uri, reason);
            if (notify) {
                deliverLock.lock();
                try {
                    handler.onDisconnected(reason);
                } catch (RuntimeException e) {
                    log.error("[{}] disconnect handler failed", name, e);
                } finally {
                    deliverLock.unlock();
                }
            }
        }
        if (!closed) {
            scheduleReconnect(reconnectAtOnce ? Duration.ZERO : backoff());
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** One physical connection; its callbacks are ignored once it has ended. */
    private final class Connection implements WebSocket.Listener {
        final URI uri;
        final AtomicBoolean ended = new AtomicBoolean();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket ws;
        volatile boolean opened;
        volatile boolean inHandler;
        volatile long lastActivityNanos = System.nanoTime();
        volatile long openedNanos;
        volatile ScheduledFuture<?> maxAgeTask;
        long partialReceiveMicros;
        private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

        Connection(URI uri) {
            this.uri = uri;
        }

        synchronized CompletableFuture<Void> send(String text) {
            FrameTap.sent(uri.toString(), text, Micros.now());
            // The JDK allows one outstanding send per socket: chain them.
            CompletableFuture<Void> next = sendChain.handle((x, e) -> null)
                    .thenCompose(x -> ws.sendText(text, true)).thenApply(x -> null);
            sendChain = next;
            return next;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            if (closed || ended.get()) {
                webSocket.abort();
                return;
            }
            openedNanos = System.nanoTime();
            lastActivityNanos = openedNanos;
            opened = true;
            connects.incrementAndGet();
            FrameTap.connected(uri.toString(), Micros.now());
            log.info("[{}] connected to {}", name, uri);
            try {
                maxAgeTask = scheduler.schedule(() -> end(this, "maximum connection age "
                        + settings.maxConnectionAge() + " reached, reconnecting", true),
                        settings.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                end(this, "session closed", false);
                return;
            }
            Exception failure = null;
            deliverLock.lock();
            try {
                if (ended.get() || closed) {
                    return;
                }
                inHandler = true;
                handler.onOpen(WebSocketSession.this);
            } catch (Exception e) {
                failure = e;
            } finally {
                inHandler = false;
                lastActivityNanos = System.nanoTime();
                deliverLock.unlock();
            }
            if (failure != null) {
                log.error("[{}] open handler failed", name, failure);
                end(this, "open handler failed: " + failure, false);
                return;
            }
            if (!ended.get()) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (ended.get()) {
                return null;
            }
            lastActivityNanos = System.nanoTime();
            String text = null;
            long micros;
            if (partial.length() == 0) {
                micros = Micros.now();
                if (last) {
                    text = data.toString();
                } else {
                    partialReceiveMicros = micros;
                    partial.append(data);
                }
            } else {
                micros = partialReceiveMicros;
                partial.append(data);
                if (last) {
                    text = partial.toString();
                    partial.setLength(0);
                }
            }
            if (text != null) {
                deliver(text, micros);
            }
            if (!ended.get()) {
                webSocket.request(1);
            }
            return null;
        }

        private void deliver(String text, long micros) {
            FrameTap.received(uri.toString(), text, micros);
            deliverLock.lock();
            try {
                if (ended.get() || closed) {
                    return;
                }
                inHandler = true;
                handler.onMessage(text, micros);
            } catch (RuntimeException e) {
                // A handler bug must not take the feed down; the adapter reports bad frames itself.
                log.error("[{}] message handler failed on {}", name, abbreviate(text), e);
            } finally {
                inHandler = false;
                lastActivityNanos = System.nanoTime();
                deliverLock.unlock();
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            lastActivityNanos = System.nanoTime();
            log.warn("[{}] ignoring an unexpected binary frame of {} bytes", name, data.remaining());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            // The JDK has already queued the pong with the same payload.
            lastActivityNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastActivityNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            // 1006 is never sent on the wire: the JDK reports it when the TCP connection ended without a close frame.
            String why = statusCode == ABNORMAL_CLOSURE ? "connection lost without a close frame (1006)"
                    : "closed by the venue with code " + statusCode
                    + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
            end(this, why, false);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            // JDK 17's websocket reader throws InternalError when the peer drops the TCP connection mid-read.
            end(this, error instanceof InternalError ? "connection lost without a close frame (JDK reported "
                    + error + ")" : "connection failed: " + rootMessage(error), false);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
