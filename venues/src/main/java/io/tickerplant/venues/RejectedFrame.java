package io.tickerplant.venues;

/**
 * A frame the adapter could not process.
 *
 * @param venue venue id
 * @param raw the frame exactly as received
 * @param reason one line naming what was wrong (the field, the expected form)
 * @param errorClass the exception class behind it, or a short code when there was none
 * @param receiveTimeMicros local receive time, epoch microseconds
 */
public record RejectedFrame(String venue, String raw, String reason, String errorClass, long receiveTimeMicros) {
}
