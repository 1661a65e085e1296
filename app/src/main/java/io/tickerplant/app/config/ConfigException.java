package io.tickerplant.app.config;

/**
 * The configuration cannot be used. The message is for the user: it names the key, where the value came
 * from and what is expected, and is printed without a stack trace.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
