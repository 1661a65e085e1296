package io.tickerplant.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.app.platform.EmbeddedPlatform;
import io.tickerplant.app.platform.VenueSelection;
import io.tickerplant.app.platform.WebComponent;
import io.tickerplant.model.Instrument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium against {@code demo}: it loads without console errors, the chart draws bars,
 * the cross-venue table has a row with a price for every demo venue and its last price changes live, and the
 * pipeline panel lists the connectors RUNNING (or says that the pipeline metrics are not available). Driven over
 * the DevTools protocol, so the page keeps running (live push) while the test looks at it. The screenshot of the
 * whole page is saved as target/dashboard.png.
 */
class DashboardIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path dataDir;
    /** The symbol the page shows first; every demo venue trades it. */
    static final String SYMBOL = "BTC-USDT";
    static final Map<String, String> SETTINGS = Map.of("demo.trades.per.second", "20", "reference.poll.interval", "500ms",
            // A perpetual swap too, so that the liquidations panel has something to show.
            "symbols", "BTC-USDT,ETH-USDT,BTC-USDT-PERP",
            // Every emulated venue: the cross-venue table is what this test looks at.
            "venues", "");
    static EmbeddedPlatform platform;
    static Process browser;
    static Cdp page;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "chromium not installed (apt-get install chromium): the browser test was NOT run");
        platform = PipelineFixture.startDemo(dataDir.resolve("data"), SETTINGS);
        Path profile = Files.createDirectories(dataDir.resolve("chromium"));
        browser = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,1000", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "about:blank")
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        page = Cdp.connectToFirstPage(port);
        page.call("Runtime.enable", Map.of());
        page.call("Log.enable", Map.of());
        page.call("Page.enable", Map.of());
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.close();
        }
        if (browser != null) {
            browser.descendants().forEach(ProcessHandle::destroy);
            browser.destroy();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theDashboardShowsBarsAndLivePricesWithoutConsoleErrors() throws Exception {
        String url = platform.find(WebComponent.class).orElseThrow().endpoint().orElseThrow() + "/";
        page.call("Page.navigate", Map.of("url", url));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(page.eval("document.querySelectorAll('#chart canvas').length")).isNotEqualTo("0"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(page.eval("document.querySelectorAll('#prices tr[data-key]').length")).isNotEqualTo("0"));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(page.eval("String(state.barCount >= 3)")).as("the chart has 1s bars").isEqualTo("true"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(page.eval("document.getElementById('live').textContent")).isEqualTo("live: connected"));

            List<String> venues = demoVenuesTrading(SYMBOL);
            assertThat(venues).as("demo venues trading " + SYMBOL).contains("BINANCE").hasSizeGreaterThan(1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, String> prices = venuePrices(SYMBOL);
                for (String venue : venues) {
                    assertThat(prices.get(venue)).as("%s's last %s price in the cross-venue table %s", venue, SYMBOL,
                            prices).matches("[0-9]+(\\.[0-9]+)?");
                }
            });

            String cell = "document.querySelector('#prices tr[data-key=\"BINANCE:" + SYMBOL + "\"] td.price').textContent";
            String first = page.eval(cell);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(page.eval(cell)).as("last price changes live").isNotEqualTo(first));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    page.eval("document.getElementById('pipeline').textContent"))
                    .isEqualTo("pipeline: all connectors running"));
            // The pipeline panel: every connector listed RUNNING, from /api/pipeline where the server has it, else
            // from /api/health with a sentence saying that the pipeline metrics are not available.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode connectors = JSON.readTree(page.eval("JSON.stringify([...document.querySelectorAll("
                        + "'#health tr[data-connector]')].map(tr => [tr.dataset.connector, tr.querySelector('.conn-state').textContent]))"));
                List<String> names = new ArrayList<>();
                connectors.forEach(c -> {
                    names.add(c.get(0).asText());
                    assertThat(c.get(1).asText()).as("state of " + c.get(0).asText()).isEqualTo("RUNNING");
                });
                assertThat(names).contains("binance-source", "postgres-sink");
            });
            if (!"true".equals(page.eval("String(api.has('/api/pipeline'))"))) {
                assertThat(page.eval("document.getElementById('problems').textContent"))
                        .contains("not available: this server has no /api/pipeline");
            }
            // Let the slower panels (oracle accuracy, liquidations) fill in before they are checked and shot.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(page.eval("document.querySelectorAll('#oracle tr td.empty').length")).isEqualTo("0"));
            // A panel that failed says "error: ..." in an element of class "failure"; the market data's own words
            // (alert details, feed status details) are not searched, since they may rightly contain "error".
            assertThat(page.eval("[...document.querySelectorAll('.failure')].map(e => e.textContent).join(' | ')"))
                    .as("panels that failed").isEmpty();
            assertThat(page.problems()).as("console errors and exceptions").isEmpty();
        } finally {
            screenshot(Path.of("target", "dashboard.png"));
        }
    }

    /** The venues {@code demo} runs (those with an emulator) that trade the symbol, by the platform's own rules. */
    static List<String> demoVenuesTrading(String symbol) {
        PlatformConfig config = PlatformConfig.of(SETTINGS);
        Instrument instrument = Instrument.parse(symbol);
        List<String> out = new ArrayList<>();
        VenueSelection.select(config.venues(), config.symbols(), true, true).forEach((venue, instruments) -> {
            if (instruments.contains(instrument)) {
                out.add(venue.name());
            }
        });
        return out;
    }

    /** The cross-venue table as the page shows it: venue -> text of its last-trade cell. */
    static Map<String, String> venuePrices(String symbol) throws Exception {
        JsonNode rows = JSON.readTree(page.eval("JSON.stringify(Object.fromEntries([...document.querySelectorAll("
                + "'#prices tr[data-key$=\":" + symbol + "\"]')].map(tr => [tr.dataset.key.split(':')[0], "
                + "tr.querySelector('td.price').textContent])))"));
        Map<String, String> out = new TreeMap<>();
        rows.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static void screenshot(Path file) throws Exception {
        // The whole page, not only the window: the panels below the fold are what the later issues added.
        JsonNode shot = page.call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
        System.out.println("dashboard screenshot: " + file.toAbsolutePath());
    }

    /** The few DevTools-protocol calls the test needs, over java.net.http's WebSocket. */
    static final class Cdp implements WebSocket.Listener, AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Cdp connectToFirstPage(int port) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String ws = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.get("type").asText())) {
                    ws = t.get("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            assertThat(ws).as("a page target in %s", targets).isNotNull();
            Cdp cdp = new Cdp();
            cdp.socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), cdp).get(10, TimeUnit.SECONDS);
            return cdp;
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
            msg.set("params", JSON.valueToTree(params));
            socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.get("result");
        }

        /** Evaluates a JavaScript expression in the page; the value as text. */
        String eval(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
            if (r.has("exceptionDetails")) {
                return "exception: " + r.get("exceptionDetails").path("exception").path("description").asText();
            }
            return r.path("result").path("value").asText();
        }

        /** Console errors, uncaught exceptions and failed loads the page reported so far. */
        List<String> problems() {
            synchronized (problems) {
                return new ArrayList<>(problems);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        event(msg.path("method").asText(), msg.path("params"));
                    }
                } catch (Exception e) {
                    problems.add("unreadable DevTools message: " + e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        private void event(String method, JsonNode params) {
            switch (method) {
                case "Runtime.exceptionThrown" -> problems.add("Uncaught: "
                        + params.path("exceptionDetails").path("exception").path("description").asText(
                        params.path("exceptionDetails").path("text").asText()));
                case "Runtime.consoleAPICalled" -> {
                    String type = params.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        problems.add("console." + type + ": " + params.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    if ("error".equals(params.path("entry").path("level").asText())) {
                        problems.add("log: " + params.path("entry").path("text").asText() + " "
                                + params.path("entry").path("url").asText());
                    }
                }
                default -> { }
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
