package dev.jdistcc.image;

import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.plan.PlanParser;

import java.nio.file.Path;
import java.util.Map;

/**
 * The example image, shared by the test classes of one surefire JVM and built once, at test compression.
 * The layer cache lives in target/, so only the app layer is rebuilt between test runs.
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

    public static Built build(String name, Map<String, String> overrides, Path cache) throws Exception {
        ImagePlan plan = PlanParser.parse(PLAN, overrides);
        Path out = Path.of("target/test-images", name).toAbsolutePath();
        BuildResult r = new ImageBuilder(cache, BuildListener.silent()).build(plan, out);
        return new Built(plan, r, out);
    }
}
