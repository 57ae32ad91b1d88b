package dev.jdistcc.image.layer;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.PlanException;
import dev.jdistcc.image.deb.DebStore;
import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.plan.ImagePlan;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The server's classpath as jars: jars are taken as they are, class directories (what a Maven reactor
 * hands over before packaging) are packed into reproducible jars. Also checks with {@code jdeps} that
 * the planned runtime modules cover what the classpath needs.
 */
public final class AppClasspath {

    private AppClasspath() {}

    /** Jars for {@code plan.app().classpath()}, directories packed into {@code workDir}. */
    public static List<Path> jars(ImagePlan plan, Path workDir) throws ImageException, IOException {
        List<Path> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path entry : plan.app().classpath()) {
            Path jar;
            // A reactor module without sources has no target/classes at all: an empty class directory.
            boolean emptyReactorModule = !Files.exists(entry) && entry.endsWith(Path.of("target", "classes"));
            if (Files.isDirectory(entry) || emptyReactorModule) {
                jar = workDir.resolve(jarName(entry));
                pack(entry, jar, plan.sourceDateEpoch());
            } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                jar = entry;
            } else {
                throw new PlanException("app.classpath entry " + entry + " is neither a jar nor a class directory"
                        + " (build the server first: ./mvnw -pl image -am package)");
            }
            if (!names.add(jar.getFileName().toString())) {
                throw new PlanException("app.classpath has two entries named " + jar.getFileName());
            }
            out.add(jar);
        }
        return out;
    }

    /**
     * Fails if jdeps finds JDK modules the classpath needs that {@code runtime.modules} lacks. jdeps takes
     * seconds, so its answer is cached under {@code cacheRoot}, keyed by the jars' digests and the JDK.
     */
    public static Set<String> checkModules(ImagePlan plan, List<Path> jars, Path cacheRoot, Path workDir)
            throws ImageException, IOException {
        StringBuilder key = new StringBuilder("jdk=" + plan.runtime().jdkVersion() + "\n");
        for (Path j : jars) {
            key.append(j.getFileName()).append(' ').append(DebStore.sha256(j)).append('\n');
        }
        Path cached = cacheRoot.resolve("jdeps").resolve(LayerCache.digest(key.toString()).substring(0, 24) + ".txt");
        String out;
        if (Files.isRegularFile(cached)) {
            out = Files.readString(cached).strip();
        } else {
            out = jdeps(plan, jars, workDir);
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), ".jdeps-", ".txt");
            Files.writeString(tmp, out + "\n");
            Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Set<String> needed = new TreeSet<>(out.isEmpty() ? List.of("java.base") : Arrays.asList(out.split(",")));
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(plan.runtime().modules());
        missing.removeAll(plan.runtime().jdepsIgnore());
        if (!missing.isEmpty()) {
            throw new PlanException("runtime.modules lacks " + missing + ", which the server classpath needs (jdeps: "
                    + String.join(",", needed) + "); add them, or list them in runtime.jdeps-ignore with the reason");
        }
        return needed;
    }

    private static String jdeps(ImagePlan plan, List<Path> jars, Path workDir) throws ImageException {
        List<String> cmd = new ArrayList<>(List.of(plan.runtime().jdk().resolve("bin/jdeps").toString(),
                "--multi-release", "25", "--ignore-missing-deps", "--print-module-deps"));
        jars.forEach(j -> cmd.add(j.toString()));
        // The last line is the module list; jdeps may print warnings (e.g. split packages) before it.
        List<String> lines = Exec.run(cmd, workDir, Duration.ofMinutes(5)).stdout().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast().strip();
    }

    static String jarName(Path dir) {
        Path parent = dir.getParent();
        if (dir.getFileName().toString().equals("classes") && parent != null
                && parent.getFileName().toString().equals("target") && parent.getParent() != null) {
            return parent.getParent().getFileName() + ".jar";
        }
        return dir.getFileName() + ".jar";
    }

    /** A jar of {@code dir}: entries sorted, one fixed timestamp, no extra fields. */
    static void pack(Path dir, Path jar, long epoch) throws IOException {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epoch, 0, ZoneOffset.UTC);
        List<Path> files = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(Files::isRegularFile).toList();
            }
        }
        List<String> names = new ArrayList<>(files.stream().map(p -> dir.relativize(p).toString()).toList());
        names.sort(null);
        Files.createDirectories(jar.getParent());
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
            ZipEntry manifest = new ZipEntry("META-INF/MANIFEST.MF");
            manifest.setTimeLocal(time);
            zip.putNextEntry(manifest);
            zip.write("Manifest-Version: 1.0\r\nCreated-By: jdistcc-image\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            zip.closeEntry();
            names.remove("META-INF/MANIFEST.MF");
            for (String name : names) {
                ZipEntry e = new ZipEntry(name);
                e.setTimeLocal(time);
                zip.putNextEntry(e);
                Files.copy(dir.resolve(name), zip);
                zip.closeEntry();
            }
        }
    }
}
