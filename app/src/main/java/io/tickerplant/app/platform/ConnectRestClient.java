package io.tickerplant.app.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client of Kafka Connect's standard REST API, so the same code drives the embedded worker and any
 * standalone or distributed Connect cluster.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final URI url;
    private final HttpClient http;
    // Connect itself gives up on a request after 90 s; ours waits a little longer so its error reaches us.
    private final Duration requestTimeout = Duration.ofSeconds(100);

    /** @param url the worker's base URL, e.g. {@code http://127.0.0.1:8083} */
    public ConnectRestClient(URI url) {
        String s = url.toString();
        this.url = URI.create(s.endsWith("/") ? s : s + "/");
        this.http = HttpClient.newBuilder()
                // Jetty answers HTTP/2 upgrade attempts on plain http; HTTP/1.1 avoids the extra round trip.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The base URL without trailing slash. */
    public URI url() {
        String s = url.toString();
        return URI.create(s.substring(0, s.length() - 1));
    }

    /** {@code GET /}: the worker's version, commit and Kafka cluster id. */
    public ServerInfo serverInfo() {
        JsonNode root = send("GET", "", null);
        return new ServerInfo(root.path("version").asText(), root.path("commit").asText(),
                root.path("kafka_cluster_id").asText());
    }

    /**
     * {@code GET /connector-plugins}: connectors only, or (with {@code connectorsOnly} false) also converters,
     * transformations and predicates.
     */
    public List<PluginInfo> plugins(boolean connectorsOnly) {
        JsonNode root = send("GET", "connector-plugins?connectorsOnly=" + connectorsOnly, null);
        List<PluginInfo> plugins = new ArrayList<>();
        root.forEach(n -> plugins.add(new PluginInfo(n.path("class").asText(), n.path("type").asText(),
                n.path("version").asText())));
        return plugins;
    }

    /** {@code GET /connectors}: the names of the connectors the worker or cluster runs. */
    public List<String> connectors() {
        List<String> names = new ArrayList<>();
        send("GET", "connectors", null).forEach(n -> names.add(n.asText()));
        return names;
    }

    /**
     * {@code PUT /connectors/{name}/config}: creates the connector or replaces its configuration. Connect
     * validates the configuration first; an unknown class or an invalid value fails here with Connect's
     * message, not later in the connector's status.
     *
     * @return true when the connector was created, false when an existing one was updated
     * @throws ConnectRestException with Connect's explanation when the configuration is rejected
     */
    public boolean createOrUpdateConnector(String name, Map<String, String> config) {
        Objects.requireNonNull(name, "name");
        String body;
        try {
            body = JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("connector config is not serializable", e);
        }
        HttpResponse<String> response = exchange("PUT", "connectors/" + segment(name) + "/config", body);
        return response.statusCode() == 201;
    }

    /**
     * {@code GET /connectors/{name}/status}.
     *
     * @throws ConnectRestException with status 404 when there is no such connector
     */
    public ConnectorStatus connectorStatus(String name) {
        JsonNode root = send("GET", "connectors/" + segment(name) + "/status", null);
        JsonNode connector = root.path("connector");
        List<ConnectorStatus.TaskState> tasks = new ArrayList<>();
        root.path("tasks").forEach(t -> tasks.add(new ConnectorStatus.TaskState(t.path("id").asInt(),
                t.path("state").asText(), t.path("worker_id").asText(), textOrNull(t.path("trace")))));
        tasks.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return new ConnectorStatus(root.path("name").asText(name), connector.path("state").asText(),
                connector.path("worker_id").asText(), textOrNull(connector.path("trace")), tasks);
    }

    /** {@code DELETE /connectors/{name}}; its offsets stay, so re-creating it resumes where it was. */
    public void deleteConnector(String name) {
        exchange("DELETE", "connectors/" + segment(name), null);
    }

    /**
     * Waits until the connector and all its tasks run (see {@link ConnectorStatus#running()}).
     *
     * @throws IllegalStateException as soon as the connector or a task fails (with the failure's first line),
     *                               or when {@code timeout} passes first (with the last status seen)
     */
    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not created";
        while (true) {
            try {
                ConnectorStatus status = connectorStatus(name);
                if (status.running()) {
                    return status;
                }
                if (status.failed()) {
                    throw new IllegalStateException("connector " + name + " failed: " + status.failureSummary());
                }
                last = status.summary();
            } catch (ConnectRestException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("connector " + name + " not running after " + timeout.toSeconds()
                        + " s: " + last);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for connector " + name, e);
            }
        }
    }

    private JsonNode send(String method, String path, String body) {
        HttpResponse<String> response = exchange(method, path, body);
        try {
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Connect at " + url() + " answered " + method + " /" + path
                    + " with something that is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private HttpResponse<String> exchange(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Kafka Connect at " + url() + " (" + e
                    + "): check connect.url", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + url.resolve(path), e);
        }
        if (response.statusCode() >= 400) {
            throw new ConnectRestException(response.statusCode(), method + " /" + path + ": " + response.statusCode()
                    + " " + errorMessage(response.body()));
        }
        return response;
    }

    /** Connect's errors are {@code {"error_code": 400, "message": "..."}}; anything else is shown as is. */
    private static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (JsonProcessingException ignored) {
            // Not JSON (a proxy's HTML page, say): fall through and show it.
        }
        return abbreviate(body);
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer to {@code GET /}. */
    public record ServerInfo(String version, String commit, String kafkaClusterId) {
    }

    /** One entry of {@code GET /connector-plugins}; {@code type} is e.g. {@code source}, {@code converter}. */
    public record PluginInfo(String className, String type, String version) {
    }
}
