package io.tickerplant.model;

import java.util.List;

/** Topic names, all under one configurable prefix (default {@code tp.}). */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "tp.";

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String trades() { return prefix + "trades"; }
    public String quotes() { return prefix + "quotes"; }
    public String book() { return prefix + "book"; }
    public String liquidations() { return prefix + "liquidations"; }
    public String funding() { return prefix + "funding"; }
    public String refPrices() { return prefix + "refprices"; }
    public String feedStatus() { return prefix + "feedstatus"; }
    public String candles() { return prefix + "candles"; }
    public String bbo() { return prefix + "bbo"; }
    public String index() { return prefix + "index"; }
    public String accuracy() { return prefix + "accuracy"; }
    public String alerts() { return prefix + "alerts"; }
    /** Per symbol and minute, long and short liquidations across venues (LiquidationStatsTopology). */
    public String liquidationStats() { return prefix + "liquidation-stats"; }
    /** Dead letters: what could not be processed, with the reason in headers (see {@link DeadLetters}). */
    public String deadLetters() { return prefix + "dlq"; }

    /** Every topic the platform creates at start. */
    public List<String> all() {
        return List.of(trades(), quotes(), book(), liquidations(), funding(), refPrices(), feedStatus(),
                candles(), bbo(), index(), accuracy(), alerts(), liquidationStats(), deadLetters());
    }
}
