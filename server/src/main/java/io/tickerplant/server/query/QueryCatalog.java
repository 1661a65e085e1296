package io.tickerplant.server.query;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named queries the API serves: the built-in file on the classpath ({@value #BUILT_IN}), then an optional user
 * file whose queries add to them or replace a built-in one of the same name.
 *
 * <p>A file is YAML (JSON is YAML too):
 * <pre>
 * queries:
 *   - name: hourly-volume
 *     description: Traded volume per venue and UTC hour.
 *     parameters:
 *       symbol: {type: string, description: "Canonical symbol, e.g. BTC-USDT"}
 *       from:   {type: timestamp, default: null}
 *     sql: |
 *       SELECT ... WHERE symbol = :symbol AND event_time &gt;= coalesce(:from, now() - interval '1 day')
 * </pre>
 * Types are {@code string}, {@code int}, {@code numeric}, {@code boolean} and {@code timestamp}. A parameter without
 * {@code default} is required; {@code default: null} makes it optional and SQL NULL when absent.
 *
 * <p>Everything is checked when the file is loaded, so that a mistake stops the start instead of surfacing as a
 * 500 later: duplicate names, unknown types or fields, defaults of the wrong type, parameters the SQL uses but the
 * query does not declare and the reverse, more than one statement. Each error names the file, the query and what
 * is wrong. The file is trusted like code: its SQL runs read-only, which protects the data from mistakes, not from
 * a hostile author.
 */
public final class QueryCatalog {

    /** The built-in queries, on the classpath. */
    public static final String BUILT_IN = "queries/default-queries.yaml";

    /** Request parameters every named query takes for paging, so no query may declare one of these names. */
    public static final Set<String> RESERVED_PARAMETERS = Set.of("limit", "cursor");

    private static final Pattern QUERY_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> QUERY_FIELDS = Set.of("name", "description", "parameters", "sql");
    private static final Set<String> PARAMETER_FIELDS = Set.of("type", "description", "default");

    private final Map<String, NamedQuery> queries;

    private QueryCatalog(Map<String, NamedQuery> queries) {
        this.queries = Collections.unmodifiableMap(queries);
    }

    /** The built-in queries only. */
    public static QueryCatalog builtIn() {
        return load(Optional.empty());
    }

    /**
     * The built-in queries, then those of {@code userFile}, which replace built-in ones of the same name.
     *
     * @throws QueryFileException naming the file, the query and what is wrong
     */
    public static QueryCatalog load(Optional<Path> userFile) {
        Map<String, NamedQuery> all = new LinkedHashMap<>();
        String builtIn = "classpath:" + BUILT_IN;
        try (InputStream in = QueryCatalog.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new QueryFileException(builtIn + " is missing from the classpath");
            }
            parse(builtIn, new String(in.readAllBytes(), StandardCharsets.UTF_8)).forEach(q -> all.put(q.name(), q));
        } catch (IOException e) {
            throw new QueryFileException("cannot read " + builtIn + ": " + e.getMessage());
        }
        if (userFile.isPresent()) {
            Path file = userFile.get();
            String source = file.toAbsolutePath().normalize().toString();
            if (!Files.isRegularFile(file)) {
                throw new QueryFileException("queries file " + source + " does not exist");
            }
            try {
                parse(source, Files.readString(file, StandardCharsets.UTF_8)).forEach(q -> all.put(q.name(), q));
            } catch (IOException e) {
                throw new QueryFileException("cannot read queries file " + source + ": " + e.getMessage());
            }
        }
        return new QueryCatalog(all);
    }

    /** A catalog of exactly the queries in {@code text}, for tests and tools. */
    public static QueryCatalog of(String source, String text) {
        Map<String, NamedQuery> all = new LinkedHashMap<>();
        parse(source, text).forEach(q -> all.put(q.name(), q));
        return new QueryCatalog(all);
    }

    public Optional<NamedQuery> get(String name) {
        return Optional.ofNullable(queries.get(name));
    }

    /** Every query, built-in ones first, in file order. */
    public Collection<NamedQuery> all() {
        return queries.values();
    }

    public List<String> names() {
        return List.copyOf(queries.keySet());
    }

    /**
     * The queries of one file, checked.
     *
     * @param source the file's name for messages
     * @throws QueryFileException naming {@code source}, the query and what is wrong
     */
    static List<NamedQuery> parse(String source, String text) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new QueryFileException("queries file " + source + ": not valid YAML"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("queries").isArray()) {
            throw new QueryFileException("queries file " + source + ": expected a top-level 'queries:' list");
        }
        unknownFields(root, Set.of("queries"), "queries file " + source + ": ");
        List<NamedQuery> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode entry : root.get("queries")) {
            index++;
            String where = "queries file " + source + ": query #" + index;
            if (!entry.isObject()) {
                throw new QueryFileException(where + ": expected name, description, parameters and sql");
            }
            String name = text(entry, "name", where);
            where = "queries file " + source + ": query '" + name + "'";
            if (!QUERY_NAME.matcher(name).matches()) {
                throw new QueryFileException(where + ": the name must be lower-case letters, digits, '-' or '_'"
                        + " (it is a URL segment), at most 64 characters");
            }
            Integer earlier = seen.putIfAbsent(name, index);
            if (earlier != null) {
                throw new QueryFileException(where + ": duplicate name (queries #" + earlier + " and #" + index
                        + ")");
            }
            out.add(query(entry, name, source, where));
        }
        return out;
    }

    private static NamedQuery query(JsonNode entry, String name, String source, String where) {
        unknownFields(entry, QUERY_FIELDS, where + ": ");
        String description = text(entry, "description", where);
        String sql = text(entry, "sql", where);
        NamedSql parsed;
        try {
            parsed = NamedSql.parse(sql);
        } catch (IllegalArgumentException e) {
            throw new QueryFileException(where + ": sql: " + e.getMessage());
        }
        if (parsed.jdbcSql().isEmpty()) {
            throw new QueryFileException(where + ": sql is empty");
        }
        List<QueryParameter> parameters = new ArrayList<>();
        JsonNode declared = entry.path("parameters");
        if (!declared.isMissingNode() && !declared.isNull() && !declared.isObject()) {
            throw new QueryFileException(where + ": parameters must be a map of name to {type, description, default}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            parameters.add(parameter(p.getKey(), p.getValue(), where));
        }
        Set<String> used = parsed.names();
        for (String u : used) {
            if (parameters.stream().noneMatch(p -> p.name().equals(u))) {
                throw new QueryFileException(where + ": the sql uses :" + u + " but the query does not declare it"
                        + " under parameters");
            }
        }
        for (QueryParameter p : parameters) {
            if (!used.contains(p.name())) {
                throw new QueryFileException(where + ": parameter '" + p.name() + "' is declared but the sql does"
                        + " not use :" + p.name());
            }
        }
        return new NamedQuery(name, description, sql, parsed, parameters, source);
    }

    private static QueryParameter parameter(String name, JsonNode spec, String query) {
        String where = query + ": parameter '" + name + "'";
        if (!PARAMETER_NAME.matcher(name).matches()) {
            throw new QueryFileException(where + ": a parameter name is letters, digits and '_', not starting with"
                    + " a digit");
        }
        if (RESERVED_PARAMETERS.contains(name)) {
            throw new QueryFileException(where + ": '" + name + "' is reserved for paging every named query"
                    + " (limit, cursor); choose another name");
        }
        if (!spec.isObject()) {
            throw new QueryFileException(where + ": expected {type, description, default}");
        }
        unknownFields(spec, PARAMETER_FIELDS, where + ": ");
        String typeName = text(spec, "type", where);
        ParameterType type = ParameterType.of(typeName).orElseThrow(() -> new QueryFileException(where
                + ": unknown type '" + typeName + "' (types: " + ParameterType.ids() + ")"));
        String description = spec.path("description").isTextual() ? spec.get("description").asText() : "";
        if (!spec.has("default")) {
            return QueryParameter.required(name, type, description);
        }
        JsonNode d = spec.get("default");
        if (d.isNull()) {
            return new QueryParameter(name, type, description, true, null);
        }
        if (!d.isValueNode()) {
            throw new QueryFileException(where + ": default must be a single value or null");
        }
        try {
            return new QueryParameter(name, type, description, true, type.value(d.asText()));
        } catch (IllegalArgumentException e) {
            throw new QueryFileException(where + ": default " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new QueryFileException(where + ": '" + field + "' is missing or empty");
        }
        return v.asText();
    }

    private static void unknownFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new QueryFileException(where + "unknown field '" + f + "' (expected "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
