package io.tickerplant.venues.kraken;

/**
 * Kraken's documented examples, written out by hand (not recordings). The book snapshot is the checksum guide's
 * worked example, level for level; the other frames follow the documented message schemas and examples of the v2
 * channel pages, with values of our own where noted.
 */
final class KrakenDocs {
    private KrakenDocs() {
    }

    /**
     * The worked example of "Spot Websockets (v2) Book Checksum", https://docs.kraken.com/api/docs/guides/spot-ws-book-v2
     * (also https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2): BTC/USD, 10 levels, price
     * precision 1, qty precision 8; the documented checksum is 3310070434.
     */
    static final String BOOK_SNAPSHOT = """
            {"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD",
             "bids":[{"price":45283.5,"qty":0.10000000},{"price":45283.4,"qty":1.54582015},
                     {"price":45282.1,"qty":0.10000000},{"price":45281.0,"qty":0.10000000},
                     {"price":45280.3,"qty":1.54592586},{"price":45279.0,"qty":0.07990000},
                     {"price":45277.6,"qty":0.03310103},{"price":45277.5,"qty":0.30000000},
                     {"price":45277.3,"qty":1.54602737},{"price":45276.6,"qty":0.15445238}],
             "asks":[{"price":45285.2,"qty":0.00100000},{"price":45286.4,"qty":1.54571953},
                     {"price":45286.6,"qty":1.54571109},{"price":45289.6,"qty":1.54560911},
                     {"price":45290.2,"qty":0.15890660},{"price":45291.8,"qty":1.54553491},
                     {"price":45294.7,"qty":0.04454749},{"price":45296.1,"qty":0.35380000},
                     {"price":45297.5,"qty":0.09945542},{"price":45299.5,"qty":0.18772827}],
             "checksum":3310070434}]}
            """;

    static final long BOOK_SNAPSHOT_CHECKSUM = 3310070434L;

    /** The asks half of the checksum string, as the guide spells it out. */
    static final String BOOK_SNAPSHOT_ASKS_TEXT = "45285210000045286415457195345286615457110945289615456091145290215890"
            + "660452918154553491452947445474945296135380000452975994554245299518772827";

    /** A trade update in the form documented at https://docs.kraken.com/api/docs/websocket-v2/trade. */
    static final String TRADE_UPDATE = """
            {"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,
             "qty":6423.46326,"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"},
             {"symbol":"MATIC/USD","side":"sell","price":0.5147,"qty":1136.19677815,"ord_type":"limit",
             "trade_id":4665847,"timestamp":"2023-09-25T07:49:36.925603Z"}]}
            """;

    /** A ticker snapshot in the form documented at https://docs.kraken.com/api/docs/websocket-v2/ticker. */
    static final String TICKER = """
            {"channel":"ticker","type":"snapshot","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,
             "ask":0.10036,"ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,
             "low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17}]}
            """;

    /** The book subscribe acknowledgement example of https://docs.kraken.com/api/docs/websocket-v2/book. */
    static final String BOOK_SUBSCRIBE_ACK = """
            {"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"ALGO/USD"},
             "success":true,"time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z"}
            """;
}
