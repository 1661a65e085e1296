package io.tickerplant.venues.reference;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HttpClient that adds one header (an API key) to every request. It lets {@link io.tickerplant.venues.RestClient}
 * be reused as is while the key stays out of the URI, which RestClient logs at debug level.
 */
final class ApiKeyHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final String header;
    private final String value;

    ApiKeyHttpClient(HttpClient delegate, String header, String value) {
        this.delegate = Objects.requireNonNull(delegate);
        this.header = Objects.requireNonNull(header);
        this.value = Objects.requireNonNull(value);
    }

    /** {@code http} itself when there is no key. */
    static HttpClient wrap(HttpClient http, String header, String key) {
        return key == null || key.isBlank() ? http : new ApiKeyHttpClient(http, header, key.trim());
    }

    private HttpRequest withKey(HttpRequest r) {
        return HttpRequest.newBuilder(r, (n, v) -> true).setHeader(header, value).build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegate.send(withKey(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(withKey(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return delegate.sendAsync(withKey(request), handler, push);
    }

    @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
    @Override public Redirect followRedirects() { return delegate.followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
    @Override public SSLContext sslContext() { return delegate.sslContext(); }
    @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
    @Override public Version version() { return delegate.version(); }
    @Override public Optional<Executor> executor() { return delegate.executor(); }
}
