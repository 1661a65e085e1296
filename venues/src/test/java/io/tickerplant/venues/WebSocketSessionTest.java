package io.tickerplant.venues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketSessionTest {

    private static final WebSocketSession.Handler NOTHING = new WebSocketSession.Handler() {
        @Override
        public void onOpen(WebSocketSession session) {
        }

        @Override
        public void onMessage(String text, long receiveTimeMicros) {
        }

        @Override
        public void onDisconnected(String reason) {
        }
    };

    private static WebSocketSession session(Duration min, Duration max) {
        return new WebSocketSession("unit", () -> URI.create("ws://127.0.0.1:1"),
                new WebSocketSession.Settings(min, max, Duration.ofSeconds(30), Duration.ofHours(1),
                        Duration.ofSeconds(5)), null, NOTHING);
    }

    @Test
    void backoffDoublesWithFullJitterAboveTheFloorUpToTheCap() {
        try (WebSocketSession s = session(Duration.ofMillis(100), Duration.ofMillis(3_000))) {
            List<Long> delays = new ArrayList<>();
            for (int attempt = 0; attempt < 12; attempt++) {
                long ms = s.backoff().toMillis();
                long ceiling = Math.min(3_000, 100L << (attempt + 1));
                assertThat(ms).as("attempt %d", attempt).isBetween(100L, ceiling);
                delays.add(ms);
            }
            assertThat(delays.subList(6, 12)).anyMatch(d -> d > 400);
        }
    }

    @Test
    void backoffStaysBetweenFloorAndCapThroughALongOutage() {
        try (WebSocketSession s = session(Duration.ofSeconds(1), Duration.ofSeconds(60))) {
            List<Long> delays = new ArrayList<>();
            for (int attempt = 0; attempt < 1_000; attempt++) {
                delays.add(s.backoff().toMillis());
            }
            assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(1_000L, 60_000L));
            assertThat(delays.subList(900, 1_000).stream().mapToLong(Long::longValue).average().orElse(0))
                    .isGreaterThan(20_000);
        }
    }

    @Test
    void backoffIsJitteredNotFixed() {
        try (WebSocketSession s = session(Duration.ofMillis(100), Duration.ofSeconds(60))) {
            List<Long> late = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                late.add(s.backoff().toMillis());
            }
            assertThat(late.stream().distinct().count()).isGreaterThan(10);
        }
    }

    @Test
    void settingsRefuseInvertedBackoffAndNonPositiveTimeouts() {
        assertThatThrownBy(() -> new WebSocketSession.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSocketSession.Settings(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendWithoutAConnectionFails() {
        try (WebSocketSession s = session(Duration.ofMillis(100), Duration.ofSeconds(1))) {
            assertThat(s.send("x")).isCompletedExceptionally();
            assertThat(s.isConnected()).isFalse();
        }
    }
}
