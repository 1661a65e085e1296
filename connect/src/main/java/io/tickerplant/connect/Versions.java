package io.tickerplant.connect;

/** The version every tickerplant connector and task reports to Connect. */
public final class Versions {
    private Versions() {
    }

    public static String current() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
