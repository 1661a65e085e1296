package io.tickerplant.emulator.reference;

/** The sources the reference emulator speaks for (the emulator does not depend on the venues module). */
public enum ReferenceSourceId {
    CHAINLINK,
    COINGECKO,
    COINPAPRIKA
}
