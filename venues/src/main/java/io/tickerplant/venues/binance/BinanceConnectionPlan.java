package io.tickerplant.venues.binance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an adapter's streams are spread over websocket connections and subscribed, within Binance's limits: at most
 * {@link Limits#maxStreamsPerConnection()} streams per connection (1024), the first few named in the connection URL
 * ({@code /stream?streams=a/b/c}, kept short so that no proxy or server refuses the request line) and the rest sent
 * as {@code SUBSCRIBE} messages, which Binance counts against its 5 incoming messages per second
 * ({@link SubscribePacer}). A symbol's streams always share one connection, so each symbol's events arrive in order
 * on one thread and a lost connection concerns whole symbols.
 */
public final class BinanceConnectionPlan {

    /**
     * Binance's connection limits, as the adapter applies them.
     *
     * @param maxStreamsPerConnection streams one connection may carry (Binance: 1024)
     * @param maxStreamsInUrl streams named in the connection URL; the rest are subscribed by message
     * @param streamsPerSubscribeMessage streams per {@code SUBSCRIBE} message
     * @param maxMessagesPerSecond client messages per connection per second (Binance: 5)
     */
    public record Limits(int maxStreamsPerConnection, int maxStreamsInUrl, int streamsPerSubscribeMessage,
                         int maxMessagesPerSecond) {
        public Limits {
            if (maxStreamsPerConnection < 1 || maxStreamsInUrl < 1 || streamsPerSubscribeMessage < 1
                    || maxMessagesPerSecond < 1) {
                throw new IllegalArgumentException("connection limits must be positive");
            }
        }

        /** Binance's published limits; 100 streams in the URL keep it near 3 KB. */
        public static Limits binance() {
            return new Limits(1024, 100, 100, 5);
        }
    }

    /**
     * One connection's share.
     *
     * @param venueSymbols the symbols whose streams it carries
     * @param urlStreams streams named in the URL
     * @param subscribeBatches the further streams, one list per {@code SUBSCRIBE} message
     */
    public record Connection(List<String> venueSymbols, List<String> urlStreams, List<List<String>> subscribeBatches) {
        public Connection {
            venueSymbols = List.copyOf(venueSymbols);
            urlStreams = List.copyOf(urlStreams);
            subscribeBatches = subscribeBatches.stream().map(List::copyOf).toList();
        }

        /** Every stream of the connection. */
        public int streamCount() {
            return urlStreams.size() + subscribeBatches.stream().mapToInt(List::size).sum();
        }
    }

    private BinanceConnectionPlan() {
    }

    /**
     * Spreads streams over as few connections as the limits allow, in the given symbol order.
     *
     * @param streamsBySymbol per venue symbol, its streams (iteration order is kept)
     * @throws IllegalArgumentException when one symbol alone has more streams than a connection may carry
     */
    public static List<Connection> plan(Map<String, List<String>> streamsBySymbol, Limits limits) {
        List<Connection> out = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : streamsBySymbol.entrySet()) {
            int n = e.getValue().size();
            if (n > limits.maxStreamsPerConnection()) {
                throw new IllegalArgumentException(e.getKey() + " has " + n + " streams, more than the "
                        + limits.maxStreamsPerConnection() + " one connection may carry");
            }
            if (streams.size() + n > limits.maxStreamsPerConnection()) {
                out.add(connection(symbols, streams, limits));
                symbols = new ArrayList<>();
                streams = new ArrayList<>();
            }
            symbols.add(e.getKey());
            streams.addAll(e.getValue());
        }
        if (!symbols.isEmpty()) {
            out.add(connection(symbols, streams, limits));
        }
        return out;
    }

    private static Connection connection(List<String> symbols, List<String> streams, Limits limits) {
        int inUrl = Math.min(streams.size(), limits.maxStreamsInUrl());
        List<List<String>> batches = new ArrayList<>();
        for (int i = inUrl; i < streams.size(); i += limits.streamsPerSubscribeMessage()) {
            batches.add(streams.subList(i, Math.min(streams.size(), i + limits.streamsPerSubscribeMessage())));
        }
        return new Connection(symbols, streams.subList(0, inUrl), batches);
    }
}
