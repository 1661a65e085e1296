package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPlatformTest {

    private final List<String> events = new ArrayList<>();

    private class Fake implements Component {
        private final String name;
        private final String endpoint;
        private final boolean failOnStart;

        Fake(String name, String endpoint, boolean failOnStart) {
            this.name = name;
            this.endpoint = endpoint;
            this.failOnStart = failOnStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            if (failOnStart) {
                throw new IllegalStateException("port 1 is in use");
            }
            events.add("start " + name);
        }

        @Override
        public Optional<String> endpoint() {
            return Optional.ofNullable(endpoint);
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }

    @Test
    void startsInOrderClosesInReverseAndListsEndpointsInTheReadyLine() {
        EmbeddedPlatform platform = new EmbeddedPlatform(PlatformConfig.defaults());
        platform.add(new Fake("kafka", "127.0.0.1:9092", false));
        platform.add(new Fake("topics", null, false));
        platform.add(new Fake("web", "http://127.0.0.1:8080", false));

        platform.start();
        assertThat(platform.readyLine()).matches(
                "tickerplant ready in \\d+\\.\\d s — kafka 127\\.0\\.0\\.1:9092 · web http://127\\.0\\.0\\.1:8080");
        platform.close();
        platform.close();

        assertThat(events).containsExactly("start kafka", "start topics", "start web",
                "close web", "close topics", "close kafka");
    }

    @Test
    void aFailedStartClosesWhatStartedAndNamesTheComponent() {
        EmbeddedPlatform platform = new EmbeddedPlatform(PlatformConfig.defaults());
        platform.add(new Fake("kafka", "k", false));
        platform.add(new Fake("connect", "c", false));
        platform.add(new Fake("postgres", "p", true));
        platform.add(new Fake("web", "w", false));

        assertThatThrownBy(platform::start)
                .isInstanceOf(EmbeddedPlatform.StartException.class)
                .hasMessage("postgres failed to start: port 1 is in use")
                .extracting(e -> ((EmbeddedPlatform.StartException) e).component()).isEqualTo("postgres");
        assertThat(events).containsExactly("start kafka", "start connect", "close connect", "close kafka");
    }

    @Test
    void componentsCannotBeAddedOnceStarted() {
        EmbeddedPlatform platform = new EmbeddedPlatform(PlatformConfig.defaults());
        platform.start();
        assertThatThrownBy(() -> platform.add(new Fake("late", null, false)))
                .isInstanceOf(IllegalStateException.class);
        platform.close();
    }

    @Test
    void closeBeforeStartMakesStartRefuse() throws Exception {
        EmbeddedPlatform platform = new EmbeddedPlatform(PlatformConfig.defaults());
        platform.add(new Fake("kafka", "k", false));
        platform.close();
        platform.awaitClosed();

        assertThatThrownBy(platform::start).isInstanceOf(EmbeddedPlatform.StartException.class)
                .hasMessage("start cancelled before kafka")
                .satisfies(e -> assertThat(((EmbeddedPlatform.StartException) e).cancelled()).isTrue());
        assertThat(events).isEmpty();
    }

    @Test
    void closeDuringAStartWaitsForThatComponentThenClosesItAndCancelsTheRest() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EmbeddedPlatform platform = new EmbeddedPlatform(PlatformConfig.defaults());
        platform.add(new Fake("kafka", "k", false));
        platform.add(new Fake("slow", null, false) {
            @Override
            public void start() {
                starting.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                super.start();
            }
        });
        platform.add(new Fake("web", "w", false));

        CompletableFuture<Void> start = CompletableFuture.runAsync(platform::start);
        starting.await();
        CompletableFuture<Void> close = CompletableFuture.runAsync(platform::close);
        Thread.sleep(100);
        assertThat(close).isNotDone();
        release.countDown();
        close.get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> start.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(EmbeddedPlatform.StartException.class)
                .cause().hasMessage("start cancelled before web");
        assertThat(events).containsExactly("start kafka", "start slow", "close slow", "close kafka");
    }

    @Test
    void theStandardPlatformIsKafkaThenTopicsThenConnect() {
        EmbeddedPlatform platform = EmbeddedPlatform.standard(PlatformConfig.defaults());
        assertThat(platform.components()).extracting(Component::name).containsExactly("kafka", "topics", "connect");
        assertThat(platform.kafka().embedded()).isTrue();
        assertThat(platform.connect().embedded()).isTrue();
    }
}
