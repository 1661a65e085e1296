package io.tickerplant.venues;

/**
 * Sees every websocket frame and REST answer of every adapter in this JVM, for {@code tickerplant record}. Absent
 * unless installed, and then it costs one volatile read per frame. A JVM-wide tap rather than a per-adapter setting
 * because recording must capture exactly what the adapters' own sessions receive, for any venue, without each
 * adapter passing a recorder down to its sessions.
 */
public final class FrameTap {

    /** Receives the traffic; called from I/O threads, concurrently. Must not block for long or throw. */
    public interface Recorder {
        void connected(String url, long micros);

        void sent(String url, String text, long micros);

        void received(String url, String text, long micros);

        void http(String url, String body, long micros);
    }

    private static volatile Recorder recorder;

    private FrameTap() {
    }

    /** Installs the one recorder (replacing any other); {@code null} removes it. */
    public static void install(Recorder r) {
        recorder = r;
    }

    static void connected(String url, long micros) {
        Recorder r = recorder;
        if (r != null) {
            r.connected(url, micros);
        }
    }

    static void sent(String url, String text, long micros) {
        Recorder r = recorder;
        if (r != null) {
            r.sent(url, text, micros);
        }
    }

    static void received(String url, String text, long micros) {
        Recorder r = recorder;
        if (r != null) {
            r.received(url, text, micros);
        }
    }

    static void http(String url, String body, long micros) {
        Recorder r = recorder;
        if (r != null) {
            r.http(url, body, micros);
        }
    }
}
