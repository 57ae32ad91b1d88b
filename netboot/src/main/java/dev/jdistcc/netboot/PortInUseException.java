package dev.jdistcc.netboot;

/** A port netboot needs (HTTP, DHCP 67, TFTP 69, PXE 4011) is held by another program. */
public final class PortInUseException extends NetbootException {

    public PortInUseException(String message) {
        super(message);
    }

    public PortInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
