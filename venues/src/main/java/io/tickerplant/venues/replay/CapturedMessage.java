package io.tickerplant.venues.replay;

/**
 * One line of a capture: a frame received or sent, a REST answer, or a connection opened.
 *
 * @param kind what the line records
 * @param connection the websocket URL or connection name the frame belongs to ({@code null} when the format does
 *     not say); for {@link Kind#HTTP} the request URL
 * @param text the frame or body verbatim; empty for {@link Kind#CONNECT}
 * @param receiveMicros local receive time, epoch microseconds
 */
public record CapturedMessage(Kind kind, String connection, String text, long receiveMicros) {

    /** What a capture line records. */
    public enum Kind {
        /** A websocket connection was opened. */
        CONNECT,
        /** A frame the client sent (subscribe requests). */
        SENT,
        /** A frame the venue sent. */
        RECEIVED,
        /** A REST answer; {@code connection} is the request URL. */
        HTTP
    }
}
