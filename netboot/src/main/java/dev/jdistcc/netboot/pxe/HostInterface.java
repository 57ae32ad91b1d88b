package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.InterfaceException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.stream.Collectors;

/**
 * The one interface netboot serves on, with its first IPv4 address. Looked up once and refused with a
 * clear message when it cannot work: missing, loopback, down, or without IPv4.
 *
 * @param prefixLength the IPv4 prefix, e.g. 24
 */
public record HostInterface(String name, Inet4Address address, int prefixLength) {

    public HostInterface {
        if (prefixLength < 1 || prefixLength > 30) {
            throw new IllegalArgumentException("IPv4 prefix must be 1..30: " + prefixLength);
        }
    }

    public static HostInterface lookup(String name) throws InterfaceException {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
            if (nif == null) {
                throw new InterfaceException("there is no network interface '" + name + "' on this host (it has: "
                        + available() + ")");
            }
            if (nif.isLoopback()) {
                throw new InterfaceException(name + " is the loopback interface; PXE needs the interface the"
                        + " volunteer machines are cabled to");
            }
            if (!nif.isUp()) {
                throw new InterfaceException(name + " is down; bring it up first (ip link set " + name + " up)");
            }
        } catch (SocketException e) {
            throw new InterfaceException("cannot inspect network interface " + name + ": " + e.getMessage(), e);
        }
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address v4 && a.getNetworkPrefixLength() <= 30) {
                return new HostInterface(name, v4, a.getNetworkPrefixLength());
            }
        }
        throw new InterfaceException(name + " has no IPv4 address (with a prefix of /30 or wider); PXE and iPXE"
                + " boot over IPv4. Give it one, e.g. ip addr add 10.200.0.1/24 dev " + name);
    }

    public Inet4Address netmask() {
        return v4((int) (0xFFFF_FFFFL << (32 - prefixLength)));
    }

    /** The subnet's network address, e.g. 10.200.0.0 for 10.200.0.1/24. */
    public Inet4Address network() {
        return v4(bits(address) & bits(netmask()));
    }

    public boolean contains(Inet4Address a) {
        return (bits(a) & bits(netmask())) == bits(network());
    }

    @Override
    public String toString() {
        return name + " (" + address.getHostAddress() + "/" + prefixLength + ")";
    }

    static int bits(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address v4(int bits) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {
                    (byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String available() throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .map(NetworkInterface::getName).sorted().collect(Collectors.joining(", "));
    }
}
