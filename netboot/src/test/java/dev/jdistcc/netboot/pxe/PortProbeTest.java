package dev.jdistcc.netboot.pxe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lines as {@code ss -H -l -u -n -p} prints them (iproute2 6.1). */
class PortProbeTest {

    static List<PortProbe.Clash> clashes(String... lines) throws Exception {
        return PortProbe.clashes(List.of(lines), DhcpModeTest.lab());
    }

    @Test
    void dhcpServerOnTheSameInterfaceOrUnboundClashes() throws Exception {
        assertEquals(1, clashes("UNCONN 0 0 0.0.0.0%lab0:67 0.0.0.0:* users:((\"dnsmasq\",pid=6082,fd=4))").size());
        assertEquals(1, clashes("UNCONN 0 0 0.0.0.0:67 0.0.0.0:* users:((\"dhcpd\",pid=1,fd=4))").size());
        assertEquals("users:((\"dhcpd\",pid=1,fd=4))",
                clashes("UNCONN 0 0 0.0.0.0:67 0.0.0.0:* users:((\"dhcpd\",pid=1,fd=4))").getFirst().process());
    }

    @Test
    void dhcpServerBoundToAnotherInterfaceDoesNotClash() throws Exception {
        assertEquals(0, clashes("UNCONN 0 0 0.0.0.0%virbr0:67 0.0.0.0:* users:((\"dnsmasq\",pid=9,fd=4))").size());
    }

    @Test
    void tftpOnOurAddressOrTheWildcardClashesButNotOnLoopback() throws Exception {
        assertEquals(1, clashes("UNCONN 0 0 10.200.0.1:69 0.0.0.0:*").size());
        assertEquals(1, clashes("UNCONN 0 0 *:69 *:*").size());
        assertEquals(1, clashes("UNCONN 0 0 [::]:4011 [::]:*").size());
        assertEquals(0, clashes("UNCONN 0 0 127.0.0.1:69 0.0.0.0:*").size());
        assertEquals(0, clashes("UNCONN 0 0 10.200.0.1:5353 0.0.0.0:*").size());
    }
}
