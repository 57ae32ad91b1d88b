package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessListTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4CidrMatchesByPrefix() throws Exception {
        AccessList acl = AccessList.parse(List.of("192.168.1.0/24", "10.9.9.9"));
        assertTrue(acl.allows(ip("192.168.1.77")));
        assertFalse(acl.allows(ip("192.168.2.1")));
        assertTrue(acl.allows(ip("10.9.9.9")));
        assertFalse(acl.allows(ip("10.9.9.8")));
    }

    @Test
    void ipv4MappedIpv6ClientMatchesItsIpv4Rule() throws Exception {
        // Built by hand: InetAddress.getByName would already unwrap the mapped form.
        byte[] mapped = new byte[16];
        mapped[10] = mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(AccessList.parse(List.of("10.0.0.0/8")).allows(client));
        assertFalse(AccessList.parse(List.of("11.0.0.0/8")).allows(client));
    }

    @Test
    void ipv6CidrMatches() throws Exception {
        AccessList acl = AccessList.parse(List.of("fd00:1::/32"));
        assertTrue(acl.allows(ip("fd00:1:ffff::1")));
        assertFalse(acl.allows(ip("fd00:2::1")));
        assertFalse(acl.allows(ip("10.0.0.1")));
    }

    @Test
    void privateDefaultCoversAllSevenRangesIncludingIpv6Loopback() throws Exception {
        AccessList acl = AccessList.parse(AccessList.PRIVATE);
        for (String a : List.of("10.1.2.3", "172.31.0.1", "192.168.0.1", "127.0.0.1", "fe80::1", "fd12::1", "::1")) {
            assertTrue(acl.allows(ip(a)), a);
        }
        for (String a : List.of("8.8.8.8", "172.32.0.1", "2001:db8::1")) {
            assertFalse(acl.allows(ip(a)), a);
        }
    }

    @Test
    void badMaskIsRejectedWithTheSpec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessList.parse(List.of("10.0.0.0/33")));
        assertTrue(e.getMessage().contains("10.0.0.0/33"));
    }
}
