package io.tickerplant.app.platform;

import java.util.Optional;

/**
 * One part of the platform: the broker, the topics, the Connect worker, PostgreSQL, the emulators, the
 * connectors, the web server. {@link EmbeddedPlatform} starts components in the order they were added and
 * closes them in reverse, so a component may use anything added before it (pass it in the constructor) and
 * is closed before what it uses.
 *
 * <p>An "external" variant (a cluster given by configuration) implements the same interface: its start
 * checks that the external service answers, its close releases only what this process opened.
 */
public interface Component extends AutoCloseable {

    /** Short lower-case name, shown in the ready line and in messages: {@code kafka}, {@code connect}. */
    String name();

    /**
     * Starts the component and returns once it is usable by the components after it. A failure should say
     * what to change (the configuration key, the port, the URL).
     */
    void start() throws Exception;

    /**
     * Where clients reach it, for the ready line, e.g. {@code 127.0.0.1:9092} or {@code http://127.0.0.1:8083};
     * empty for components nobody connects to. Only called after {@link #start()}.
     */
    default Optional<String> endpoint() {
        return Optional.empty();
    }

    /**
     * Stops the component and releases what it holds, leaving its data consistent for the next start.
     * Called once, only when {@link #start()} succeeded.
     */
    @Override
    void close() throws Exception;
}
