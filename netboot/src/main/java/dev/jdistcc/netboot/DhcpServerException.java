package dev.jdistcc.netboot;

/** dnsmasq could not be started, did not come up in time, or stopped on its own. */
public final class DhcpServerException extends NetbootException {

    public DhcpServerException(String message) {
        super(message);
    }

    public DhcpServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
