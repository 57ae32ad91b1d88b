package dev.jdistcc.image;

/** A pinned Debian package could not be fetched, or its digest does not match the pin. */
public final class FetchException extends ImageException {

    public FetchException(String message) {
        super(message, null);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
