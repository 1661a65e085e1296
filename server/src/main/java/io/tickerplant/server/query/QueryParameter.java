package io.tickerplant.server.query;

import java.util.Objects;

/**
 * A parameter of a named query as its file declares it.
 *
 * @param name how the SQL ({@code :name}) and the URL ({@code ?name=}) refer to it
 * @param type how its text is read and bound
 * @param description for the query listing and the OpenAPI description; may be empty
 * @param optional false: the URL must give it; true: absent means {@code defaultValue}
 * @param defaultValue the typed value used when the URL does not give it (null: SQL NULL); only when optional
 */
public record QueryParameter(String name, ParameterType type, String description, boolean optional,
        Object defaultValue) {

    public QueryParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    /** A parameter the URL must give. */
    public static QueryParameter required(String name, ParameterType type, String description) {
        return new QueryParameter(name, type, description, false, null);
    }
}
