package dev.jdistcc.image.vm;

import dev.jdistcc.image.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots the appliance under QEMU (TCG) through each boot path and talks to it through the loopback
 * hostfwd. Each boot is 20-60 s of emulation; keep this suite to a handful of boots.
 */
@Tag("vm")
class ApplianceBootTest {

    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final String READY = "JDISTCC: ready address=(\\S+) port=3632 pid=\\d+ uid=(\\d+)";

    @BeforeAll
    static void tools() {
        Qemu.requireQemu();
    }

    @Test
    void kernelAndInitrdBootToReadyAndReportAnUnreachableHubWithoutPanicking() throws Exception {
        TestImages.Built b = TestImages.bootable();
        try (Qemu vm = Qemu.kernel(b.file("vmlinuz"), b.file("initrd.img"),
                "console=ttyS0 quiet jdistcc.hub=http://10.0.2.100:9/ jdistcc.jobs=x")) {
            vm.await("JDISTCC: config error: jdistcc.jobs=x is not a positive number", BOOT);
            vm.await("JDISTCC: config warning: no jdistcc.key=", BOOT);
            vm.await("JDISTCC: drivers .*virtio_net", BOOT);
            Matcher ready = vm.await(READY, BOOT);
            assertEquals("10.0.2.15", ready.group(1));
            assertEquals("1000", ready.group(2), "the server must not run as root");
            vm.await("JDISTCC: hub unreachable .* url=http://10.0.2.100:9/; retrying", BOOT);
            String banner = probe(vm.hostPort());
            assertTrue(banner.startsWith("JDISTCC-PROBE user=distcc java=25"), banner);
            assertTrue(banner.contains("cds=on"), banner);
        }
    }

    @Test
    void isoBootsFromCdWithBiosAndWarnsThatNoHubIsSet() throws Exception {
        TestImages.Built b = TestImages.bootable();
        try (Qemu vm = Qemu.biosCdrom(b.file("appliance.iso"))) {
            vm.await("JDISTCC: config warning: no jdistcc.hub=", BOOT);
            vm.await(READY, BOOT);
            assertTrue(probe(vm.hostPort()).startsWith("JDISTCC-PROBE"));
        }
    }

    @Test
    void isoBootsFromUsbStickWithUefi(@TempDir Path scratch) throws Exception {
        TestImages.Built b = TestImages.bootable();
        try (Qemu vm = Qemu.uefiUsb(b.file("appliance.iso"), scratch)) {
            vm.await(READY, BOOT);
            assertTrue(probe(vm.hostPort()).startsWith("JDISTCC-PROBE"));
        }
    }

    private static String probe(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
