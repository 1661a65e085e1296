package io.tickerplant.venues.bybit;

import io.tickerplant.model.Instrument;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Bybit v5 product category: each has its own public websocket ({@code /v5/public/spot},
 * {@code /v5/public/linear}) and its own symbol namespace, so {@code BTCUSDT} names a spot pair on one connection
 * and a USDT perpetual on the other. tickerplant maps spot to {@code BASE-QUOTE} and linear to
 * {@code BASE-QUOTE-PERP}.
 */
public enum BybitCategory {
    SPOT("spot"),
    LINEAR("linear");

    private final String path;

    BybitCategory(String path) {
        this.path = path;
    }

    /** The category name in Bybit's paths and REST parameters: {@code spot}, {@code linear}. */
    public String path() {
        return path;
    }

    /** The category an instrument trades in: perpetuals are linear (USDT-margined), the rest spot. */
    public static BybitCategory of(Instrument instrument) {
        return instrument.perpetual() ? LINEAR : SPOT;
    }

    /** The websocket of this category under a base URI: {@code wss://stream.bybit.com/v5/public/spot}. */
    public URI websocket(URI base) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/v5/public/" + path);
    }

    /**
     * The category a recorded connection address belongs to ({@code wss://stream.bybit.com/v5/public/linear}), or
     * empty for another address (the retired v2 {@code /realtime} endpoints, unknown hosts).
     */
    public static Optional<BybitCategory> fromConnection(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.toLowerCase(Locale.ROOT);
        int q = a.indexOf('?');
        if (q >= 0) {
            a = a.substring(0, q);
        }
        while (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        for (BybitCategory c : values()) {
            if (a.endsWith("/v5/public/" + c.path)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
