package dev.jdistcc.image;

import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.plan.PlanParser;
import dev.jdistcc.image.vm.BannerServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Images shared by the test classes of one surefire JVM, built once each: the example plan at test
 * compression, and a bootable variant for the VM tests. The layer cache lives in target/, so only the
 * app layer is rebuilt between test runs.
 */
public final class TestImages {

    public static final Path PLAN = Path.of("examples/appliance.plan");
    public static final Path CACHE = Path.of("target/image-cache").toAbsolutePath();

    /** A built image and the plan it came from. */
    public record Built(ImagePlan plan, BuildResult result, Path out) {
        public Path file(String name) {
            return out.resolve(name);
        }
    }

    private static Built example;
    private static Built bootable;

    private TestImages() {}

    /** Test-speed overrides: zstd -3 instead of -19, one-second boot menus. */
    public static Map<String, String> fast() {
        return Map.of("compression.level", "3", "boot.timeout", "1");
    }

    public static synchronized Built example() throws Exception {
        if (example == null) {
            example = build("example", fast(), CACHE);
        }
        return example;
    }

    /**
     * The example plan, with the server command replaced by {@link BannerServer} until the real distccd
     * ({@code dev.jdistcc.server.DistccdMain}) is on main. Same runtime, layers and /init.
     */
    public static synchronized Built bootable() throws Exception {
        if (bootable == null) {
            Map<String, String> sets = new LinkedHashMap<>(fast());
            List<String> cp = new ArrayList<>();
            for (String e : Files.readString(Path.of("target/appliance.classpath")).strip().split(":")) {
                cp.add(e);
            }
            cp.add(probeClasses().toString());
            sets.put("app.classpath", String.join(" ", cp));
            sets.put("init.command", "exec /opt/jdistcc/runtime/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                    + "-XX:MaxRAMPercentage=25 -XX:-UsePerfData -Xshare:auto -cp '/opt/jdistcc/lib/*' "
                    + BannerServer.class.getName() + " \"$JDISTCC_PORT\"");
            bootable = build("bootable", sets, CACHE);
        }
        return bootable;
    }

    public static Built build(String name, Map<String, String> overrides, Path cache) throws Exception {
        ImagePlan plan = PlanParser.parse(PLAN, overrides);
        Path out = Path.of("target/test-images", name).toAbsolutePath();
        BuildResult r = new ImageBuilder(cache, BuildListener.silent()).build(plan, out);
        return new Built(plan, r, out);
    }

    /** A class directory holding only the probe server, packed by the builder as probe-classes.jar. */
    private static Path probeClasses() throws IOException {
        String rel = BannerServer.class.getName().replace('.', '/') + ".class";
        Path dir = Path.of("target/probe-classes").toAbsolutePath();
        Path to = dir.resolve(rel);
        Files.createDirectories(to.getParent());
        Files.copy(Path.of("target/test-classes").resolve(rel), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }
}
