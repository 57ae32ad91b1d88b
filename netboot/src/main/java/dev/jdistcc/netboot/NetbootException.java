package dev.jdistcc.netboot;

/**
 * Everything netboot refuses or fails at. The subtype tells the caller what to do: fix an input
 * ({@link ConfigException}, {@link ArtifactException}), pick another interface ({@link InterfaceException}),
 * free a port ({@link PortInUseException}), or read the DHCP server's own words ({@link DhcpServerException}).
 * Messages are written for the user: what happened and what to try.
 */
public abstract sealed class NetbootException extends Exception
        permits ConfigException, ArtifactException, InterfaceException, PortInUseException, DhcpServerException {

    protected NetbootException(String message) {
        super(message);
    }

    protected NetbootException(String message, Throwable cause) {
        super(message, cause);
    }
}
