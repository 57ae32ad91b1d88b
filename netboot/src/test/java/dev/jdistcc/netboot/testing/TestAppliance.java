package dev.jdistcc.netboot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A stand-in appliance until the image module's output is on main: Debian's signed kernel (downloaded
 * once with {@code apt-get download} into a cache) and a tiny busybox initramfs whose {@code /init}
 * prints {@link #MARKER} with {@code /proc/cmdline} and powers off, so a test sees exactly which kernel
 * arguments arrived.
 */
public final class TestAppliance {

    public static final String MARKER = "NETBOOT-TEST-MARKER";
    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            echo "%s cmdline: $(/bin/busybox cat /proc/cmdline)"
            /bin/busybox poweroff -f
            """.formatted(MARKER);

    private TestAppliance() {}

    /** Where downloads are kept between runs: {@code $JDISTCC_TEST_CACHE} or {@code ~/.cache/jdistcc}. */
    public static Path cache() throws IOException {
        String env = System.getenv("JDISTCC_TEST_CACHE");
        Path root = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "jdistcc");
        return Files.createDirectories(root.resolve("netboot-test"));
    }

    /** Debian's current amd64 kernel image (vmlinuz), extracted from its .deb once and cached. */
    public static synchronized Path kernel() throws IOException {
        Path cache = cache();
        Path deb = debInCache(cache);
        if (deb == null) {
            String depends = require(Duration.ofSeconds(60), "apt", "apt-cache", "depends", "linux-image-amd64");
            String pkg = depends.lines().map(String::strip).filter(l -> l.startsWith("Depends: linux-image-"))
                    .map(l -> l.substring("Depends: ".length())).findFirst()
                    .orElseThrow(() -> new IOException("apt-cache depends linux-image-amd64 names no kernel:\n" + depends));
            Path tmp = Files.createTempDirectory(cache, ".download-");
            require(Duration.ofMinutes(10), "apt", "sh", "-c", "cd \"$1\" && apt-get download -q \"$2\"", "sh",
                    tmp.toString(), pkg);
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path p : s.toList()) {
                    Files.move(p, cache.resolve(p.getFileName()));
                }
            }
            Files.delete(tmp);
            deb = debInCache(cache);
        }
        Path vmlinuz = cache.resolve(deb.getFileName().toString().replaceFirst("\\.deb$", ".vmlinuz"));
        if (!Files.isRegularFile(vmlinuz)) {
            Path part = cache.resolve(vmlinuz.getFileName() + ".part");
            require(Duration.ofMinutes(2), "dpkg", "sh", "-c",
                    "dpkg-deb --fsys-tarfile \"$1\" | tar -xO --wildcards './boot/vmlinuz-*' > \"$2\"", "sh",
                    deb.toString(), part.toString());
            Files.move(part, vmlinuz);
        }
        return vmlinuz;
    }

    private static Path debInCache(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().matches("linux-image-\\d[^_]*-amd64_.*_amd64\\.deb"))
                    .max(Comparator.naturalOrder()).orElse(null);
        }
    }

    /** Builds the marker initramfs (zstd-compressed newc cpio) into {@code dir}. */
    public static Path initramfs(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("initramfs-root"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("proc"));
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IOException("/bin/busybox is missing: apt-get install busybox-static");
        }
        Files.copy(busybox, root.resolve("bin/busybox"));
        Path init = Files.writeString(root.resolve("init"), INIT);
        init.toFile().setExecutable(true, false);
        Path out = dir.resolve("initrd.img");
        require(Duration.ofMinutes(2), "cpio zstd", "sh", "-c", "cd \"$1\" && find . | LC_ALL=C sort"
                + " | cpio -o -H newc --reproducible -R 0:0 --quiet | zstd -q -10 -o \"$2\"", "sh", root.toString(),
                out.toString());
        return out;
    }

    /** Runs a command; a failure names the Debian package(s) that provide it. */
    static String require(Duration timeout, String packages, String... cmd) throws IOException {
        try {
            return Netns.run(timeout, cmd);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\n(needs: apt-get install " + packages + ")", e);
        }
    }

    public static List<String> qemuMissing() {
        return Stream.of("/usr/bin/qemu-system-x86_64", "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd",
                "/usr/lib/ipxe/qemu/efi-virtio.rom").filter(p -> !Files.exists(Path.of(p))).toList();
    }
}
