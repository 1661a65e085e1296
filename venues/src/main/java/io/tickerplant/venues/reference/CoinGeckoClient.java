package io.tickerplant.venues.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.reference.ReferenceRejection.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CoinGecko {@code /api/v3/simple/price} for all configured pairs in one request, with
 * {@code include_last_updated_at} (the source time) and {@code precision=full} (every digit CoinGecko has).
 *
 * <p>The optional demo API key goes in the {@code x-cg-demo-api-key} header, never in the URL, so it cannot leak
 * through a logged URI.
 */
public final class CoinGeckoClient {

    /** Header of CoinGecko's demo (free) API key. */
    public static final String API_KEY_HEADER = "x-cg-demo-api-key";

    private final RestClient rest;
    private final URI uri;
    private final Map<String, String> idsByPair;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param http the HTTP client; the API key header is added on top when {@code apiKey} is set
     * @param base e.g. {@code https://api.coingecko.com}
     * @param idsByPair canonical pair to coin id ({@code ETH-USD=ethereum}), in output order
     */
    public CoinGeckoClient(HttpClient http, RestClient.Policy policy, java.util.function.BooleanSupplier cancelled,
                           URI base, String apiKey, Map<String, String> idsByPair, Duration maxAge, Clock clock) {
        this.rest = new RestClient(ApiKeyHttpClient.wrap(http, API_KEY_HEADER, apiKey), policy, cancelled);
        this.idsByPair = new LinkedHashMap<>(idsByPair);
        this.maxAge = maxAge;
        this.clock = clock;
        this.uri = requestUri(base, idsByPair);
    }

    static URI requestUri(URI base, Map<String, String> idsByPair) {
        Set<String> vs = new LinkedHashSet<>();
        for (String pair : idsByPair.keySet()) {
            vs.add(Instrument.parse(pair).quote().toLowerCase(Locale.ROOT));
        }
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + "/api/v3/simple/price?ids=" + enc(String.join(",", idsByPair.values()))
                + "&vs_currencies=" + enc(String.join(",", vs))
                + "&include_last_updated_at=true&precision=full");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2C", ",");
    }

    public URI requestUri() {
        return uri;
    }

    /** One reading per configured pair, in configuration order. */
    public List<ReferenceReading> poll() throws InterruptedException {
        String body;
        try {
            body = rest.get(uri);
        } catch (RestClient.RestException e) {
            ReferenceRejection r = new ReferenceRejection(e.status() == 429 ? Kind.RATE_LIMITED : Kind.HTTP, "http",
                    e.getMessage(), e.getMessage(), null, e);
            return allRejected(r);
        }
        Instant received = clock.instant();
        JsonNode root;
        try {
            root = ReferenceJson.parse(body);
            if (!root.isObject()) {
                throw new ReferenceRejection(Kind.MALFORMED, "body", "expected an object keyed by coin id", body);
            }
        } catch (ReferenceRejection r) {
            return allRejected(r);
        }
        List<ReferenceReading> out = new ArrayList<>(idsByPair.size());
        for (Map.Entry<String, String> e : idsByPair.entrySet()) {
            String pair = e.getKey();
            String id = e.getValue();
            try {
                out.add(ReferenceReading.ok(parse(root, pair, id, received, body)));
            } catch (ReferenceRejection r) {
                out.add(ReferenceReading.rejected(pair, id, r));
            }
        }
        return out;
    }

    private io.tickerplant.model.avro.ReferencePrice parse(JsonNode root, String pair, String id, Instant received,
                                                           String body) throws ReferenceRejection {
        JsonNode coin = root.get(id);
        if (coin == null || !coin.isObject()) {
            throw new ReferenceRejection(Kind.MALFORMED, id, "no entry for coin id " + id, body);
        }
        String vs = Instrument.parse(pair).quote().toLowerCase(Locale.ROOT);
        Decimal price = ReferenceJson.price(coin.get(vs), id + "." + vs, body);
        Instant updated = ReferenceJson.epochSeconds(coin.get("last_updated_at"), id + ".last_updated_at", body);
        ReferenceJson.checkAge(updated, received, maxAge, id + ".last_updated_at", body);
        return ReferenceJson.price(ReferenceSource.COINGECKO, pair, id, updated, received, price);
    }

    private List<ReferenceReading> allRejected(ReferenceRejection r) {
        List<ReferenceReading> out = new ArrayList<>(idsByPair.size());
        idsByPair.forEach((pair, id) -> out.add(ReferenceReading.rejected(pair, id, r)));
        return out;
    }
}
