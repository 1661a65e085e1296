package io.tickerplant.emulator.binance;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;

/**
 * The websocket endpoints: {@code /stream?streams=a/b} (combined, payloads wrapped in {@code {"stream":..,"data":..}})
 * and {@code /ws/a/b} or bare {@code /ws} (raw payloads).
 *
 * <p>A plain Jetty websocket servlet rather than a Javalin ws handler because Javalin does not surface pong frames,
 * and the emulator has to see pongs to enforce Binance's pong timeout.
 */
final class StreamServlet extends JettyWebSocketServlet {

    private final transient BinanceEmulator emulator;
    private final Duration idleTimeout;
    private final int maxQueuedFrames;
    private final int maxIncomingPerSecond;

    StreamServlet(BinanceEmulator emulator, Duration idleTimeout, int maxQueuedFrames, int maxIncomingPerSecond) {
        this.emulator = emulator;
        this.idleTimeout = idleTimeout;
        this.maxQueuedFrames = maxQueuedFrames;
        this.maxIncomingPerSecond = maxIncomingPerSecond;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(idleTimeout);
        factory.setMaxOutgoingFrames(maxQueuedFrames);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest req, JettyServerUpgradeResponse resp) throws Exception {
        HttpServletRequest http = req.getHttpServletRequest();
        boolean combined = "/stream".equals(http.getServletPath());
        List<String> streams = new ArrayList<>();
        String spec = combined ? http.getParameter("streams") : http.getPathInfo();
        if (spec != null) {
            for (String s : spec.split("/")) {
                if (!s.isEmpty()) {
                    streams.add(s);
                }
            }
        }
        if (combined && streams.isEmpty()) {
            resp.sendError(400, "Invalid request: missing streams");
            return null;
        }
        for (String s : streams) {
            if (!emulator.validStream(s)) {
                resp.sendError(400, "Invalid request: invalid stream " + s);
                return null;
            }
        }
        emulator.accepted();
        return new StreamClient(emulator, combined, streams, maxIncomingPerSecond);
    }
}
