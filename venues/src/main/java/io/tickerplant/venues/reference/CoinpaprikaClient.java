package io.tickerplant.venues.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickerplant.model.Instrument;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.ReferencePrice;
import io.tickerplant.venues.RestClient;
import io.tickerplant.venues.reference.ReferenceRejection.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Coinpaprika {@code /v1/tickers/{id}?quotes=USD}, one request per pair: {@code quotes.USD.price} at
 * {@code last_updated}. The optional API key (paid plans) goes in the {@code Authorization} header.
 */
public final class CoinpaprikaClient {

    /** Coinpaprika's API key header (paid plans; the free API needs none). */
    public static final String API_KEY_HEADER = "Authorization";

    private final RestClient rest;
    private final String base;
    private final Map<String, String> idsByPair;
    private final Duration maxAge;
    private final Clock clock;

    public CoinpaprikaClient(HttpClient http, RestClient.Policy policy, BooleanSupplier cancelled, URI base,
                             String apiKey, Map<String, String> idsByPair, Duration maxAge, Clock clock) {
        this.rest = new RestClient(ApiKeyHttpClient.wrap(http, API_KEY_HEADER, apiKey), policy, cancelled);
        this.base = base.toString().replaceAll("/+$", "");
        this.idsByPair = new LinkedHashMap<>(idsByPair);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    URI requestUri(String pair, String id) {
        return URI.create(base + "/v1/tickers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?quotes="
                + Instrument.parse(pair).quote());
    }

    /** One reading per configured pair, in configuration order. */
    public List<ReferenceReading> poll() throws InterruptedException {
        List<ReferenceReading> out = new ArrayList<>(idsByPair.size());
        for (Map.Entry<String, String> e : idsByPair.entrySet()) {
            out.add(read(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** One pair's reading. */
    public ReferenceReading read(String pair, String id) throws InterruptedException {
        try {
            String body;
            try {
                body = rest.get(requestUri(pair, id));
            } catch (RestClient.RestException e) {
                throw new ReferenceRejection(e.status() == 429 ? Kind.RATE_LIMITED : Kind.HTTP, "http",
                        e.getMessage(), e.getMessage(), null, e);
            }
            return ReferenceReading.ok(parse(pair, id, body, clock.instant()));
        } catch (ReferenceRejection r) {
            return ReferenceReading.rejected(pair, id, r);
        }
    }

    static ReferencePrice parse(String pair, String id, String body, Instant received, Duration maxAge)
            throws ReferenceRejection {
        JsonNode root = ReferenceJson.parse(body);
        if (!root.isObject()) {
            throw new ReferenceRejection(Kind.MALFORMED, "body", "expected a ticker object", body);
        }
        if (root.hasNonNull("id") && !root.get("id").asText().equals(id)) {
            throw new ReferenceRejection(Kind.MISMATCH, "id", "ticker is for " + root.get("id").asText()
                    + ", asked for " + id, body);
        }
        String quote = Instrument.parse(pair).quote().toUpperCase(Locale.ROOT);
        Decimal price = ReferenceJson.price(root.path("quotes").path(quote).get("price"), "quotes." + quote
                + ".price", body);
        JsonNode lu = root.get("last_updated");
        if (lu == null || !lu.isTextual()) {
            throw new ReferenceRejection(Kind.MALFORMED, "last_updated", "missing or not text: " + lu, body);
        }
        Instant updated;
        try {
            updated = Instant.parse(lu.asText());
        } catch (DateTimeParseException e) {
            throw new ReferenceRejection(Kind.MALFORMED, "last_updated", "not an ISO-8601 instant: "
                    + lu.asText(), body);
        }
        ReferenceJson.checkAge(updated, received, maxAge, "last_updated", body);
        return ReferenceJson.price(ReferenceSource.COINPAPRIKA, pair, id, updated, received, price);
    }

    private ReferencePrice parse(String pair, String id, String body, Instant received) throws ReferenceRejection {
        return parse(pair, id, body, received, maxAge);
    }
}
