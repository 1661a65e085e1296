package io.tickerplant.app.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One documented configuration key: its name, default, documentation and how a text value becomes a typed
 * one. Each key can be set in the properties file under its name, in the environment as {@link #envVar()}
 * and on the command line as {@link #cliOption()}.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigKey<T> {

    private final String name;
    private final String defaultValue;
    private final String doc;
    private final String expected;
    private final String paramLabel;
    private final Function<String, T> parser;

    /**
     * @param defaultValue the default as text (it goes through {@code parser} like any other value)
     * @param doc          what the key does, one or two sentences
     * @param expected     what a valid value looks like, completing "expected ..." in error messages
     * @param paramLabel   the placeholder in {@code --help}, e.g. {@code PORT}
     * @param parser       turns trimmed text into the value; throws IllegalArgumentException when invalid
     *                     (its message, if any, is added to the error)
     */
    public ConfigKey(String name, String defaultValue, String doc, String expected, String paramLabel,
                     Function<String, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.paramLabel = Objects.requireNonNull(paramLabel, "paramLabel");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    public String name() {
        return name;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** What a valid value looks like, e.g. {@code a port number 0-65535 (0 picks a free port)}. */
    public String expected() {
        return expected;
    }

    public String paramLabel() {
        return paramLabel;
    }

    /** {@code kafka.port} -> {@code --kafka-port}. */
    public String cliOption() {
        return "--" + name.replace('.', '-');
    }

    /** {@code kafka.port} -> {@code TICKERPLANT_KAFKA_PORT}. */
    public String envVar() {
        return "TICKERPLANT_" + name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Parses {@code raw}, naming this key, the value's origin and what is expected when it is invalid.
     *
     * @param origin where the value came from, e.g. {@code --kafka-port}
     */
    public T parse(String raw, String origin) {
        String value = raw == null ? "" : raw.trim();
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            String detail = e.getMessage() == null || e instanceof NumberFormatException ? "" : " (" + e.getMessage() + ")";
            throw new ConfigException("invalid value '" + value + "' for " + name + " (from " + origin + "): expected "
                    + expected + detail);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
