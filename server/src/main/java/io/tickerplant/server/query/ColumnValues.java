package io.tickerplant.server.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How a column of a named query's result appears in JSON. The rule is by type, the same for every query, so a client
 * can rely on it: {@code numeric} is a decimal string (exact, as PostgreSQL prints it: never an exponent), integers
 * and floats are JSON numbers (a float that is not finite is a string), {@code boolean} is a boolean,
 * {@code timestamptz} an ISO-8601 instant in UTC, {@code json}/{@code jsonb} the JSON itself, arrays JSON arrays of
 * the same rules, and anything else its PostgreSQL text. SQL NULL is JSON null.
 */
final class ColumnValues {
    private ColumnValues() {
    }

    // Numbers inside jsonb stay exact: read as BigDecimal, written back as the same digits.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The JSON value of column {@code i} (1-based) of type {@code typeName} ({@code pg_type.typname}). */
    static Object read(ResultSet rs, int i, String typeName) throws SQLException {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        switch (typeName) {
            case "int2", "int4", "int8", "oid":
                return rs.getLong(i);
            case "float4", "float8": {
                double d = rs.getDouble(i);
                return Double.isFinite(d) ? (Object) d : text;
            }
            case "bool":
                return rs.getBoolean(i);
            case "timestamptz":
                return infinite(text) ? text : rs.getObject(i, OffsetDateTime.class).toInstant().toString();
            case "json", "jsonb":
                try {
                    return JSON.readTree(text);
                } catch (IOException e) {
                    return text;
                }
            default:
                if (typeName.startsWith("_")) {
                    return array(rs.getArray(i));
                }
                return text; // numeric included: PostgreSQL prints it plain and exact
        }
    }

    private static boolean infinite(String timestamp) {
        return timestamp.equals("infinity") || timestamp.equals("-infinity");
    }

    private static List<Object> array(Array a) throws SQLException {
        try {
            return elements((Object[]) a.getArray());
        } finally {
            a.free();
        }
    }

    private static List<Object> elements(Object[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(element(v));
        }
        return out;
    }

    private static Object element(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short) {
            return v;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? (Object) d : Double.toString(d);
        }
        if (v instanceof Object[] nested) {
            return elements(nested);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        return v.toString();
    }
}
