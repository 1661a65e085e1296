package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickerplant.model.Topics;
import io.tickerplant.server.LivePush.EventType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LivePushTest {

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final LivePush push = new LivePush("unused:9092", Topics.defaults(), metrics);

    @Test
    void aSubscriberGetsOnlyItsSymbolAndTypesButConnectionWideStatusToo() throws Exception {
        LivePush.Subscription s = push.subscribe("BTC-USDT", EnumSet.of(EventType.TRADE, EventType.FEEDSTATUS));
        push.publish(EventType.TRADE, "ETH-USDT", Map.of("n", 1));
        push.publish(EventType.CANDLE, "BTC-USDT", Map.of("n", 2));
        push.publish(EventType.TRADE, "BTC-USDT", Map.of("n", 3));
        push.publish(EventType.FEEDSTATUS, null, Map.of("n", 4));
        assertThat(s.next(0, TimeUnit.SECONDS)).isEqualTo(new LivePush.Event(EventType.TRADE, "{\"n\":3}"));
        assertThat(s.next(0, TimeUnit.SECONDS).name()).isEqualTo("feedstatus");
        assertThat(s.next(0, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void theLatencyFromReceiveTimeToTheBrowserIsTimedPerType() throws Exception {
        LivePush.Subscription s = push.subscribe(null, EnumSet.of(EventType.TRADE, EventType.LIQUIDATION_STATS));
        push.publish(EventType.TRADE, "BTC-USDT", Map.of("n", 1), io.tickerplant.model.Micros.now() - 2_000);
        push.publish(EventType.LIQUIDATION_STATS, "BTC-USDT-PERP", Map.of("n", 2)); // derived: no receive time
        s.sent(s.next(0, TimeUnit.SECONDS));
        s.sent(s.next(0, TimeUnit.SECONDS));
        io.micrometer.core.instrument.Timer t = metrics.get("tickerplant.live.push.latency").tag("type", "trade").timer();
        assertThat(t.count()).isEqualTo(1);
        assertThat(t.totalTime(TimeUnit.MICROSECONDS)).isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void aSlowSubscriberLosesItsOldestEventsWhichAreCountedAndTheNewestSurvive() throws Exception {
        LivePush.Subscription slow = push.subscribe(null, EnumSet.of(EventType.TRADE));
        int extra = 10;
        for (int i = 0; i < LivePush.QUEUE_CAPACITY + extra; i++) {
            push.publish(EventType.TRADE, "BTC-USDT", Map.of("n", i));
        }
        assertThat(slow.dropped()).isEqualTo(extra);
        assertThat(metrics.counter("tickerplant.live.events.dropped").count()).isEqualTo(extra);
        assertThat(slow.next(0, TimeUnit.SECONDS).json()).isEqualTo("{\"n\":" + extra + "}");
    }

    @Test
    void aClosedSubscriptionGetsNothingAndIsNoLongerCounted() throws Exception {
        LivePush.Subscription s = push.subscribe(null, EnumSet.allOf(EventType.class));
        assertThat(metrics.get("tickerplant.live.subscribers").gauge().value()).isEqualTo(1);
        s.close();
        push.publish(EventType.TRADE, "BTC-USDT", Map.of("n", 1));
        assertThat(s.next(0, TimeUnit.SECONDS)).isNull();
        assertThat(metrics.get("tickerplant.live.subscribers").gauge().value()).isZero();
    }

    @Test
    void typesParseFromTheirParameterNamesAndUnknownOnesAreNamed() {
        assertThat(LivePush.parseTypes("trades, candles,feedstatus"))
                .isEqualTo(Set.of(EventType.TRADE, EventType.CANDLE, EventType.FEEDSTATUS));
        assertThat(LivePush.parseTypes(null)).isEqualTo(EnumSet.allOf(EventType.class));
        assertThat(LivePush.parseTypes("liquidations,liquidationStats"))
                .isEqualTo(Set.of(EventType.LIQUIDATION, EventType.LIQUIDATION_STATS));
        assertThat(EventType.LIQUIDATION.eventName()).isEqualTo("liquidation");
        assertThat(EventType.LIQUIDATION_STATS.eventName()).isEqualTo("liquidationStats");
        assertThatThrownBy(() -> LivePush.parseTypes("trades,nope"))
                .isInstanceOf(BadParameterException.class).hasMessageContaining("'nope'");
    }
}
