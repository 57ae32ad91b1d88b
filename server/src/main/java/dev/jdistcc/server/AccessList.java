package dev.jdistcc.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * distccd's --allow list (reference §3.4): CIDR rules for IPv4 and IPv6; a host name is resolved once, at
 * start-up, to all its addresses. Fixed relative to 3.4: IPv4-mapped IPv6 clients ({@code ::ffff:a.b.c.d},
 * as an IPv6 listener sees IPv4 peers) are matched as the IPv4 address they are (#443), and the private
 * default really applies, with all seven ranges including {@code ::1} (PR #451).
 */
public final class AccessList {
    /** --allow-private (10/8, 172.16/12, 192.168/16, 127/8, fe80::/10, fc00::/7, ::1/128). */
    public static final List<String> PRIVATE = List.of(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fe80::/10", "fc00::/7", "::1/128");

    private record Rule(byte[] address, int bits, String spec) {
    }

    private final List<Rule> rules;

    private AccessList(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** @throws IllegalArgumentException with a message naming the bad spec */
    public static AccessList parse(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            rules.addAll(parseOne(spec));
        }
        return new AccessList(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public boolean allows(InetAddress client) {
        byte[] c = canonical(client);
        for (Rule r : rules) {
            if (r.address.length == c.length && matches(c, r.address, r.bits)) {
                return true;
            }
        }
        return false;
    }

    private static List<Rule> parseOne(String spec) {
        String host = spec;
        int bits = -1;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            host = spec.substring(0, slash);
            try {
                bits = Integer.parseInt(spec.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad --allow mask in '" + spec + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("can't resolve --allow host '" + host + "'");
        }
        List<Rule> out = new ArrayList<>();
        for (InetAddress a : addrs) {
            byte[] raw = a.getAddress();
            int b = bits;
            if (a instanceof Inet6Address && isMapped(raw) && (b < 0 || b >= 96)) {
                raw = java.util.Arrays.copyOfRange(raw, 12, 16);
                b = b < 0 ? -1 : b - 96;
            }
            int max = raw.length * 8;
            if (b < 0) {
                b = max;
            }
            if (b > max) {
                throw new IllegalArgumentException("--allow mask /" + bits + " is too long in '" + spec + "'");
            }
            out.add(new Rule(raw, b, spec));
        }
        return out;
    }

    /** IPv4 as 4 bytes, including IPv4 carried in an IPv4-mapped IPv6 address; other IPv6 as 16 bytes. */
    static byte[] canonical(InetAddress a) {
        byte[] raw = a.getAddress();
        if (a instanceof Inet6Address && isMapped(raw)) {
            return java.util.Arrays.copyOfRange(raw, 12, 16);
        }
        return raw;
    }

    private static boolean isMapped(byte[] raw) {
        if (raw.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
    }

    private static boolean matches(byte[] c, byte[] rule, int bits) {
        for (int i = 0; i < c.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((c[i] & mask) != (rule[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The peer as distcc prints it: dotted IPv4 for IPv4 and mapped clients. */
    static String describe(InetAddress a) {
        byte[] c = canonical(a);
        try {
            return InetAddress.getByAddress(c).getHostAddress();
        } catch (UnknownHostException e) {
            return a.getHostAddress();
        }
    }

    static boolean isIpv4(InetAddress a) {
        return a instanceof Inet4Address || canonical(a).length == 4;
    }
}
