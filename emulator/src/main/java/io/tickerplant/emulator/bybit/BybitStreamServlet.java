package io.tickerplant.emulator.bybit;

import java.time.Duration;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;

/**
 * The public websocket endpoints {@code /v5/public/spot} and {@code /v5/public/linear}; the path decides the
 * category. A plain Jetty servlet, as for the Binance emulator, so that the emulator sees every frame.
 */
final class BybitStreamServlet extends JettyWebSocketServlet {

    private final transient BybitEmulator emulator;
    private final Duration idleTimeout;

    BybitStreamServlet(BybitEmulator emulator, Duration idleTimeout) {
        this.emulator = emulator;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(idleTimeout);
        factory.setMaxOutgoingFrames(100_000);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest req, JettyServerUpgradeResponse resp) throws Exception {
        String path = req.getHttpServletRequest().getServletPath();
        BybitEmulator.Category category = path.endsWith("/spot") ? BybitEmulator.Category.SPOT
                : path.endsWith("/linear") ? BybitEmulator.Category.LINEAR : null;
        if (category == null) {
            resp.sendError(404, "no such stream: " + path);
            return null;
        }
        return new BybitClient(emulator, category);
    }
}
