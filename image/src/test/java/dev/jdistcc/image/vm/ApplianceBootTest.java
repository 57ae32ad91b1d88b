package dev.jdistcc.image.vm;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.image.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots the example appliance under QEMU (TCG) with settings it must survive and has the stock distcc 3.4 client
 * talk to its distccd through the loopback hostfwd: kernel+initrd with no hub, a malformed key and a bad jobs
 * value, and the grub-mkimage ISO variant as a UEFI CD with a key the hub's signatures do not match. These
 * appliances have no usable toolchain, so the exchange ends in the server refusing "gcc"; that it stayed up, said
 * why on the console and read and answered the request is what is checked. The good boots (kernel+initrd, the
 * shim ISO as a BIOS CD and as a UEFI USB stick with Secure Boot) compile for real in {@link ApplianceCompileTest},
 * which also covers an unreachable hub. Each boot is 20-60 s of emulation: keep this suite to a handful of boots.
 */
@Tag("vm")
class ApplianceBootTest {

    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final String READY = "JDISTCC: ready address=(\\S+) port=3632 pid=\\d+ uid=(\\d+) uptime=(\\S+)";

    @BeforeAll
    static void tools() {
        Qemu.requireQemu();
        StockDistcc.require();
    }

    @Test
    void kernelAndInitrdWithoutAHubWithAMalformedKeyAndBadJobsBootToReadyAndSayWhatIsWrong(@TempDir Path dir)
            throws Exception {
        TestImages.Built b = TestImages.example();
        try (Qemu vm = Qemu.kernel(b.file("vmlinuz"), b.file("initrd.img"),
                "console=ttyS0 quiet jdistcc.jobs=x jdistcc.key=not-a-key", 0)) {
            vm.await("JDISTCC: config warning: no jdistcc.hub=", BOOT);
            vm.await("JDISTCC: config error: jdistcc.key=not-a-key is not an ed25519", BOOT);
            vm.await("JDISTCC: config error: jdistcc.jobs=x is not a positive number", BOOT);
            vm.await("JDISTCC: drivers .*virtio_net", BOOT);
            vm.await("JDISTCC: sandbox ok \\(bubblewrap as distcc\\)", BOOT);
            Matcher ready = vm.await(READY, BOOT);
            log("kernel+initrd", vm, ready);
            assertEquals("10.0.2.15", ready.group(1));
            vm.await("JDISTCC: network address=10.0.2.15 interface=eth0 id=jdistcc-525400123456", BOOT);
            assertEquals("1000", ready.group(2), "the server must not run as root");
            exchange(vm, dir);
        }
    }

    @Test
    void isoWithSelfBuiltGrubBootsFromCdWithUefiAndStaysUpWhenTheHubKeyIsWrong(@TempDir Path dir) throws Exception {
        Map<String, String> sets = new HashMap<>(TestImages.fast());
        sets.put("boot.efi", "grub");
        sets.put("outputs", "iso");
        sets.put("boot.cmdline", "console=ttyS0,115200 quiet jdistcc.hub=" + HubFixture.GUEST_URL + " jdistcc.key="
                + HubFixture.strangerKey(dir));
        TestImages.Built b = TestImages.build("grub-efi", sets, TestImages.CACHE);
        try (Hub hub = HubFixture.startWithGcc(dir.resolve("hub"));
             Qemu vm = Qemu.uefiCdrom(b.file("appliance.iso"), dir, hub.url().getPort())) {
            vm.await("JDISTCC: boot image=appliance .* secureboot=off", BOOT);
            vm.await("JDISTCC: hub reachable url=" + HubFixture.GUEST_URL, BOOT);
            log("iso uefi cdrom (grub-mkimage)", vm, vm.await(READY, BOOT));
            vm.await("distccd\\[\\d+\\] .*signature does not verify against the trusted key", BOOT);
            exchange(vm, dir);
            assertTrue(hub.registry().live().isEmpty(), "an appliance that does not trust the hub must not register");
        }
    }

    /** The stock client sends a compile request; the appliance's distccd reads it and refuses local gcc. */
    private static void exchange(Qemu vm, Path dir) throws Exception {
        StockDistcc.Result r = StockDistcc.compile(vm.hostPort(), dir);
        assertNotEquals(0, r.exit(), r.stderr());
        vm.await("distccd\\[\\d+\\] .*client: 10\\.0\\.2\\.2:\\d+ ", BOOT);
        assertTrue(r.stderr().contains("127.0.0.1:" + vm.hostPort()), r.stderr());
    }

    /** Boot times go to the test's output file (target/surefire-reports), for the benchmark notes. */
    private static void log(String path, Qemu vm, Matcher ready) {
        System.out.printf("boot %s: ready marker after %.1f s wall, guest uptime %s s (TCG)%n", path,
                vm.elapsedSeconds(), ready.group(3));
    }
}
