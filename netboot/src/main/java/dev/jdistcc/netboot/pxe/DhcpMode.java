package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.ConfigException;

import java.net.Inet4Address;
import java.time.Duration;

/** How netboot takes part in DHCP on its interface. */
public sealed interface DhcpMode {

    /**
     * proxyDHCP (PXE spec §2.2.3): the site's DHCP server keeps handing out addresses; netboot only adds
     * boot information, and only for clients that identify as PXE firmware. The LAN needs no change.
     */
    record Proxy() implements DhcpMode {}

    /**
     * Full DHCP for an isolated lab network with no other DHCP server: addresses from {@code first..last},
     * no default route and no DNS server announced (the hub is on the same subnet).
     */
    record Full(Inet4Address first, Inet4Address last, Duration lease) implements DhcpMode {}

    /**
     * Parses {@code FIRST-LAST} or {@code FIRST,LAST} and checks it against the interface: both ends in its
     * subnet, in order, and not covering the interface's own address.
     */
    static Full parseRange(String text, HostInterface nif, Duration lease) throws ConfigException {
        String[] ends = text.strip().split("\\s*[-,]\\s*");
        if (ends.length != 2) {
            throw new ConfigException("DHCP range '" + text + "' must be FIRST-LAST, e.g. 10.200.0.100-10.200.0.199");
        }
        Inet4Address first = address(ends[0], text);
        Inet4Address last = address(ends[1], text);
        for (Inet4Address a : new Inet4Address[] {first, last}) {
            if (!nif.contains(a)) {
                throw new ConfigException("DHCP range '" + text + "': " + a.getHostAddress() + " is outside "
                        + nif.name() + "'s subnet " + nif.network().getHostAddress() + "/" + nif.prefixLength());
            }
        }
        long lo = Integer.toUnsignedLong(HostInterface.bits(first));
        long hi = Integer.toUnsignedLong(HostInterface.bits(last));
        long own = Integer.toUnsignedLong(HostInterface.bits(nif.address()));
        if (lo > hi) {
            throw new ConfigException("DHCP range '" + text + "' ends before it starts");
        }
        if (lo <= own && own <= hi) {
            throw new ConfigException("DHCP range '" + text + "' covers " + nif.name() + "'s own address "
                    + nif.address().getHostAddress() + "; choose a range beside it");
        }
        return new Full(first, last, lease);
    }

    /** Dotted quad only: never a name, so parsing never triggers a DNS lookup. */
    private static Inet4Address address(String s, String range) throws ConfigException {
        String[] octets = s.split("\\.", -1);
        int bits = 0;
        if (octets.length != 4) {
            throw new ConfigException("DHCP range '" + range + "': '" + s + "' is not an IPv4 address");
        }
        for (String o : octets) {
            if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
                throw new ConfigException("DHCP range '" + range + "': '" + s + "' is not an IPv4 address");
            }
            bits = bits << 8 | Integer.parseInt(o);
        }
        return HostInterface.v4(bits);
    }
}
