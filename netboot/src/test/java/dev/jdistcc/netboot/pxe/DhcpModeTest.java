package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhcpModeTest {

    static HostInterface lab() throws Exception {
        return new HostInterface("lab0", (Inet4Address) InetAddress.getByName("10.200.0.1"), 24);
    }

    @Test
    void interfaceSubnetIsDerivedFromItsAddressAndPrefix() throws Exception {
        HostInterface nif = new HostInterface("x", (Inet4Address) InetAddress.getByName("172.20.5.77"), 20);
        assertEquals("172.20.0.0", nif.network().getHostAddress());
        assertEquals("255.255.240.0", nif.netmask().getHostAddress());
    }

    @Test
    void rangeWithDashOrCommaParses() throws Exception {
        DhcpMode.Full f = DhcpMode.parseRange("10.200.0.100-10.200.0.199", lab(), Duration.ofHours(1));
        assertEquals("10.200.0.100", f.first().getHostAddress());
        assertEquals("10.200.0.199", f.last().getHostAddress());
        assertEquals(f, DhcpMode.parseRange("10.200.0.100,10.200.0.199", lab(), Duration.ofHours(1)));
    }

    @Test
    void rangeOutsideTheSubnetBackwardsOrOverTheServerIsRefused() throws Exception {
        HostInterface nif = lab();
        String[][] cases = {
                {"10.201.0.100-10.201.0.199", "outside"},
                {"10.200.0.199-10.200.0.100", "ends before"},
                {"10.200.0.1-10.200.0.50", "own address"},
                {"10.200.0.100", "FIRST-LAST"},
                {"10.200.0.300-10.200.0.310", "not an IPv4"},
                {"lab-host-10.200.0.9", "FIRST-LAST"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> DhcpMode.parseRange(c[0], nif, Duration.ofHours(1)), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }
}
