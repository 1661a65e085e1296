package io.tickerplant.server.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the server cannot see by itself for {@code /api/pipeline}: the connectors' states (only the platform knows
 * its Connect cluster) and the consumer groups whose lag matters.
 *
 * @param connectors     asked at each request; each connector's state, with {@code UNKNOWN} when Connect does not
 *                       answer
 * @param consumerGroups the groups whose lag is measured, e.g. {@code connect-postgres-sink} and the Streams
 *                       application ids
 * @param refresh        how often lag and sink latency are measured (each is one Kafka admin call or one SQL query)
 */
public record PipelineSources(Supplier<List<PipelineReport.Connector>> connectors, List<String> consumerGroups,
        Duration refresh) {

    /** Measured every 5 s: often enough for a dashboard, rare enough to cost nothing. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    public PipelineSources {
        consumerGroups = List.copyOf(consumerGroups);
    }

    /** No connectors and no groups: a server on its own (API tests). */
    public static PipelineSources none() {
        return new PipelineSources(List::of, List.of(), DEFAULT_REFRESH);
    }
}
