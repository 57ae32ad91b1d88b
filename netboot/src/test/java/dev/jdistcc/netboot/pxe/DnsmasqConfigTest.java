package dev.jdistcc.netboot.pxe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsmasqConfigTest {

    static final String ENTRY = "http://10.200.0.1:8080/boot.ipxe";

    static DnsmasqConfig config(DhcpMode mode) throws Exception {
        return new DnsmasqConfig(DhcpModeTest.lab(), mode, ENTRY, Path.of("/w/tftp"), Path.of("/w/leases"));
    }

    @Test
    void commandLineKeepsDnsmasqOffDnsAndOnTheOneInterface() throws Exception {
        assertEquals(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/w/dnsmasq.conf", "--port=0",
                        "--interface=lab0", "--except-interface=lo", "--bind-interfaces", "--log-facility=-"),
                config(new DhcpMode.Proxy()).arguments(Path.of("/usr/sbin/dnsmasq"), Path.of("/w/dnsmasq.conf")));
    }

    @Test
    void proxyModeAnswersPxeOnlyAndSendsIpxeItsScriptUrl() throws Exception {
        List<String> lines = config(new DhcpMode.Proxy()).file().lines().toList();
        assertTrue(lines.contains("dhcp-range=10.200.0.0,proxy,255.255.255.0"), lines::toString);
        assertTrue(lines.contains("dhcp-userclass=set:ipxe,iPXE"), lines::toString);
        assertTrue(lines.contains("pxe-service=tag:!ipxe,x86PC,\"jdistcc volunteer (BIOS)\",undionly.kpxe"), lines::toString);
        assertTrue(lines.contains("pxe-service=tag:!ipxe,X86-64_EFI,\"jdistcc volunteer (UEFI)\",snponly.efi"), lines::toString);
        assertTrue(lines.contains("pxe-service=tag:ipxe,x86PC,\"jdistcc volunteer\"," + ENTRY), lines::toString);
        assertTrue(lines.contains("pxe-service=tag:ipxe,X86-64_EFI,\"jdistcc volunteer\"," + ENTRY), lines::toString);
        assertTrue(lines.contains("tftp-root=/w/tftp") && lines.contains("dhcp-leasefile=/w/leases"), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("dhcp-boot=")), "proxy mode must not set a boot file"
                + " for non-PXE clients");
    }

    @Test
    void fullModeHandsOutTheRangeWithoutRouterAndPicksTheBootFileByClient() throws Exception {
        DhcpMode.Full full = DhcpMode.parseRange("10.200.0.100-10.200.0.150", DhcpModeTest.lab(), Duration.ofMinutes(30));
        List<String> lines = config(full).file().lines().toList();
        assertTrue(lines.contains("dhcp-range=10.200.0.100,10.200.0.150,255.255.255.0,1800"), lines::toString);
        assertTrue(lines.contains("dhcp-option=option:router"), lines::toString);
        assertTrue(lines.contains("dhcp-boot=tag:ipxe," + ENTRY), lines::toString);
        assertTrue(lines.contains("dhcp-boot=tag:!ipxe,tag:efi64,snponly.efi"), lines::toString);
        assertTrue(lines.contains("dhcp-boot=tag:!ipxe,tag:!efi64,undionly.kpxe"), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.contains("proxy")), lines::toString);
    }

    @Test
    void sameInputsGiveTheSameFile() throws Exception {
        assertEquals(config(new DhcpMode.Proxy()).file(), config(new DhcpMode.Proxy()).file());
    }
}
