package io.tickerplant.app.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks for the embedded servers, which all listen on the loopback interface. */
public final class Ports {

    /** Every embedded server binds here: nothing is exposed beyond the machine by default. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /**
     * A port that was free a moment ago. The gap until the real server binds is a race we accept: the
     * alternative (binding to 0 and asking the server afterwards) is not possible for the KRaft controller,
     * whose address must be in the configuration before it starts.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
        }
    }

    /**
     * Returns {@code port}, or a free port when it is 0. A busy port fails now, with the setting to change,
     * instead of deep inside a server's startup with a bare "Address already in use".
     *
     * @param setting how the user changes this port, e.g. {@code kafka.port (--kafka-port)}
     */
    public static int resolve(int port, String setting) {
        if (port == 0) {
            return freePort();
        }
        if (!isFree(port)) {
            throw new PortInUseException(port, setting);
        }
        return port;
    }

    /** True when nothing listens on {@code port} on the loopback interface (or on all interfaces). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port in TIME_WAIT from our own previous run would look busy.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A configured port is taken by another process. The message names the setting to change. */
    public static final class PortInUseException extends IllegalStateException {
        private final int port;

        public PortInUseException(int port, String setting) {
            super("port " + port + " is in use: set " + setting + " to a free port (0 picks one)");
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
