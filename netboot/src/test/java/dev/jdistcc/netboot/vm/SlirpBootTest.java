package dev.jdistcc.netboot.vm;

import dev.jdistcc.netboot.testing.TestKeys;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfig;
import dev.jdistcc.netboot.BootConfigs;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.BootStats;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.NetbootService;
import dev.jdistcc.netboot.http.NetbootHandler;
import dev.jdistcc.netboot.http.NetbootHttpServer;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.TftpRoot;
import dev.jdistcc.netboot.testing.Figures;
import dev.jdistcc.netboot.testing.Qemu;
import dev.jdistcc.netboot.testing.TestAppliance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QEMU's user network (slirp, {@code restrict=on}) does DHCP and TFTP: the guest's iPXE ROM loads the
 * TFTP root's {@code boot.ipxe}, which chains over HTTP (guestfwd to our server on loopback) to the
 * per-MAC script, kernel and initramfs. Unprivileged.
 */
@Tag("vm")
class SlirpBootTest {

    static final String GUEST_HTTP = "10.0.2.100:8000";
    static final String HUB = "http://10.0.2.100:8000/hub/";
    static final String KEY = TestKeys.KEY;

    @TempDir
    static Path shared;
    static BootArtifacts artifacts;

    @TempDir
    Path scratch;

    @BeforeAll
    static void appliance() throws Exception {
        assertEquals(List.of(), TestAppliance.qemuMissing(), "apt-get install qemu-system-x86 ovmf ipxe-qemu");
        artifacts = BootArtifacts.of(BootFile.of("vmlinuz", TestAppliance.kernel()),
                List.of(BootFile.of("initrd.img", TestAppliance.initramfs(shared))), "console=ttyS0,115200 quiet");
    }

    @Test
    void biosIpxeRomBootsTheApplianceOverHttpWithHubAndKeyOnTheCommandLine() throws Exception {
        boot(Qemu.Firmware.BIOS);
    }

    @Test
    void uefiOvmfBootsTheApplianceOverHttpWithHubAndKeyOnTheCommandLine() throws Exception {
        boot(Qemu.Firmware.UEFI);
    }

    void boot(Qemu.Firmware fw) throws Exception {
        NetbootService service = new NetbootService(artifacts,
                BootConfigs.fixed(new BootConfig(HUB, KEY, List.of("jdistcc.jobs=1"))), NetbootListener.NONE);
        try (NetbootHttpServer http = NetbootHttpServer.start(InetAddress.getLoopbackAddress(), 0,
                NetbootHandler.create(service))) {
            Path tftp = TftpRoot.write(scratch.resolve("tftp"), FirmwarePin.DEBIAN_DIR, FirmwarePin.debian(Map.of()),
                    "http://" + GUEST_HTTP);
            String netdev = "user,id=n0,restrict=on,tftp=" + tftp + ",bootfile=" + TftpRoot.STUB
                    + ",guestfwd=tcp:" + GUEST_HTTP + "-cmd:busybox nc 127.0.0.1 " + http.port();
            Qemu.Boot b = Qemu.boot(null, Qemu.command(fw, netdev, true, scratch), TestAppliance.MARKER,
                    Duration.ofSeconds(240));
            assertTrue(b.markerLine().contains(" jdistcc.hub=" + HUB + " jdistcc.key=" + KEY + " jdistcc.jobs=1"),
                    b.markerLine());
            BootStats.Machine m = service.stats().machine(MacAddress.parse(Qemu.MAC)).orElseThrow();
            long files = artifacts.kernel().size() + artifacts.initrds().getFirst().size();
            assertEquals(1, m.boots());
            assertEquals(2, m.filesCompleted());
            assertTrue(m.bootBytes() >= files, m.toString());
            Figures.record(String.format("slirp %s: marker %.1f s after QEMU start; %d bytes over HTTP this boot"
                            + " (kernel %d + initrd %d + script), TFTP stub %d bytes", fw, b.seconds(), m.bootBytes(),
                    artifacts.kernel().size(), artifacts.initrds().getFirst().size(),
                    java.nio.file.Files.size(tftp.resolve(TftpRoot.STUB))));
        }
    }
}
