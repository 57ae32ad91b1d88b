package dev.jdistcc.image.vm;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.image.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole volunteer path through the booted appliance, once per boot path (kernel+initrd, the ISO as a BIOS CD,
 * the ISO as a USB stick under UEFI with Secure Boot enforced): a real hub on the host's loopback packages this
 * machine's gcc; the appliance (reaching the hub only through a QEMU guestfwd) verifies and fetches it and
 * registers, which the hub's registry must show; then our client (and, in one boot, the stock distcc 3.4 client)
 * compiles through the appliance's distccd with local fallback disabled. The appliance carries no compiler: the
 * object can only come from the fetched toolchain, and must equal a local compile byte for byte. Readiness is the
 * console's ready marker and the registration, never a sleep. The kernel+initrd boot also measures the
 * appliance's memory idle and under load (a C++ job) from its --stats page.
 */
@Tag("vm")
class ApplianceCompileTest {

    private static final Duration BOOT = Duration.ofMinutes(4);
    /** Boot, then fetching, verifying and unpacking the 31 MB gcc bundle under software emulation. */
    private static final Duration FETCH = Duration.ofMinutes(6);
    private static final String VOLUNTEER_ID = "jdistcc-525400123456";

    @BeforeAll
    static void tools() {
        Qemu.requireQemu();
        StockDistcc.require();
    }

    @Test
    void kernelAndInitrdFetchRegisterAndCompileForOurAndTheStockClientAndReportMemoryIdleAndUnderLoad(@TempDir Path dir)
            throws Exception {
        TestImages.Built b = TestImages.example();
        try (Hub hub = HubFixture.startWithGcc(dir.resolve("hub"))) {
            String cmdline = "console=ttyS0 quiet jdistcc.hub=" + HubFixture.GUEST_URL + " jdistcc.key="
                    + hub.store().publicKey() + " jdistcc.allow=10.0.2.2";
            try (Qemu vm = Qemu.kernel(b.file("vmlinuz"), b.file("initrd.img"), cmdline, hub.url().getPort())) {
                String atReady = vm.await("JDISTCC: ready address=10\\.0\\.2\\.15 port=3632 .* mem-available=(\\S+)", BOOT)
                        .group(1);
                double ready = vm.elapsedSeconds();
                awaitRegistered(hub, vm, "kernel+initrd", ready);

                ApplianceStatus idle = ApplianceStatus.read(vm.statsHostPort());
                assertEquals("ok", idle.values().get("hub_state"), idle.values().toString());

                StockDistcc.Result stock = StockDistcc.compile(vm.hostPort(), dir.resolve("stock"));
                assertEquals(0, stock.exit(), stock.stderr() + "\nconsole:\n" + vm.transcript());
                assertArrayEquals(Compilers.local(dir.resolve("local"), "add.c", "gcc", "-c", "add.c", "-o", "add.o"),
                        Files.readAllBytes(dir.resolve("stock/add.o")), "the stock client's object differs from gcc's");
                ourClientCompilesAddC(vm, dir.resolve("ours"), "kernel+initrd", ready);

                // The load: one C++ job (cc1plus at -O2 on the standard library), sampled about once a second.
                LoadSampler.Peak load;
                JdistccClient.Result cxx;
                double t0 = vm.elapsedSeconds();
                try (LoadSampler sampler = LoadSampler.start(vm.statsHostPort())) {
                    cxx = JdistccClient.compile(vm.hostPort(), 1, dir.resolve("load"), "words.cpp",
                            "g++", "-O2", "-c", "words.cpp", "-o", "words.o");
                    load = sampler.stop();
                }
                System.out.printf("load: g++ -O2 -c words.cpp through the appliance took %.1f s%n", vm.elapsedSeconds() - t0);
                System.out.printf("memory (-m 1024, TCG): MemTotal %s; MemAvailable at the ready marker %s, idle with"
                                + " gcc fetched %s, lowest under load %s; server JVM RSS idle %s, highest under load %s;"
                                + " largest process under load %s (%s); jobs running at once at most %d (%d samples)%n",
                        ApplianceStatus.mib(idle.number("mem_total_kb")), atReady,
                        ApplianceStatus.mib(idle.number("mem_available_kb")), ApplianceStatus.mib(load.minAvailableKb()),
                        ApplianceStatus.mib(idle.number("server_rss_kb")), ApplianceStatus.mib(load.maxServerRssKb()),
                        ApplianceStatus.mib(load.maxProcessRssKb()), load.maxProcessName(), load.maxJobs(), load.samples());
                assertEquals(0, cxx.exit(), cxx.output() + "\nconsole:\n" + vm.transcript());
                assertTrue(cxx.output().contains("completed ok"), cxx.output());
                assertArrayEquals(Compilers.local(dir.resolve("local-cpp"), "words.cpp", "g++", "-O2", "-c", "words.cpp",
                        "-o", "words.o"), Files.readAllBytes(dir.resolve("load/words.o")),
                        "the appliance's C++ object differs from g++'s");
                assertTrue(load.samples() > 0, "no --stats sample was taken while the jobs ran");
                assertFalse(vm.printed("JDISTCC: out of memory"), vm.transcript());
            }
        }
    }

    @Test
    void isoFromBiosCdStaysUpWhileTheHubIsUnreachableThenFetchesRegistersAndCompilesOnceItIsUp(@TempDir Path dir)
            throws Exception {
        Path state = dir.resolve("hub");
        int hubPort = Qemu.freePort();
        TestImages.Built b = iso("bios-cd-compile", "jdistcc.hub=" + HubFixture.GUEST_URL + " jdistcc.key="
                + HubFixture.key(state) + " jdistcc.jobs=0");
        try (Qemu vm = Qemu.biosCdrom(b.file("appliance.iso"), hubPort)) {
            vm.await("JDISTCC: config error: jdistcc.jobs=0 is not a positive number; using 1", BOOT);
            vm.await("JDISTCC: hub unreachable \\(.+\\) url=" + HubFixture.GUEST_URL + "; retrying", BOOT);
            vm.await("distccd\\[\\d+\\] .*hub " + HubFixture.GUEST_URL + " is not usable: .*retrying in the background", BOOT);
            vm.await("JDISTCC: ready address=10\\.0\\.2\\.15 port=3632", BOOT);
            double ready = vm.elapsedSeconds();
            try (Hub hub = HubFixture.startWithGcc(state, hubPort)) {
                System.out.printf("iso bios cdrom: hub started after %.1f s%n", vm.elapsedSeconds());
                vm.await("JDISTCC: hub reachable url=" + HubFixture.GUEST_URL, BOOT);
                awaitRegistered(hub, vm, "iso bios cdrom", ready);
                ourClientCompilesAddC(vm, dir.resolve("ours"), "iso bios cdrom", ready);
            }
        }
    }

    @Test
    void isoFromUsbStickWithUefiAndSecureBootFetchesRegistersAndCompiles(@TempDir Path dir) throws Exception {
        try (Hub hub = HubFixture.startWithGcc(dir.resolve("hub"))) {
            TestImages.Built b = iso("uefi-usb-compile", "jdistcc.hub=" + HubFixture.GUEST_URL + " jdistcc.key="
                    + hub.store().publicKey());
            assertEquals("shim", b.plan().boot().efi());
            try (Qemu vm = Qemu.uefiSecureBootUsb(b.file("appliance.iso"), dir, hub.url().getPort())) {
                vm.await("JDISTCC: boot image=appliance .* secureboot=on", BOOT);
                vm.await("JDISTCC: ready address=10\\.0\\.2\\.15 port=3632", BOOT);
                double ready = vm.elapsedSeconds();
                awaitRegistered(hub, vm, "iso uefi+secureboot usb", ready);
                ourClientCompilesAddC(vm, dir.resolve("ours"), "iso uefi+secureboot usb", ready);
            }
        }
    }

    /** The example plan as an ISO only, its boot menu carrying {@code jdistcc} settings. */
    private static TestImages.Built iso(String name, String settings) throws Exception {
        Map<String, String> sets = new HashMap<>(TestImages.fast());
        sets.put("outputs", "iso");
        sets.put("boot.cmdline", "console=ttyS0,115200 quiet " + settings);
        return TestImages.build(name, sets, TestImages.CACHE);
    }

    /** The hub's registry (and its HTTP list) must show the appliance holding the hub's gcc. */
    private static void awaitRegistered(Hub hub, Qemu vm, String path, double ready) throws Exception {
        String digest = HubFixture.gccDigest(hub);
        Volunteer v = HubFixture.awaitVolunteer(hub, VOLUNTEER_ID, digest, FETCH, vm::transcript);
        assertEquals(3632, v.port());
        assertEquals("x86_64", v.arch());
        String list = HubFixture.volunteerList(hub);
        assertTrue(list.startsWith("200 ") && list.contains(VOLUNTEER_ID) && list.contains(digest), list);
        System.out.printf("%s: ready marker after %.1f s, gcc fetched and registered with the hub after %.1f s (TCG)%n",
                path, ready, vm.elapsedSeconds());
    }

    /** Our client, remote only, compiles add.c through the appliance: the object must equal local gcc's. */
    private static void ourClientCompilesAddC(Qemu vm, Path dir, String path, double ready) throws Exception {
        JdistccClient.Result r = JdistccClient.compile(vm.hostPort(), 1, dir, "add.c", "gcc", "-c", "add.c", "-o", "add.o");
        assertEquals(0, r.exit(), r.output() + "\nconsole:\n" + vm.transcript());
        assertTrue(r.output().contains("compile add.c on 127.0.0.1:" + vm.hostPort()) && r.output().contains("completed ok"),
                r.output());
        vm.await("distccd\\[\\d+\\] .*client: 10\\.0\\.2\\.2:\\d+ COMPILE_OK .* add\\.c", BOOT);
        assertArrayEquals(Compilers.local(dir.resolve("local"), "add.c", "gcc", "-c", "add.c", "-o", "add.o"),
                Files.readAllBytes(dir.resolve("add.o")), "the appliance's object differs from gcc's");
        System.out.printf("%s: our client's object back after %.1f s (compile-through)%n", path, vm.elapsedSeconds());
    }
}
