package dev.jdistcc.netboot;

/** A value given to netboot (MAC address, kernel argument, DHCP range, URL) is malformed or does not fit. */
public final class ConfigException extends NetbootException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
