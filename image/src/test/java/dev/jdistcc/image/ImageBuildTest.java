package dev.jdistcc.image;

import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.layer.Layer;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds the example plan (real Debian packages, real jlink, xorriso, mtools) and checks what comes out. */
class ImageBuildTest {

    @Test
    void everyOutputIsWrittenFromOneSetOfLayers() throws Exception {
        TestImages.Built b = TestImages.example();
        for (String f : List.of("vmlinuz", "initrd.img", "appliance.iso", "netboot/vmlinuz", "netboot/initrd.img",
                "netboot/boot.ipxe", "netboot/SHA256SUMS")) {
            assertTrue(Files.size(b.file(f)) > 0, f);
        }
        assertEquals(List.of("kernel", "base", "runtime", "app"), b.result().layers().stream().map(Layer::name).toList());
        assertArrayEquals(Files.readAllBytes(b.file("initrd.img")), Files.readAllBytes(b.file("netboot/initrd.img")));
        assertTrue(Files.readString(b.file("netboot/boot.ipxe")).contains("{{base_url}}/vmlinuz initrd=initrd.img"));
    }

    @Test
    void initramfsHoldsInitBusyboxGlibcRuntimeDriversAndServer() throws Exception {
        TestImages.Built b = TestImages.example();
        List<String> names = new ArrayList<>();
        for (Layer l : b.result().layers()) {
            names.addAll(entries(l.file()));
        }
        String release = b.result().kernelRelease();
        for (String expected : List.of("init", "bin/busybox", "bin/sh", "sbin/modprobe", "usr/bin/bwrap",
                "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libgcc_s.so.1",
                "lib/x86_64-linux-gnu/libselinux.so.1", "opt/jdistcc/runtime/bin/java",
                "opt/jdistcc/runtime/lib/server/classes.jsa", "etc/jdistcc/server.sh",
                "lib/modules/" + release + "/modules.alias",
                "lib/modules/" + release + "/kernel/drivers/net/virtio_net.ko",
                "lib/modules/" + release + "/kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko")) {
            assertTrue(names.contains(expected), expected + " missing from the initramfs");
        }
        // server.jar when Maven hands over target/classes (test phase), the packaged jar under verify.
        assertTrue(names.stream().anyMatch(n -> n.matches("opt/jdistcc/lib/(jdistcc-)?server.*\\.jar")), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.endsWith("classes_nocoops.jsa")));
        assertTrue(names.stream().noneMatch(n -> n.contains("gcc") && n.contains("bin/")), "the appliance carries no compiler");
    }

    @Test
    void buildingTwiceWithColdCachesGivesIdenticalBytes() throws Exception {
        TestImages.Built first = TestImages.example();
        Path cache = Path.of("target/image-cache-second").toAbsolutePath();
        dev.jdistcc.image.tree.Trees.delete(cache);
        Files.createDirectories(cache);
        // Downloads and extracted packages are immutable and digest-checked: share them. Layers and the
        // jlink runtime are rebuilt from scratch.
        Files.createSymbolicLink(cache.resolve("debs"), TestImages.CACHE.resolve("debs"));
        Files.createSymbolicLink(cache.resolve("extracted"), TestImages.CACHE.resolve("extracted"));
        TestImages.Built second = TestImages.build("example-second", TestImages.fast(), cache);
        assertTrue(second.result().layers().stream().noneMatch(Layer::cached));
        for (String f : files(first.out())) {
            assertArrayEquals(Files.readAllBytes(first.out().resolve(f)), Files.readAllBytes(second.out().resolve(f)),
                    f + " differs between two builds");
        }
        assertEquals(files(first.out()), files(second.out()));
    }

    @Test
    void rebuildAfterAServerChangeReusesKernelBaseAndRuntimeLayers() throws Exception {
        TestImages.example();
        TestImages.Built again = TestImages.build("example-rebuild", Map.of("compression.level", "3",
                "boot.timeout", "1", "init.restart-delay", "7"), TestImages.CACHE);
        for (Layer l : again.result().layers()) {
            assertEquals(!l.name().equals("app"), l.cached(), l.name());
        }
    }

    @Test
    void isoCarriesBiosAndUefiBootImages() throws Exception {
        Path iso = TestImages.example().file("appliance.iso");
        String report = Exec.run(List.of("xorriso", "-indev", iso.toString(), "-report_el_torito", "plain",
                "-report_system_area", "plain"), iso.getParent(), Duration.ofMinutes(1)).stdout();
        assertTrue(report.contains("BIOS") && report.contains("UEFI"), report);
        assertTrue(report.contains("isolinux/isolinux.bin") && report.contains("boot/efiboot.img"), report);
        assertTrue(report.contains("GPT"), report);
    }

    @Test
    void runtimeStartsWithItsSharedArchiveAndTheApplianceFlags() throws Exception {
        TestImages.example();
        Path java;
        try (Stream<Path> s = Files.list(TestImages.CACHE.resolve("runtime"))) {
            java = s.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow().resolve("bin/java");
        }
        String out = Exec.run(List.of(java.toString(), "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=25", "-XX:-UsePerfData",
                "-Xshare:on", "-version"), java.getParent(), Duration.ofMinutes(1)).stderr();
        assertTrue(out.contains("sharing"), out);
    }

    private static List<String> entries(Path layer) throws IOException {
        Process p = new ProcessBuilder("zstd", "-dc", layer.toString()).start();
        List<String> names = new ArrayList<>();
        try (InputStream in = p.getInputStream(); CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            for (CpioArchiveEntry e; (e = cpio.getNextCPIOEntry()) != null; ) {
                assertEquals(0, e.getUID(), e.getName());
                names.add(e.getName());
            }
        }
        return names;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
