package io.tickerplant.venues.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickerplant.venues.reference.ReferenceRejection.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Ethereum JSON-RPC {@code eth_call} over HTTP POST, one attempt per call: the poller's next cycle is the retry.
 *
 * <p>Hosted endpoints carry the API key in the URL ({@code https://eth-mainnet.g.alchemy.com/v2/KEY}), so the URL
 * never appears in a message or a log: {@link #maskedEndpoint()} shows scheme, host and port only.
 */
public final class EthereumRpcClient {

    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]{2})*");

    /**
     * A successful call.
     *
     * @param result the returned data, {@code 0x}-prefixed hex
     * @param body the whole response body, for the dead-letter topic if the data is then rejected
     */
    public record CallResult(String result, String body) {
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String masked;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();

    public EthereumRpcClient(HttpClient http, URI endpoint, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.masked = mask(endpoint);
    }

    /** {@code https://host:port/***}: enough to tell endpoints apart, nothing of a key in path, query or user info. */
    public static String mask(URI uri) {
        StringBuilder sb = new StringBuilder();
        sb.append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            sb.append("/***");
        }
        return sb.toString();
    }

    public String maskedEndpoint() {
        return masked;
    }

    /** {@code eth_call} of {@code data} on contract {@code to} at the latest block. */
    public CallResult call(String to, String data) throws ReferenceRejection, InterruptedException {
        ObjectNode req = ReferenceJson.MAPPER.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", ids.incrementAndGet());
        req.put("method", "eth_call");
        com.fasterxml.jackson.databind.node.ArrayNode params = req.putArray("params");
        params.addObject().put("to", to).put("data", data);
        params.add("latest");
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(req.toString())).build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ReferenceRejection(Kind.HTTP, "http", "eth_call to " + masked + " timed out after "
                    + timeout.toMillis() + " ms", "", null, null);
        } catch (IOException e) {
            // The exception's own message may quote the URL: keep only its type.
            throw new ReferenceRejection(Kind.HTTP, "http", "eth_call to " + masked + " failed: "
                    + e.getClass().getSimpleName(), "", null, null);
        }
        String body = r.body();
        int status = r.statusCode();
        if (status == 429) {
            Duration retryAfter = r.headers().firstValueAsLong("Retry-After").stream()
                    .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
            throw new ReferenceRejection(Kind.RATE_LIMITED, "http", "HTTP 429 from " + masked
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + " s"), body,
                    retryAfter, null);
        }
        if (status / 100 != 2) {
            throw new ReferenceRejection(Kind.HTTP, "http", "HTTP " + status + " from " + masked, body);
        }
        JsonNode root = ReferenceJson.parse(body);
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            int code = error.path("code").asInt();
            String message = error.path("message").asText("");
            boolean reverted = code == 3 || message.toLowerCase(java.util.Locale.ROOT).contains("revert");
            throw new ReferenceRejection(reverted ? Kind.REVERTED : Kind.RPC_ERROR, "error",
                    (reverted ? "call reverted: " : "JSON-RPC error " + code + ": ") + message, body);
        }
        JsonNode result = root.get("result");
        if (result == null || !result.isTextual() || !HEX.matcher(result.asText()).matches()) {
            throw new ReferenceRejection(Kind.MALFORMED, "result", "not 0x-prefixed hex data: " + result, body);
        }
        if (result.asText().length() == 2) {
            // What a node answers for a call to an address without code.
            throw new ReferenceRejection(Kind.MALFORMED, "result", "empty (no contract at " + to + "?)", body);
        }
        return new CallResult(result.asText(), body);
    }
}
