package io.tickerplant.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.server.query.NamedQuery;
import io.tickerplant.server.query.QueryParameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 description served at {@code /api/openapi.json}: the hand-written {@value #RESOURCE} (every fixed
 * endpoint; a test keeps it in step with the routes), plus one path per named query with its typed parameters, made
 * from the queries loaded, so that the document describes the queries this server really has.
 */
final class OpenApi {
    private OpenApi() {
    }

    static final String RESOURCE = "openapi/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode document(NamedQueries queries) {
        ObjectNode doc = base();
        ObjectNode paths = (ObjectNode) doc.get("paths");
        liveEventTypes(paths);
        for (NamedQuery q : queries.catalog().all()) {
            paths.set("/api/queries/" + q.name(), JSON.createObjectNode().set("get", operation(q)));
        }
        return doc;
    }

    /**
     * The {@code types} of {@code /api/stream} listed from {@link LivePush.EventType} itself, so that the enum never
     * lags the code: the dashboard reads it to ask only for types this server has (an unknown one is a 400).
     */
    private static void liveEventTypes(ObjectNode paths) {
        ArrayNode types = JSON.createArrayNode();
        for (LivePush.EventType t : LivePush.EventType.values()) {
            types.add(t.parameter());
        }
        for (JsonNode p : paths.path("/api/stream").path("get").path("parameters")) {
            if ("types".equals(p.path("name").asText()) && p.path("schema").path("items").isObject()) {
                ((ObjectNode) p.get("schema").get("items")).set("enum", types);
            }
        }
    }

    static ObjectNode base() {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static ObjectNode operation(NamedQuery q) {
        ObjectNode op = JSON.createObjectNode();
        String description = q.description().strip();
        int firstLine = description.indexOf('\n');
        op.putArray("tags").add("queries");
        op.put("summary", firstLine < 0 ? description : description.substring(0, firstLine));
        op.put("description", description + "\n\nNamed query '" + q.name() + "' (from " + q.source()
                + "); see GET /api/queries/{name} for how rows, errors and pages work.");
        op.put("operationId", "query_" + q.name().replace('-', '_'));
        ArrayNode parameters = op.putArray("parameters");
        for (QueryParameter p : q.parameters()) {
            ObjectNode param = parameters.addObject();
            param.put("name", p.name());
            param.put("in", "query");
            param.put("required", !p.optional());
            param.put("description", (p.description().isBlank() ? "" : p.description().strip() + ". ")
                    + "Type " + p.type().id() + ": " + p.type().expected() + "."
                    + (p.optional() && p.defaultValue() == null ? " Absent: SQL NULL." : ""));
            ObjectNode schema = param.putObject("schema");
            schema.put("type", p.type().jsonType());
            p.type().jsonFormat().ifPresent(f -> schema.put("format", f));
            if (p.optional() && p.defaultValue() != null) {
                schema.set("default", JSON.valueToTree(p.type().shown(p.defaultValue())));
            }
        }
        parameters.addObject().put("$ref", "#/components/parameters/queryLimit");
        parameters.addObject().put("$ref", "#/components/parameters/cursor");
        ObjectNode responses = op.putObject("responses");
        responses.putObject("200").put("$ref", "#/components/responses/QueryRows");
        responses.putObject("400").put("$ref", "#/components/responses/QueryBadRequest");
        responses.putObject("403").put("$ref", "#/components/responses/QueryRefused");
        responses.putObject("500").put("$ref", "#/components/responses/QueryBroken");
        responses.putObject("503").put("$ref", "#/components/responses/QueryUnavailable");
        return op;
    }
}
