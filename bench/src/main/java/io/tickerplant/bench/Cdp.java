package io.tickerplant.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol (the same approach as app's DashboardIT), with only the calls
 * the latency benchmark needs: navigate and evaluate JavaScript. The browser runs as a child process in its own
 * profile directory; {@link #close()} ends it and every process it started.
 */
final class Cdp implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final List<String> exceptions = new ArrayList<>();
    private Process browser;
    private WebSocket socket;

    private Cdp() {
    }

    /**
     * Starts {@code chromium} headless on about:blank with a DevTools port of its choosing (read back from
     * DevToolsActivePort, so no port can clash) and attaches to its page.
     */
    static Cdp launch(Path chromium, Path workDir) throws Exception {
        Path profile = Files.createDirectories(workDir.resolve("chromium-profile"));
        Cdp cdp = new Cdp();
        cdp.browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile, "--window-size=1280,900", "--remote-debugging-port=0",
            "--remote-allow-origins=*", "about:blank")
            .redirectErrorStream(true).redirectOutput(workDir.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(portFile) && Files.size(portFile) > 0)) {
                if (System.nanoTime() > deadline || !cdp.browser.isAlive()) {
                    throw new IllegalStateException("chromium gave no DevTools port within 30 s (see "
                        + workDir.resolve("chromium.log") + ")");
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            String ws = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    ws = t.get("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (ws == null) {
                throw new IllegalStateException("no page target in " + targets);
            }
            cdp.socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), cdp).get(10, TimeUnit.SECONDS);
            cdp.call("Runtime.enable", Map.of());
            cdp.call("Page.enable", Map.of());
            return cdp;
        } catch (Exception e) {
            cdp.close();
            throw e;
        }
    }

    /** The browser's process and its descendants (renderers, GPU, zygotes), for their CPU time. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> out = new ArrayList<>();
        out.add(browser.toHandle());
        browser.descendants().forEach(out::add);
        return out;
    }

    /** Calls a DevTools method and waits for its result. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        // The WebSocket allows one send at a time, and the benchmark's progress thread calls too.
        synchronized (this) {
            socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        }
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** Navigates and waits until the page's load event fired (document.readyState 'complete'). */
    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"complete".equals(eval("document.readyState"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("page did not load within 30 s: " + url);
            }
            Thread.sleep(100);
        }
    }

    /** Evaluates a JavaScript expression in the page; its value as text, or an exception as an error. */
    String eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails").path("exception")
                .path("description").asText(r.get("exceptionDetails").toString()));
        }
        return r.path("result").path("value").asText();
    }

    /** Uncaught exceptions the page reported, which would mean the measurement script broke. */
    List<String> exceptions() {
        synchronized (exceptions) {
            return new ArrayList<>(exceptions);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        // Large results (the latency array) come in several fragments.
        partial.append(data);
        if (last) {
            try {
                JsonNode msg = JSON.readTree(partial.toString());
                if (msg.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                } else if ("Runtime.exceptionThrown".equals(msg.path("method").asText())) {
                    JsonNode d = msg.path("params").path("exceptionDetails");
                    synchronized (exceptions) {
                        exceptions.add(d.path("exception").path("description").asText(d.path("text").asText()));
                    }
                }
            } catch (Exception e) {
                synchronized (exceptions) {
                    exceptions.add("unreadable DevTools message: " + e);
                }
            } finally {
                partial.setLength(0);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        if (browser != null) {
            List<ProcessHandle> all = processes();
            all.forEach(ProcessHandle::destroy);
            try {
                if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                    all.forEach(ProcessHandle::destroyForcibly);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
