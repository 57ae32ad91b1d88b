package dev.jdistcc.netboot.vm;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootStats;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.hub.NetbootHub;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.TftpRoot;
import dev.jdistcc.netboot.testing.Child;
import dev.jdistcc.netboot.testing.CompileThrough;
import dev.jdistcc.netboot.testing.Figures;
import dev.jdistcc.netboot.testing.Qemu;
import dev.jdistcc.netboot.testing.RealAppliance;
import dev.jdistcc.netboot.testing.TestAppliance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole netboot path with the real appliance and one process serving it: a {@link NetbootHub} on loopback
 * (the hub packaging this machine's gcc, with netboot mounted under /netboot) reached by the guest only through
 * QEMU's user network (restrict=on): firmware -> QEMU's TFTP (generated root) -> iPXE script -> kernel and
 * initramfs over HTTP from the hub -> the appliance fetches gcc from the same hub and registers -> the stock
 * distcc client compiles through it (hostfwd to its port 3632), object equal to the local gcc's -> QEMU stops,
 * and the volunteer drops out of the hub's list and host file once its heartbeats stop.
 */
@Tag("vm")
class ApplianceNetbootTest {

    static final String GUEST_HUB = "10.0.2.100:3640";
    static final Duration BOOT = Duration.ofMinutes(6);
    /** Short, so the drop-out after the VM stops is quick: expiry is three intervals. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    static NetbootHub server;
    static final List<HubEvent> events = new CopyOnWriteArrayList<>();

    @TempDir
    Path scratch;

    @BeforeAll
    static void hubWithNetboot() throws Exception {
        assertEquals(List.of(), TestAppliance.qemuMissing(), "apt-get install qemu-system-x86 ovmf ipxe-qemu");
        BootArtifacts artifacts = RealAppliance.netbootFiles();
        Hub.Config d = Hub.Config.defaults(RealAppliance.HUB_STATE);
        Hub.Config c = new Hub.Config(d.stateDir(), "127.0.0.1", 0, RealAppliance::hubCompilers, Duration.ofHours(1),
                HEARTBEAT, d.hostsFile(), d.compression());
        // The guest reaches the hub as 10.0.2.100:3640 (guestfwd); everything else comes from the hub itself.
        server = NetbootHub.start(NetbootHub.Settings.httpOnly(c, artifacts, Optional.of("http://" + GUEST_HUB + "/"),
                List.of("jdistcc.allow=10.0.2.2")), NetbootListener.NONE, events::add);
        long t0 = System.nanoTime();
        RealAppliance.awaitToolchain(server.hub());
        Figures.record(String.format("hub packaged gcc for the netboot tests in %.1f s (%,d bytes to fetch)",
                (System.nanoTime() - t0) / 1e9, RealAppliance.toolchainBytes(server.hub())));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void biosNetbootedApplianceRegistersCompilesLikeLocalGccAndDropsOutWhenStopped() throws Exception {
        bootCompileAndDrop(Qemu.Firmware.BIOS, "slirp BIOS (SeaBIOS + iPXE ROM, QEMU TFTP, HTTP from the hub)");
    }

    @Test
    void uefiNetbootedApplianceRegistersCompilesLikeLocalGccAndDropsOutWhenStopped() throws Exception {
        bootCompileAndDrop(Qemu.Firmware.UEFI, "slirp UEFI (OVMF + iPXE ROM, QEMU TFTP, HTTP from the hub)");
    }

    void bootCompileAndDrop(Qemu.Firmware fw, String path) throws Exception {
        Hub hub = server.hub();
        RealAppliance.await("the previous volunteer leaving", Duration.ofMinutes(1), () -> hub.registry().live().isEmpty());
        int distccPort = freePort();
        Path tftp = TftpRoot.write(scratch.resolve("tftp"), FirmwarePin.DEBIAN_DIR, FirmwarePin.debian(Map.of()),
                "http://" + GUEST_HUB + NetbootHub.MOUNT);
        String netdev = "user,id=n0,restrict=on,tftp=" + tftp + ",bootfile=" + TftpRoot.STUB
                + ",hostfwd=tcp:127.0.0.1:" + distccPort + "-:3632"
                + ",guestfwd=tcp:" + GUEST_HUB + "-cmd:busybox nc 127.0.0.1 " + hub.url().getPort();
        List<String> cmd = new ArrayList<>(Qemu.command(fw, netdev, true, scratch));
        cmd.set(cmd.indexOf("512"), "1024");
        Child.Line ready;
        double registeredAt;
        long qemuStart = System.nanoTime();
        try (Child q = Child.start(cmd)) {
            Optional<Child.Line> r = q.await(l -> l.contains("JDISTCC: ready address=10.0.2.15 port=3632"), BOOT);
            assertTrue(r.isPresent(), "the appliance did not come up; console:\n" + q.output());
            ready = r.get();
            RealAppliance.await("the volunteer registering with the hub", Duration.ofMinutes(2),
                    () -> hub.registry().live().size() == 1);
            registeredAt = (System.nanoTime() - qemuStart) / 1e9;
            Volunteer v = hub.registry().live().getFirst();
            // The hosts file is rewritten just after the registry changes: poll it too.
            RealAppliance.await("the hosts file listing " + v.distccHostSpec(), Duration.ofSeconds(30),
                    () -> hostsFile().contains(v.distccHostSpec()));
            String distcc = CompileThrough.compileAndCompare(null, "127.0.0.1:" + distccPort, scratch.resolve("compile"));
            assertTrue(q.output().contains("JDISTCC: config hub=http://" + GUEST_HUB + "/ key=set"), q.output());
            assertTrue(distcc.contains("127.0.0.1:" + distccPort), distcc);
            Files.writeString(Path.of("target", "appliance-netboot-" + fw + ".console.txt"), q.output());
        }
        long stopped = System.nanoTime();
        RealAppliance.await("the stopped volunteer leaving the hub's list", Duration.ofMinutes(1),
                () -> hub.registry().live().isEmpty());
        double gone = (System.nanoTime() - stopped) / 1e9;
        RealAppliance.await("the hosts file emptied", Duration.ofSeconds(30), () -> hostsFileEmpty());
        assertTrue(events.stream().anyMatch(e -> e instanceof HubEvent.VolunteerDropped), events.toString());
        BootStats.Machine m = server.service().stats().machine(MacAddress.parse(Qemu.MAC)).orElseThrow();
        Figures.record(String.format("real appliance, %s: power-on to ready %.1f s, registered by %.1f s; %,d bytes over HTTP for the boot"
                        + " (kernel + initramfs + scripts) + %,d bytes of toolchain; out of the host list %.1f s after"
                        + " QEMU stopped (heartbeat %d s)", path, ready.seconds(), registeredAt, m.bootBytes(),
                RealAppliance.toolchainBytes(hub), gone, HEARTBEAT.toSeconds()));
    }

    static boolean hostsFileEmpty() {
        return hostsFile().isBlank();
    }

    static String hostsFile() {
        try {
            return Files.readString(server.settings().hub().hostsFile());
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
