package io.tickerplant.server.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One named query: {@code GET /api/queries/{name}} runs {@code sql} with the request's parameters bound.
 *
 * @param name the URL segment, lower case letters, digits, '-' and '_'
 * @param description what the rows are, for the listing and the OpenAPI description
 * @param sql the statement as written, with {@code :name} parameters
 * @param parsed the statement rewritten for JDBC
 * @param parameters every parameter the statement uses, in the order declared
 * @param source the file it came from, for messages
 */
public record NamedQuery(String name, String description, String sql, NamedSql parsed,
        List<QueryParameter> parameters, String source) {

    public NamedQuery {
        parameters = List.copyOf(parameters);
    }

    /** The statement as it is prepared: {@code ?} placeholders, cast where the binding alone is not typed. */
    public String jdbcSql() {
        Map<String, String> casts = new HashMap<>();
        parameters.forEach(p -> p.type().sqlCast().ifPresent(cast -> casts.put(p.name(), cast)));
        return parsed.jdbcSql(casts);
    }

    public Optional<QueryParameter> parameter(String parameterName) {
        return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
    }
}
