package io.tickerplant.app.platform;

import java.net.URI;

/** Where a venue is reached: the production endpoints, configured ones, or a local emulator's. Null = venue default. */
public interface VenueEndpoints {

    URI websocketUri();

    URI restUri();

    /** Fixed endpoints; nulls mean the venue's production endpoints. */
    static VenueEndpoints of(URI websocket, URI rest) {
        return new VenueEndpoints() {
            @Override
            public URI websocketUri() {
                return websocket;
            }

            @Override
            public URI restUri() {
                return rest;
            }
        };
    }
}
