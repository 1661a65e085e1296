package io.tickerplant.app.platform;

import io.tickerplant.model.Topics;
import io.tickerplant.server.WebServer;
import io.tickerplant.server.pipeline.PipelineReport;
import io.tickerplant.server.pipeline.PipelineSources;
import io.tickerplant.server.query.NamedQueries;
import java.util.ArrayList;
import io.tickerplant.streams.LiveState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The REST API, live push and dashboard, with a health endpoint that reports the connectors' states (503 unless every
 * connector and task runs) and {@code /api/pipeline}, fed with the connectors' states from the Connect REST API and
 * the consumer groups to measure. Live push and the pipeline monitor read Kafka directly, so the component needs the
 * bootstrap servers (resolved at start, after Kafka started).
 */
public final class WebComponent implements Component {

    private final int port;
    private final PostgresComponent postgres;
    private final ConnectComponent connect;
    private final Supplier<List<String>> connectors;
    private final Supplier<String> kafkaBootstrapServers;
    private final Topics topics;
    private final NamedQueries queries;
    private final List<String> consumerGroups;
    private final LiveState liveState;
    private WebServer server;

    /**
     * @param kafkaBootstrapServers asked at start, e.g. {@code kafka::bootstrapServers}; null: no live push
     * @param topics the topics live push reads
     * @param queries the named queries, already loaded and checked
     * @param consumerGroups the groups whose lag {@code /api/pipeline} and {@code /metrics} report: the sink
     *                       connector's ({@code connect-<name>}) and the Streams application ids
     * @param liveState what {@code /api/live/*} reads from the Streams stores; null: those answer 503
     */
    public WebComponent(int port, PostgresComponent postgres, ConnectComponent connect,
            Supplier<List<String>> connectors, Supplier<String> kafkaBootstrapServers, Topics topics,
            NamedQueries queries, List<String> consumerGroups, LiveState liveState) {
        this.consumerGroups = List.copyOf(consumerGroups);
        this.liveState = liveState;
        this.queries = queries;
        this.port = port;
        this.postgres = postgres;
        this.connect = connect;
        this.connectors = connectors;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.topics = topics;
    }

    @Override
    public String name() {
        return "web";
    }

    @Override
    public void start() {
        server = new WebServer("127.0.0.1", port, postgres::connect, this::health,
                kafkaBootstrapServers == null ? null : kafkaBootstrapServers.get(), topics, queries,
                new PipelineSources(this::connectorStates, consumerGroups, PipelineSources.DEFAULT_REFRESH), liveState)
                .start();
    }

    /** The web server, once started: for tests that wait until its Kafka readers are in place. */
    public WebServer server() {
        return server;
    }

    /** Every connector's state for {@code /api/pipeline}; one Connect cannot answer about is {@code UNKNOWN}. */
    private List<PipelineReport.Connector> connectorStates() {
        List<PipelineReport.Connector> out = new ArrayList<>();
        for (String name : connectors.get()) {
            try {
                ConnectorStatus s = connect.client().connectorStatus(name);
                out.add(new PipelineReport.Connector(s.name(), s.state(), s.tasks().stream()
                        .map(t -> new PipelineReport.Task(t.id(), t.state(), t.trace())).toList(), s.trace()));
            } catch (RuntimeException e) {
                out.add(new PipelineReport.Connector(name, "UNKNOWN", List.of(),
                        "Connect did not answer: " + e.getMessage()));
            }
        }
        return out;
    }

    private Map<String, Object> health() {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean up = true;
        for (String name : connectors.get()) {
            try {
                ConnectorStatus s = connect.client().connectorStatus(name);
                // A failure carries its first trace line, so that an orchestrator's log says why it is 503.
                states.put(name, s.running() ? "RUNNING"
                        : s.failed() ? s.summary() + ": " + s.failureSummary() : s.summary());
                up &= s.running();
            } catch (RuntimeException e) {
                states.put(name, "unknown: " + e.getMessage());
                up = false;
            }
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", up ? "UP" : "DEGRADED");
        h.put("connectors", states);
        return h;
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
