package io.tickerplant.app;

/** What {@code tickerplant} was asked to run; the components differ only in where market data comes from. */
public enum Mode {
    /** Real venues over the internet. */
    UP,
    /** Emulated venues in this JVM: no internet needed, known ground truth. */
    DEMO
}
