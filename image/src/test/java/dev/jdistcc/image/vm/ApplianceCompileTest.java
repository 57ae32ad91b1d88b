package dev.jdistcc.image.vm;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.image.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole volunteer path through the booted appliance: a real hub on the host's loopback packages this
 * machine's gcc; the appliance (reaching the hub only through a QEMU guestfwd) verifies and fetches it, and the
 * stock distcc 3.4 client compiles a C file through the appliance's distccd. The appliance carries no compiler:
 * the object can only come from the fetched toolchain, and must equal a local compile byte for byte.
 */
@Tag("vm")
class ApplianceCompileTest {

    private static final Duration BOOT = Duration.ofMinutes(4);

    @BeforeAll
    static void tools() {
        Qemu.requireQemu();
    }

    @Test
    void stockDistccCompilesThroughTheApplianceWithTheHubsToolchain(@TempDir Path dir) throws Exception {
        TestImages.Built b = TestImages.example();
        try (Hub hub = HubFixture.startWithGcc(dir.resolve("hub"))) {
            String cmdline = "console=ttyS0 quiet jdistcc.hub=" + HubFixture.GUEST_URL + " jdistcc.key="
                    + hub.store().publicKey() + " jdistcc.allow=10.0.2.2";
            try (Qemu vm = Qemu.kernel(b.file("vmlinuz"), b.file("initrd.img"), cmdline, HubFixture.GUEST_PORT,
                    hub.url().getPort())) {
                vm.await("JDISTCC: hub reachable url=" + HubFixture.GUEST_URL, BOOT);
                vm.await("JDISTCC: ready address=10\\.0\\.2\\.15 port=3632", BOOT);
                System.out.printf("compile-through: ready after %.1f s%n", vm.elapsedSeconds());
                StockDistcc.Result r = StockDistcc.compile(vm.hostPort(), dir.resolve("client"));
                System.out.printf("compile-through: object after %.1f s%n", vm.elapsedSeconds());
                assertEquals(0, r.exit(), r.stderr() + "\nconsole:\n" + vm.transcript());
                byte[] remote = Files.readAllBytes(dir.resolve("client/add.o"));
                assertArrayEquals(localCompile(dir.resolve("local")), remote, "the appliance's object differs from gcc's");
            }
        }
    }

    private static byte[] localCompile(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (var in = ApplianceCompileTest.class.getResourceAsStream("add.c")) {
            Files.copy(in, dir.resolve("add.c"));
        }
        Process p = new ProcessBuilder("gcc", "-c", "add.c", "-o", "add.o").directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("local gcc failed (apt-get install gcc)");
        }
        return Files.readAllBytes(dir.resolve("add.o"));
    }
}
