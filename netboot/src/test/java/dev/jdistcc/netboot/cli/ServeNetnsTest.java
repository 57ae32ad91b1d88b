package dev.jdistcc.netboot.cli;

import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.testing.Child;
import dev.jdistcc.netboot.testing.NetbootCli;
import dev.jdistcc.netboot.testing.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code jdistcc-netboot serve} in a network namespace: a "server" namespace with the
 * interface netboot serves on, a "client" namespace on the other end of a veth pair.
 */
class ServeNetnsTest {

    static final Duration UP = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    Netns netns;
    String srv;
    String cli;
    String lan;
    String peer;
    final List<Child> children = new ArrayList<>();

    @BeforeEach
    void network() throws Exception {
        assumeTrue(Netns.isRoot(), Netns.NOT_ROOT);
        netns = new Netns();
        srv = netns.create("srv");
        cli = netns.create("cli");
        lan = "lan0";
        peer = "lan1";
        Netns.ip(srv, "link", "add", lan, "type", "veth", "peer", "name", peer, "netns", cli);
        Netns.ip(srv, "addr", "add", "10.231.0.1/24", "dev", lan);
        Netns.ip(srv, "link", "set", lan, "up");
        Netns.ip(cli, "link", "set", peer, "up");
        Files.writeString(dir.resolve("vmlinuz"), "not really a kernel");
        Files.writeString(dir.resolve("initrd.img"), "not really an initramfs");
    }

    @AfterEach
    void cleanup() throws Exception {
        for (Child c : children) {
            c.close();
        }
        if (netns != null) {
            netns.close();
        }
    }

    Child serve(String... extra) throws Exception {
        // The hub in the same process packages nothing here (--no-package): these tests are about serving.
        List<String> args = new ArrayList<>(List.of("serve", "--interface", lan, "--kernel", dir.resolve("vmlinuz").toString(),
                "--initrd", dir.resolve("initrd.img").toString(), "--state", dir.resolve("hub").toString(), "--no-package",
                "--port", "0"));
        args.addAll(List.of(extra));
        Child c = NetbootCli.start(srv, args);
        children.add(c);
        return c;
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return m.group(1);
    }

    @Test
    void proxyServeIsOneHubWhoseOwnUrlAndKeyVolunteersBootWithRefusesASecondServerAndSigtermCleansUp() throws Exception {
        Child first = serve("--proxy");
        assertTrue(first.await(l -> l.startsWith("  status"), UP).isPresent(), first.output());
        String out = first.output();
        long pid = Long.parseLong(group(out, "dnsmasq +pid (\\d+)"));
        Path config = Path.of(group(out, "config (\\S+dnsmasq.conf)"));
        String hub = group(out, "hub +(http://10\\.231\\.0\\.1:\\d+/) ");
        String key = group(out, "trust +(ed25519:\\S+)");
        String status = group(out, "status +(" + Pattern.quote(hub) + "netboot/status)");
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("--port=0") && cmdline.contains("--interface=" + lan)
                && cmdline.contains("--bind-interfaces") && cmdline.contains("--keep-in-foreground"), cmdline);
        assertTrue(Files.readString(config).contains("dhcp-range=10.231.0.0,proxy,255.255.255.0"));
        String page = Netns.exec(srv, Duration.ofSeconds(10), "busybox", "wget", "-qO-", status);
        // One process: the kernel command line names this very hub and its key, which serves registration too.
        assertTrue(page.contains("proxyDHCP") && page.contains("jdistcc.hub=" + hub + " jdistcc.key=" + key), page);
        assertEquals(key + "\n", Netns.exec(srv, Duration.ofSeconds(10), "busybox", "wget", "-qO-", hub + "v1/key"));
        assertTrue(Netns.exec(srv, Duration.ofSeconds(10), "busybox", "wget", "-qO-", hub + "v1/volunteers")
                .contains("\"volunteers\""));

        Child second = serve("--proxy");
        assertEquals(2, second.waitFor(UP), second.output());
        assertTrue(second.output().contains("DHCP (UDP 67)") && second.output().contains("dnsmasq"), second.output());

        first.terminate();
        int exit = first.waitFor(Duration.ofSeconds(30));
        assertTrue(first.output().contains("dnsmasq (pid " + pid + ") stopped, removed " + config.getParent()
                        + "; hub stopped"),
                "exit " + exit + ":\n" + first.output());
        assertTrue(Child.isGone(pid), "dnsmasq " + pid + " still runs");
        assertFalse(Files.exists(config.getParent()), config.getParent() + " was left behind");
    }

    @Test
    void dnsmasqDyingOnItsOwnEndsServeWithItsLastWordsAndStillCleansUp() throws Exception {
        Child s = serve();
        assertTrue(s.await(l -> l.startsWith("  status"), UP).isPresent(), s.output());
        long pid = Long.parseLong(group(s.output(), "dnsmasq +pid (\\d+)"));
        Path work = Path.of(group(s.output(), "config (\\S+)/dnsmasq.conf"));
        ProcessHandle.of(pid).orElseThrow().destroy();
        assertEquals(1, s.waitFor(UP), s.output());
        assertTrue(s.output().contains("dnsmasq stopped unexpectedly") && s.output().contains("exiting on receipt of SIGTERM"),
                s.output());
        assertFalse(Files.exists(work), work + " was left behind");
    }

    @Test
    void interfaceWithoutIpv4IsRefused() throws Exception {
        Netns.ip(srv, "link", "add", "bare0", "type", "veth", "peer", "name", "bare1");
        Netns.ip(srv, "link", "set", "bare0", "up");
        Netns.ip(srv, "link", "set", "bare1", "up");
        lan = "bare0";
        Child c = serve();
        assertEquals(2, c.waitFor(UP), c.output());
        assertTrue(c.output().contains("bare0 has no IPv4 address"), c.output());
    }

    @Test
    void fullDhcpLeasesFromTheRangeAndPicksTheBootFileByClientKind() throws Exception {
        Child s = serve("--dhcp-range", "10.231.0.100-10.231.0.120");
        assertTrue(s.await(l -> l.startsWith("  status"), UP).isPresent(), s.output());
        String entry = group(s.output(), "iPXE +(http://\\S+/boot.ipxe)");
        Path script = dir.resolve("lease.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"LEASE ip=$ip boot_file=$boot_file siaddr=$siaddr\"\n");
        script.toFile().setExecutable(true);

        String bios = lease(script);
        assertTrue(bios.contains("boot_file=" + FirmwarePin.BIOS_FILE + " siaddr=10.231.0.1"), bios);
        int host = Integer.parseInt(group(bios, "ip=10\\.231\\.0\\.(\\d+)"));
        assertTrue(host >= 100 && host <= 120, bios);
        assertTrue(lease(script, "-x", "0x5d:0007").contains("boot_file=" + FirmwarePin.UEFI_FILE), "UEFI x86-64");
        assertTrue(lease(script, "-x", "0x4d:69505845").contains("boot_file=" + entry), "user class iPXE");

        Netns.ip(cli, "addr", "add", "10.231.0.50/24", "dev", peer);
        Path got = dir.resolve("fetched.kpxe");
        Netns.exec(cli, Duration.ofSeconds(30), "busybox", "tftp", "-g", "-r", FirmwarePin.BIOS_FILE, "-l", got.toString(),
                "10.231.0.1");
        assertEquals(BootFile.sha256(FirmwarePin.DEBIAN_DIR.resolve(FirmwarePin.BIOS_FILE)), BootFile.sha256(got));
    }

    String lease(Path script, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("busybox", "udhcpc", "-i", peer, "-f", "-q", "-n", "-t", "5", "-T", "1",
                "-s", script.toString()));
        cmd.addAll(List.of(extra));
        return Netns.exec(cli, Duration.ofSeconds(30), cmd.toArray(String[]::new));
    }
}
