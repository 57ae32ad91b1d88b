package dev.jdistcc.netboot.vm;

import dev.jdistcc.netboot.testing.TestKeys;
import dev.jdistcc.netboot.testing.Child;
import dev.jdistcc.netboot.testing.CompileThrough;
import dev.jdistcc.netboot.testing.RealAppliance;
import dev.jdistcc.netboot.testing.Figures;
import dev.jdistcc.netboot.testing.NetbootCli;
import dev.jdistcc.netboot.testing.Netns;
import dev.jdistcc.netboot.testing.Qemu;
import dev.jdistcc.netboot.testing.TestAppliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A LAN in network namespaces: the "site" DHCP server (a plain dnsmasq handing out addresses, no PXE)
 * in one namespace, and in the other a bridge with the real {@code jdistcc-netboot serve --proxy} on it
 * and a QEMU guest on a tap device. The guest gets its address from the site server and its boot
 * information from netboot's proxyDHCP, then boots over HTTP: the real appliance through to a compile (BIOS),
 * a marker initramfs for UEFI firmware PXE. Root only.
 */
@Tag("vm")
class NetnsPxeBootTest {

    static final String HUB = "http://10.232.0.1:3633/";
    static final String KEY = TestKeys.KEY;

    @TempDir
    static Path shared;
    static Path kernel;
    static Path initrd;

    @TempDir
    Path scratch;
    Netns netns;
    String site;
    String pxe;
    final List<Child> children = new ArrayList<>();

    @BeforeAll
    static void appliance() throws Exception {
        assumeTrue(Netns.isRoot(), Netns.NOT_ROOT);
        assertEquals(List.of(), TestAppliance.qemuMissing(), "apt-get install qemu-system-x86 ovmf ipxe-qemu");
        kernel = TestAppliance.kernel();
        initrd = TestAppliance.initramfs(shared);
    }

    @BeforeEach
    void lan() throws Exception {
        netns = new Netns();
        site = netns.create("site");
        pxe = netns.create("pxe");
        Netns.ip(pxe, "link", "add", "br0", "type", "bridge");
        Netns.ip(pxe, "addr", "add", "10.232.0.1/24", "dev", "br0");
        Netns.ip(pxe, "link", "set", "br0", "up");
        Netns.ip(pxe, "link", "add", "up0", "type", "veth", "peer", "name", "site0", "netns", site);
        Netns.ip(pxe, "link", "set", "up0", "master", "br0", "up");
        Netns.ip(pxe, "tuntap", "add", "dev", "tap0", "mode", "tap");
        Netns.ip(pxe, "link", "set", "tap0", "master", "br0", "up");
        Netns.ip(site, "addr", "add", "10.232.0.2/24", "dev", "site0");
        Netns.ip(site, "link", "set", "site0", "up");
    }

    @AfterEach
    void cleanup() throws Exception {
        for (Child c : children.reversed()) {
            c.close();
        }
        netns.close();
    }

    /** The LAN's own DHCP server: addresses only, no PXE; optionally IPv6 router advertisements. */
    void siteDhcp(boolean ipv6Ra) throws Exception {
        StringBuilder conf = new StringBuilder("""
                interface=site0
                bind-interfaces
                except-interface=lo
                port=0
                pid-file=
                dhcp-range=10.232.0.100,10.232.0.150,255.255.255.0,1h
                """).append("dhcp-leasefile=").append(scratch.resolve("site.leases")).append('\n');
        if (ipv6Ra) {
            Netns.ip(site, "addr", "add", "fd00:232::2/64", "dev", "site0", "nodad");
            conf.append("enable-ra\ndhcp-range=fd00:232::,ra-only,64\n");
        }
        Path file = Files.writeString(scratch.resolve("site.conf"), conf);
        Child d = Child.start(List.of("ip", "netns", "exec", site, "dnsmasq", "--keep-in-foreground",
                "--conf-file=" + file, "--log-facility=-"));
        children.add(d);
        assertTrue(d.await(l -> l.contains("sockets bound exclusively to interface site0"), Duration.ofSeconds(20))
                .isPresent(), d.output());
    }

    Child serve() throws Exception {
        Child c = NetbootCli.start(pxe, List.of("serve", "--interface", "br0", "--proxy", "--kernel", kernel.toString(),
                "--initrd", initrd.toString(), "--cmdline", "console=ttyS0,115200 quiet", "--hub-url", HUB, "--key", KEY,
                "--state", scratch.resolve("hub").toString(), "--no-package", "--port", "0"));
        children.add(c);
        assertTrue(c.await(l -> l.startsWith("  status"), Duration.ofSeconds(60)).isPresent(), c.output());
        return c;
    }

    /**
     * The real appliance on the namespace LAN, from one {@code jdistcc-netboot serve} process: it runs the hub
     * (packaging gcc) on br0's address, proxyDHCP and TFTP beside the site's DHCP server, and the HTTP boot files.
     * The appliance boots, fetches gcc from that hub, registers, compiles for the stock distcc client (run in the
     * namespace) like the local gcc, and leaves the hub's host list once QEMU is stopped.
     */
    @Test
    void biosApplianceBootsThroughProxyDhcpRegistersAndCompilesLikeLocalGcc() throws Exception {
        RealAppliance.netbootFiles();
        siteDhcp(false);
        Child netboot = NetbootCli.start(pxe, List.of("serve", "--interface", "br0", "--proxy",
                "--netboot-dir", RealAppliance.NETBOOT_DIR.toString(), "--state", RealAppliance.HUB_STATE.toString(),
                "--compiler", "gcc", "--port", "0", "--heartbeat-seconds", "2", "--arg", "jdistcc.allow=10.232.0.0/24"));
        children.add(netboot);
        assertTrue(netboot.await(l -> l.startsWith("  status"), Duration.ofSeconds(60)).isPresent(), netboot.output());
        assertTrue(netboot.await(l -> l.contains("manifest published with 1 toolchain"), Duration.ofMinutes(6))
                .isPresent(), netboot.output());
        String hub = group(netboot.output(), "hub +(http://10\\.232\\.0\\.1:\\d+/) ");
        String key = group(netboot.output(), "trust +(ed25519:\\S+)");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", pxe));
        cmd.addAll(Qemu.command(Qemu.Firmware.BIOS, "tap,id=n0,ifname=tap0,script=no,downscript=no", true, scratch));
        cmd.set(cmd.indexOf("512"), "1024");
        String guest;
        Child.Line ready;
        double registered;
        long qemuStart = System.nanoTime();
        try (Child q = Child.start(cmd)) {
            Optional<Child.Line> r = q.await(l -> l.contains("JDISTCC: ready address="), Duration.ofMinutes(6));
            assertTrue(r.isPresent(), "the appliance did not come up; console:\n" + q.output() + "\nserve:\n"
                    + netboot.output());
            ready = r.get();
            guest = group(ready.text(), "ready address=(10\\.232\\.0\\.1\\d\\d) port=3632");
            assertTrue(q.output().contains("JDISTCC: config hub=" + hub + " key=set"), q.output());
            Path hosts = RealAppliance.HUB_STATE.resolve("hosts");
            RealAppliance.await("the volunteer " + guest + " in the hub's host list", Duration.ofMinutes(3),
                    () -> read(hosts).contains(guest + ":3632"));
            registered = (System.nanoTime() - qemuStart) / 1e9;
            assertTrue(Netns.exec(pxe, Duration.ofSeconds(20), "busybox", "wget", "-qO-", hub + "v1/volunteers")
                    .contains(guest), "GET /v1/volunteers does not list " + guest);
            CompileThrough.compileAndCompare(pxe, guest + ":3632", scratch.resolve("compile"));
            Files.writeString(Path.of("target", "netns-appliance-BIOS.console.txt"), q.output());
        }
        long stopped = System.nanoTime();
        RealAppliance.await("the stopped volunteer leaving the host list", Duration.ofMinutes(1),
                () -> !read(RealAppliance.HUB_STATE.resolve("hosts")).contains(guest));
        double gone = (System.nanoTime() - stopped) / 1e9;
        assertTrue(netboot.await(l -> l.contains("dropped: no heartbeat"), Duration.ofSeconds(30)).isPresent(),
                netboot.output());
        String json = Netns.exec(pxe, Duration.ofSeconds(20), "busybox", "wget", "-qO-", hub + "netboot/status.json");
        long bytes = Long.parseLong(group(json, "\"mac\":\"" + Qemu.MAC + "\",\"address\":\"" + guest.replace(".", "\\.")
                + "\",\"boots\":1,\"bootBytes\":(\\d+)"));
        assertTrue(netboot.output().contains("PXE(br0) " + Qemu.MAC + " proxy"), netboot.output());
        assertTrue(json.contains("jdistcc.key=" + key), json);
        Figures.record(String.format("real appliance, netns BIOS (iPXE ROM, proxyDHCP beside a site DHCP server, hub"
                + " and netboot in one serve process): power-on to ready %.1f s, registered by %.1f s; %,d bytes over"
                + " HTTP for the boot; out of the host list %.1f s after QEMU stopped (heartbeat 2 s)", ready.seconds(),
                registered, bytes, gone));
        netboot.terminate();
        netboot.waitFor(Duration.ofSeconds(30));
        assertTrue(netboot.output().contains("stopped, removed"), netboot.output());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void uefiFirmwarePxeChainsSnponlyFromTftpThenBootsOverHttp() throws Exception {
        siteDhcp(true);
        Child netboot = serve();
        Qemu.Boot b = Qemu.boot(pxe, Qemu.command(Qemu.Firmware.UEFI, "tap,id=n0,ifname=tap0,script=no,downscript=no",
                false, scratch), TestAppliance.MARKER, Duration.ofSeconds(300));
        assertTrue(netboot.output().contains("/tftp/snponly.efi"), "snponly.efi was not sent over TFTP:\n"
                + netboot.output());
        verify(b, netboot, "netns UEFI (OVMF PXE -> TFTP snponly.efi -> iPXE, proxyDHCP, LAN with IPv6 RA)");
    }

    void verify(Qemu.Boot b, Child netboot, String path) throws Exception {
        assertTrue(b.markerLine().contains("jdistcc.hub=" + HUB + " jdistcc.key=" + KEY), b.markerLine());
        String status = group(netboot.output(), "status +(http://\\S+)/status");
        String json = Netns.exec(pxe, Duration.ofSeconds(20), "busybox", "wget", "-qO-", status + "/status.json");
        long bytes = Long.parseLong(group(json, "\"mac\":\"" + Qemu.MAC + "\",\"address\":\"10\\.232\\.0\\.1\\d\\d\""
                + ",\"boots\":1,\"bootBytes\":(\\d+)"));
        assertTrue(bytes >= Files.size(kernel) + Files.size(initrd), json);
        assertTrue(netboot.output().contains("PXE(br0) " + Qemu.MAC + " proxy"), netboot.output());
        Figures.record(String.format("%s: marker %.1f s after QEMU start; %d bytes over HTTP this boot", path,
                b.seconds(), bytes));
        netboot.terminate();
        netboot.waitFor(Duration.ofSeconds(30));
        assertTrue(netboot.output().contains("stopped, removed"), netboot.output());
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return m.group(1);
    }
}
