package io.tickerplant.emulator.binance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A plain JDK websocket client recording what the server sends; an independent peer for protocol tests. */
final class WsTestClient implements WebSocket.Listener, AutoCloseable {

    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicReference<String> closed = new AtomicReference<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean reading;
    private final HttpClient http = HttpClient.newHttpClient();
    final WebSocket ws;

    /** @param reading false: never requests a frame after the handshake, so it never answers pings either */
    WsTestClient(URI uri, boolean reading) {
        this.reading = reading;
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this).join();
    }

    WsTestClient(URI uri) {
        this(uri, true);
    }

    static CompletableFuture<WebSocket> connectAsync(URI uri) {
        return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.set(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.set("error " + error);
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    String next() throws InterruptedException {
        String m = messages.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 5 s");
        }
        return m;
    }

    List<String> next(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
