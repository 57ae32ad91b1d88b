package dev.jdistcc.netboot;

/**
 * Progress events from netboot, for a front end to render (the CLI prints them, the hub may log them).
 * Called on server threads; implementations must be thread-safe and quick.
 */
public interface NetbootListener {

    NetbootListener NONE = new NetbootListener() {};

    /** A machine fetched its per-MAC boot script: a boot has started. */
    default void bootScriptServed(MacAddress mac, String remoteAddress) {}

    /** A boot file transfer ended; {@code complete} is false when the client went away early. */
    default void fileServed(MacAddress mac, String fileName, long bytes, boolean complete) {}

    /** One line dnsmasq logged (DHCP offers, TFTP transfers, errors). */
    default void dhcpLog(String line) {}
}
