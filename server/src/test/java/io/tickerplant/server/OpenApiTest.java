package io.tickerplant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.server.query.NamedQuery;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes exactly the routes the server has. */
class OpenApiTest {

    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    static WebServer server;
    static ObjectNode doc;

    @BeforeAll
    static void create() {
        // Never started and never asked for a connection: the routes exist from construction.
        server = new WebServer("127.0.0.1", 0, () -> {
            throw new SQLException("no database in this test");
        }, () -> Map.of("status", "UP"));
        doc = OpenApi.document(NamedQueries.builtIn());
    }

    @AfterAll
    static void close() {
        server.close();
    }

    @Test
    void everyRouteOfTheServerIsDescribed() {
        assertThat(server.routes()).isNotEmpty().contains("GET /api/queries/{name}", "GET /api/openapi.json");
        List<String> missing = new ArrayList<>();
        for (String route : server.routes()) {
            String[] methodAndPath = route.split(" ", 2);
            JsonNode path = doc.path("paths").path(methodAndPath[1]);
            if (!path.has(methodAndPath[0].toLowerCase(Locale.ROOT))) {
                missing.add(route);
            }
        }
        assertThat(missing).as("routes missing from " + OpenApi.RESOURCE).isEmpty();
    }

    @Test
    void everyDescribedOperationIsARouteOrANamedQuery() {
        NamedQueries builtIn = NamedQueries.builtIn();
        List<String> stale = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
                String route = ops.next().toUpperCase(Locale.ROOT) + " " + path.getKey();
                boolean namedQuery = path.getKey().startsWith("/api/queries/")
                        && builtIn.catalog().get(path.getKey().substring("/api/queries/".length())).isPresent();
                if (!server.routes().contains(route) && !namedQuery) {
                    stale.add(route);
                }
            }
        }
        assertThat(stale).as("described but not served").isEmpty();
    }

    @Test
    void eachNamedQueryHasAPathWithItsTypedParametersAndThePagingOnes() {
        for (NamedQuery q : NamedQueries.builtIn().catalog().all()) {
            JsonNode get = doc.path("paths").path("/api/queries/" + q.name()).path("get");
            assertThat(get.isObject()).as(q.name()).isTrue();
            List<String> names = new ArrayList<>();
            get.get("parameters").forEach(p -> names.add(p.has("name") ? p.get("name").asText() : p.get("$ref").asText()));
            assertThat(names).as(q.name()).containsAll(q.parameters().stream().map(p -> p.name()).toList())
                    .contains("#/components/parameters/queryLimit", "#/components/parameters/cursor");
        }
        JsonNode from = parameter(doc.at("/paths/~1api~1queries~1trade-volume-hourly/get/parameters"), "from");
        assertThat(from.get("required").asBoolean()).isFalse();
        assertThat(from.get("description").asText()).contains("epoch milliseconds");
    }

    @Test
    void theDocumentIsOpenApi3WithEveryOperationAnsweringAndEveryReferenceResolving() {
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        List<String> unresolved = new ArrayList<>();
        checkRefs(doc, unresolved);
        assertThat(unresolved).isEmpty();
        doc.get("paths").forEach(path -> path.fields().forEachRemaining(op -> {
            assertThat(OPERATIONS).contains(op.getKey());
            assertThat(op.getValue().path("responses").size()).as(op.getKey()).isPositive();
            assertThat(op.getValue().path("summary").asText()).isNotBlank();
        }));
    }

    @Test
    void theTradesPageAndTheErrorShapeAreDescribed() {
        JsonNode trades = doc.at("/paths/~1api~1trades/get");
        assertThat(trades.get("parameters").toString()).contains("#/components/parameters/cursor");
        assertThat(doc.at("/components/schemas/TradePage/properties/next/nullable").asBoolean()).isTrue();
        assertThat(doc.at("/components/schemas/Error/required").toString()).contains("error");
        assertThat(doc.at("/components/schemas/Error/properties").has("parameter")).isTrue();
    }

    private static JsonNode parameter(JsonNode parameters, String name) {
        for (JsonNode p : parameters) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static void checkRefs(JsonNode node, List<String> unresolved) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || doc.at(ref.asText().substring(1)).isMissingNode())) {
                unresolved.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> checkRefs(child, unresolved));
        } else if (node.isArray()) {
            node.forEach(child -> checkRefs(child, unresolved));
        }
    }
}
