package io.tickerplant.app.platform;

/** Connect's REST API answered with an error; {@link #getMessage()} carries Connect's own explanation. */
public final class ConnectRestException extends RuntimeException {

    private final int status;

    public ConnectRestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, e.g. 400 for an invalid connector config, 404 for an unknown connector. */
    public int status() {
        return status;
    }
}
