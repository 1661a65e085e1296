package io.tickerplant.server.query;

import io.tickerplant.server.ApiTimes;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type of a named-query parameter: how its text from the URL becomes a value and how that value is bound. Each
 * is bound with its own SQL type (int8, numeric, boolean, timestamptz, varchar), so PostgreSQL compares it with a
 * column of that type without a cast in the SQL, and an empty or malformed value never reaches the database.
 */
public enum ParameterType {

    /** Any text, bound as is (not trimmed: it is data). */
    STRING("string", "any text", "string", null) {
        @Override
        Object parse(String raw) {
            return raw;
        }

        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setString(index, (String) value);
        }
    },

    /** A whole number, 64 bits. */
    INT("int", "a whole number such as 100", "integer", "int64") {
        @Override
        Object parse(String raw) {
            return Long.parseLong(raw.trim());
        }

        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setLong(index, (Long) value);
        }
    },

    /**
     * An exact decimal, bound as numeric: never a binary float on the way. Plain digits only: an exponent such as
     * 1E+999999 would make PostgreSQL build a million-digit number.
     */
    NUMERIC("numeric", "a decimal number such as 0.25", "string", "decimal") {
        @Override
        Object parse(String raw) {
            String d = raw.trim();
            if (d.length() > 200 || !PLAIN_DECIMAL.matcher(d).matches()) {
                throw new IllegalArgumentException("not a plain decimal");
            }
            return new BigDecimal(d);
        }

        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setBigDecimal(index, (BigDecimal) value);
        }
    },

    BOOLEAN("boolean", "true or false", "boolean", null) {
        @Override
        Object parse(String raw) {
            return switch (raw.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not true or false");
            };
        }

        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setBoolean(index, (Boolean) value);
        }
    },

    /** An instant, bound as timestamptz. No OpenAPI format: epoch milliseconds are not date-time. */
    TIMESTAMP("timestamp", ApiTimes.EXPECTED, "string", null) {
        @Override
        Object parse(String raw) {
            return ApiTimes.parse(raw);
        }

        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setObject(index, ((Instant) value).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    };

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");

    private final String id;
    private final String expected;
    private final String jsonType;
    private final String jsonFormat;

    ParameterType(String id, String expected, String jsonType, String jsonFormat) {
        this.id = id;
        this.expected = expected;
        this.jsonType = jsonType;
        this.jsonFormat = jsonFormat;
    }

    /** The name used in a queries file: {@code string}, {@code int}, {@code numeric}, {@code boolean}, {@code timestamp}. */
    public String id() {
        return id;
    }

    /** What a valid value looks like, completing "expected ...". */
    public String expected() {
        return expected;
    }

    /** The OpenAPI schema type and format of the parameter as it appears in a URL. */
    public String jsonType() {
        return jsonType;
    }

    public Optional<String> jsonFormat() {
        return Optional.ofNullable(jsonFormat);
    }

    /**
     * The typed value of {@code raw}.
     *
     * @throws IllegalArgumentException when {@code raw} is not of this type; the message says what is expected
     */
    public Object value(String raw) {
        try {
            return parse(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + raw + "' is not " + article() + id + ": expected " + expected);
        }
    }

    /**
     * The type the placeholder is cast to in the SQL, when binding alone does not give PostgreSQL the type: pgjdbc
     * sends timestamps, and NULL timestamps, as "unknown".
     */
    public Optional<String> sqlCast() {
        return this == TIMESTAMP ? Optional.of("timestamptz") : Optional.empty();
    }

    /** Binds a value made by {@link #value}, or SQL NULL of this type. */
    public void bindValue(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType());
        } else {
            bind(ps, index, value);
        }
    }

    /** A value as JSON shows it: numbers exact, instants ISO-8601. */
    public Object shown(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        return value;
    }

    abstract Object parse(String raw);

    abstract void bind(PreparedStatement ps, int index, Object value) throws SQLException;

    private int sqlType() {
        return switch (this) {
            case STRING -> Types.VARCHAR;
            case INT -> Types.BIGINT;
            case NUMERIC -> Types.NUMERIC;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
        };
    }

    private String article() {
        return this == INT ? "an " : "a ";
    }

    /** The type named {@code id} in a queries file, if there is one. */
    public static Optional<ParameterType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    /** The type names, for error messages. */
    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(ParameterType::id).toList());
    }
}
