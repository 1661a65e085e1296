package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.server.WebServer;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The REST API and status page, with a health endpoint that reports the connectors' states. */
public final class WebComponent implements Component {

    private final int port;
    private final PostgresComponent postgres;
    private final ConnectComponent connect;
    private final Supplier<List<String>> connectors;
    private WebServer server;

    public WebComponent(int port, PostgresComponent postgres, ConnectComponent connect,
            Supplier<List<String>> connectors) {
        this.port = port;
        this.postgres = postgres;
        this.connect = connect;
        this.connectors = connectors;
    }

    @Override
    public String name() {
        return "web";
    }

    @Override
    public void start() throws IOException {
        if (port != 0) {
            // Jetty's own bind error does not say which setting to change.
            try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (BindException e) {
                throw new BindException("port " + port + " is in use: set "
                        + PlatformConfig.settingHint(PlatformConfig.WEB_PORT) + " to a free port");
            }
        }
        server = new WebServer("127.0.0.1", port, postgres::connect, this::health).start();
    }

    private Map<String, Object> health() {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean up = true;
        for (String name : connectors.get()) {
            try {
                ConnectorStatus s = connect.client().connectorStatus(name);
                states.put(name, s.running() ? "RUNNING" : s.summary());
                up &= s.running();
            } catch (RuntimeException e) {
                states.put(name, "unknown: " + e.getMessage());
                up = false;
            }
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", up ? "UP" : "DEGRADED");
        h.put("connectors", states);
        return h;
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
