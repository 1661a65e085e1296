package io.tickerplant.venues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickerplant.emulator.binance.BinanceEmulator;
import io.tickerplant.model.Micros;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session against the Binance emulator as an independent websocket peer. */
class WebSocketSessionIT {

    private BinanceEmulator emulator;
    private WebSocketSession session;

    /** Records handler calls and checks they never overlap. */
    static final class Recorder implements WebSocketSession.Handler {
        final List<String> messages = Collections.synchronizedList(new ArrayList<>());
        final List<Long> receiveTimes = Collections.synchronizedList(new ArrayList<>());
        final List<String> disconnects = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile Consumer<WebSocketSession> onOpen = s -> { };

        private void enter() {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        }

        @Override
        public void onOpen(WebSocketSession s) {
            enter();
            try {
                opens.incrementAndGet();
                onOpen.accept(s);
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
            enter();
            try {
                messages.add(text);
                receiveTimes.add(receiveTimeMicros);
                CountDownLatch g = gate;
                if (g != null) {
                    g.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void onDisconnected(String reason) {
            enter();
            disconnects.add(reason);
            inside.decrementAndGet();
        }
    }

    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private BinanceEmulator emulator(BinanceEmulator.Builder b) {
        emulator = b.symbols("BTCUSDT").start();
        return emulator;
    }

    /** The market trades only when a test says so. */
    private static BinanceEmulator.Builder manual() {
        return BinanceEmulator.builder().generate(false);
    }

    private WebSocketSession session(String path, Duration silence, Duration maxAge) {
        URI uri = URI.create(emulator.websocketUri() + path);
        session = new WebSocketSession("it", () -> uri, new WebSocketSession.Settings(Duration.ofMillis(20),
                Duration.ofMillis(200), silence, maxAge, Duration.ofSeconds(5)), null, recorder);
        session.start();
        return session;
    }

    private WebSocketSession session() {
        return session("/stream?streams=btcusdt@trade", Duration.ofSeconds(30), Duration.ofHours(1));
    }

    @Test
    void deliversCompleteMessagesWithTheirReceiveTime() {
        emulator(manual());
        long before = Micros.now();
        session();
        await().until(() -> emulator.connectionCount() == 1);
        String big = "{\"big\":\"" + "x".repeat(300_000) + "\"}";
        emulator.trade("BTCUSDT", 3);
        emulator.sendRawFrame(big);
        await().until(() -> recorder.messages.size() == 4);
        assertThat(recorder.messages.get(3)).isEqualTo(big);
        assertThat(recorder.messages.get(0)).contains("\"t\":1000000");
        assertThat(recorder.receiveTimes).allSatisfy(t -> assertThat(t).isBetween(before, Micros.now()));
        assertThat(recorder.opens.get()).isEqualTo(1);
    }

    @Test
    void answersServerPingsSoTheVenueKeepsTheConnection() {
        emulator(manual().pingInterval(Duration.ofMillis(50)).pongTimeout(Duration.ofMillis(300))
                .maxIncomingMessagesPerSecond(0));
        session();
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.pongsReceived() >= 20);
        assertThat(emulator.connectionsAccepted()).isEqualTo(1);
        assertThat(session.connectCount()).isEqualTo(1);
        assertThat(recorder.disconnects).isEmpty();
    }

    @Test
    void reconnectsAfterADroppedConnectionAndOpensAgain() {
        // Server pings keep a quiet connection alive; a short silence timeout catches the drops the JDK 17
        // client sometimes misses (its socket stays in CLOSE_WAIT without a callback).
        emulator(manual().pingInterval(Duration.ofMillis(250)));
        session("/stream?streams=btcusdt@trade", Duration.ofSeconds(1), Duration.ofHours(1));
        await().until(() -> emulator.connectionCount() == 1);
        emulator.dropConnections();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.opens.get() == 2 && session.isConnected());
        assertThat(recorder.disconnects).hasSize(1);
        assertThat(recorder.disconnects.get(0)).isNotBlank();
        emulator.trade("BTCUSDT", 1);
        await().until(() -> recorder.messages.size() == 1);
    }

    @Test
    void reportsTheVenuesCloseCodeAndReconnects() {
        emulator(manual());
        session();
        await().until(() -> emulator.connectionCount() == 1);
        emulator.closeConnections(1001, "going away");
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.opens.get() == 2);
        assertThat(recorder.disconnects.get(0)).contains("1001").contains("going away");
    }

    @Test
    void silenceWatchdogAbortsAndReconnects() {
        emulator(manual());
        session("/stream?streams=btcusdt@trade", Duration.ofMillis(300), Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.opens.get() >= 2);
        assertThat(recorder.disconnects.get(0)).contains("silence timeout");
    }

    @Test
    void replacesTheConnectionAtItsMaximumAge() {
        emulator(manual());
        session("/stream?streams=btcusdt@trade", Duration.ofSeconds(30), Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.opens.get() >= 3);
        assertThat(recorder.disconnects).allSatisfy(r -> assertThat(r).contains("maximum connection age"));
    }

    @Test
    void slowHandlerIsNeverCalledConcurrentlyAndGetsEverythingInOrder() {
        emulator(manual());
        recorder.gate = new CountDownLatch(1);
        session("/stream?streams=btcusdt@trade", Duration.ofMillis(200), Duration.ofHours(1));
        await().until(() -> emulator.connectionCount() == 1);
        emulator.trade("BTCUSDT", 500);
        await().until(() -> recorder.messages.size() == 1);
        // Blocked in the handler, the session neither reads on nor mistakes the pause for silence.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(10))
                .until(() -> recorder.messages.size() == 1 && recorder.disconnects.isEmpty());
        recorder.gate.countDown();
        recorder.gate = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.size() == 500);
        for (int i = 0; i < 500; i++) {
            assertThat(recorder.messages.get(i)).contains("\"t\":" + (1_000_000 + i) + ",");
        }
        assertThat(recorder.maxInside.get()).isEqualTo(1);
    }

    @Test
    void sendsFromOnOpenAreQueuedInOrder() {
        emulator(manual());
        recorder.onOpen = s -> {
            for (int id = 1; id <= 3; id++) {
                s.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + id + "}");
            }
        };
        session("/ws", Duration.ofSeconds(30), Duration.ofHours(1));
        await().until(() -> recorder.messages.size() == 3);
        assertThat(recorder.messages).containsExactly("{\"result\":[],\"id\":1}", "{\"result\":[],\"id\":2}",
                "{\"result\":[],\"id\":3}");
    }

    @Test
    void keepsRetryingUntilTheVenueComesBack() {
        emulator(manual());
        int port = emulator.port();
        URI uri = URI.create(emulator.websocketUri() + "/stream?streams=btcusdt@trade");
        emulator.close();
        session = new WebSocketSession("it", () -> uri, new WebSocketSession.Settings(Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(2)), null,
                recorder);
        session.start();
        await().during(Duration.ofMillis(300)).until(() -> recorder.opens.get() == 0);
        emulator = BinanceEmulator.builder().symbols("BTCUSDT").generate(false).port(port).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.opens.get() == 1);
        assertThat(recorder.disconnects).isEmpty();
    }

    @Test
    void closeDoesNotWaitForAHandlerBlockedOnItsOwner() {
        emulator(manual());
        recorder.gate = new CountDownLatch(1);
        session();
        await().until(() -> emulator.connectionCount() == 1);
        emulator.trade("BTCUSDT", 5);
        await().until(() -> recorder.messages.size() == 1);
        long start = System.nanoTime();
        session.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(recorder.messages).hasSize(1);
        assertThat(recorder.disconnects).isEmpty();
    }

    @Test
    void closeStopsItsThreadsAndTheHandlerCalls() {
        emulator(BinanceEmulator.builder().tradesPerSecond(500));
        session();
        await().until(() -> recorder.messages.size() > 10);
        session.close();
        int seen = recorder.messages.size();
        await().during(Duration.ofMillis(300)).until(() -> recorder.messages.size() == seen);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("tp-ws-it"));
    }
}
