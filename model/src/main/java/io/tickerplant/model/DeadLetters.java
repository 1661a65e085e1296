package io.tickerplant.model;

/**
 * Header names on dead-letter records. The value of a dead letter is the input exactly as received (a raw frame,
 * a record's bytes), so it can be inspected and replayed; why it was rejected travels in these headers.
 */
public final class DeadLetters {
    private DeadLetters() {
    }

    /** One line saying what was wrong with the input. */
    public static final String REASON = "tp.reason";
    /** Which component rejected it: {@code source:BINANCE}, {@code sink:trades}. */
    public static final String STAGE = "tp.stage";
    public static final String VENUE = "tp.venue";
    /** The exception class, for machines grouping errors. */
    public static final String ERROR_CLASS = "tp.error.class";
    /** Local receive time in epoch microseconds. */
    public static final String RECEIVE_TIME = "tp.receive.time.us";
}
