package dev.jdistcc.netboot;

/** The chosen network interface does not exist, is down, or has no IPv4 address. */
public final class InterfaceException extends NetbootException {

    public InterfaceException(String message) {
        super(message);
    }

    public InterfaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
