package io.tickerplant.venues;

import io.tickerplant.model.Micros;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET requests to a venue's REST API with bounded retries: rate limits (429) are retried after the venue's
 * {@code Retry-After} when it fits the budget, server errors and I/O failures after a growing pause, and everything
 * else (4xx, IP bans with 418) fails at once. Failures say why, for a FeedStatus detail.
 */
public final class RestClient {

    private static final Logger log = LoggerFactory.getLogger(RestClient.class);

    /**
     * @param maxAttempts attempts per request, including the first
     * @param requestTimeout limit of one attempt
     * @param maxRetryAfter longest {@code Retry-After} worth waiting for; a longer one fails the request at once
     * @param retryPause pause after the first failed attempt, doubled after each further one
     */
    public record Policy(int maxAttempts, Duration requestTimeout, Duration maxRetryAfter, Duration retryPause) {
        public Policy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1");
            }
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            Objects.requireNonNull(retryPause, "retryPause");
        }

        /** 4 attempts, 10 s each, waiting up to 30 s for a rate limit, pauses from 200 ms. */
        public static Policy defaults() {
            return new Policy(4, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(200));
        }
    }

    /** A request that failed for good. */
    public static final class RestException extends IOException {
        private final int status;

        public RestException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The last HTTP status, or 0 when there was no response. */
        public int status() {
            return status;
        }
    }

    private final HttpClient http;
    private final Policy policy;
    private final BooleanSupplier cancelled;

    /** @param cancelled checked between attempts; true stops retrying (the owner is closing) */
    public RestClient(HttpClient http, Policy policy, BooleanSupplier cancelled) {
        this.http = Objects.requireNonNull(http, "http");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
    }

    /** The body of a 2xx answer. */
    public String get(URI uri) throws RestException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.requestTimeout())
                .header("Accept", "application/json").GET().build();
        long pause = policy.retryPause().toMillis();
        String last = "";
        int lastStatus = 0;
        for (int attempt = 1; ; attempt++) {
            if (cancelled.getAsBoolean()) {
                throw new RestException("cancelled after " + (attempt - 1) + " attempts" + last, lastStatus, null);
            }
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                r = null;
                last = ": timed out after " + policy.requestTimeout().toMillis() + " ms";
                lastStatus = 0;
            } catch (IOException e) {
                r = null;
                last = ": " + e;
                lastStatus = 0;
            }
            long waitMillis = pause;
            if (r != null) {
                int status = r.statusCode();
                if (status / 100 == 2) {
                    FrameTap.http(uri.toString(), r.body(), Micros.now());
                    return r.body();
                }
                lastStatus = status;
                last = ": HTTP " + status + " " + abbreviate(r.body());
                if (status == 429) {
                    OptionalLong retryAfter = r.headers().firstValueAsLong("Retry-After");
                    long ra = retryAfter.isPresent() ? retryAfter.getAsLong() * 1000 : pause;
                    if (ra > policy.maxRetryAfter().toMillis()) {
                        throw new RestException("GET " + uri.getPath() + " rate limited with Retry-After "
                                + ra / 1000 + " s, longer than " + policy.maxRetryAfter().toSeconds() + " s" + last,
                                status, null);
                    }
                    waitMillis = Math.max(ra, pause);
                } else if (status < 500) {
                    // 4xx is our request's fault and 418 an IP ban lasting minutes: retrying cannot help.
                    throw new RestException("GET " + uri.getPath() + " failed" + last, status, null);
                }
            }
            if (attempt >= policy.maxAttempts()) {
                throw new RestException("GET " + uri.getPath() + " failed after " + attempt + " attempts" + last,
                        lastStatus, null);
            }
            log.debug("GET {} attempt {} failed{}; retrying in {} ms", uri, attempt, last, waitMillis);
            Thread.sleep(waitMillis);
            pause = Math.min(pause * 2, 30_000);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }
}
