package dev.jdistcc.image.layer;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.PlanException;
import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.tree.ElfFile;
import dev.jdistcc.image.tree.RootTree;
import dev.jdistcc.image.tree.Trees;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The Java runtime: a jlink image of only the planned JDK modules, with a default CDS archive for
 * faster start-up (it matters most under emulation), without Java debug attributes, and with native
 * symbols stripped. The jlink output is kept in the cache because the base layer needs its ELF files
 * to compute the glibc closure.
 */
public final class RuntimeLayer {

    /** Where the runtime lives inside the appliance. */
    public static final String PREFIX = "opt/jdistcc/runtime";

    static final List<String> JLINK_OPTIONS = List.of(
            // Uncompressed jimage: the initramfs is zstd-compressed as a whole, which does better than zip
            // per resource, and the runtime skips inflating classes at start-up.
            "--compress=zip-0", "--generate-cds-archive", "--strip-debug", "--no-man-pages", "--no-header-files");

    /** The jlink output in the cache, and its layer. */
    public record Runtime(Path home, Layer layer) {}

    private RuntimeLayer() {}

    public static Runtime build(ImagePlan plan, Path cacheRoot, LayerCache cache) throws ImageException, IOException {
        ImagePlan.Runtime spec = plan.runtime();
        checkJdk(spec);
        String key = "jdk=" + spec.jdkVersion() + "\nmodules=" + String.join(",", spec.modules())
                + "\noptions=" + String.join(" ", JLINK_OPTIONS) + "\nformat=" + LayerCache.FORMAT + "\n";
        Path home = cacheRoot.resolve("runtime").resolve(LayerCache.digest(key).substring(0, 24));
        if (!Files.isDirectory(home)) {
            jlink(spec, home);
        }
        Layer layer = cache.layer("runtime", key, scratch -> {
            RootTree tree = new RootTree();
            Trees.addDirectory(tree, PREFIX, home);
            return tree;
        });
        return new Runtime(home, layer);
    }

    private static void checkJdk(ImagePlan.Runtime spec) throws IOException, PlanException {
        Path release = spec.jdk().resolve("release");
        Path jlink = spec.jdk().resolve("bin/jlink");
        if (!Files.isRegularFile(release) || !Files.isExecutable(jlink)) {
            throw new PlanException("runtime.jdk " + spec.jdk() + " is not a JDK with jlink (install temurin-25-jdk)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(release)) {
            p.load(r);
        }
        String actual = p.getProperty("FULL_VERSION", "").replace("\"", "");
        if (!actual.equals(spec.jdkVersion())) {
            throw new PlanException("runtime.jdk-version is '" + spec.jdkVersion() + "' but the JDK at " + spec.jdk()
                    + " is '" + actual + "'; update the plan to pin the JDK you build with");
        }
    }

    private static void jlink(ImagePlan.Runtime spec, Path home) throws ImageException, IOException {
        Files.createDirectories(home.getParent());
        Path tmp = Files.createTempDirectory(home.getParent(), ".jlink-");
        try {
            Path out = tmp.resolve("jre");
            List<String> cmd = new ArrayList<>(List.of(spec.jdk().resolve("bin/jlink").toString(),
                    "--add-modules", String.join(",", spec.modules())));
            cmd.addAll(JLINK_OPTIONS);
            cmd.addAll(List.of("--output", out.toString()));
            Exec.run(cmd, tmp, Duration.ofMinutes(10));
            // The appliance runs with compressed oops (heap far below 32 GiB) and never regenerates the
            // archive, so the no-coops archive and the class list are dead weight (14 MiB).
            Files.deleteIfExists(out.resolve("lib/server/classes_nocoops.jsa"));
            Files.deleteIfExists(out.resolve("lib/classlist"));
            strip(out);
            Files.move(out, home, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Trees.delete(tmp);
        }
    }

    private static void strip(Path jre) throws ImageException, IOException {
        List<String> cmd = new ArrayList<>(List.of("strip", "--strip-unneeded"));
        try (Stream<Path> s = Files.walk(jre)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                if (ElfFile.read(p).isPresent()) {
                    cmd.add(p.toString());
                }
            }
        }
        Exec.run(cmd, jre, Duration.ofMinutes(5));
    }
}
