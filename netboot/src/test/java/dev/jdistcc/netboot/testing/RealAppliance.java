package dev.jdistcc.netboot.testing;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.image.BuildListener;
import dev.jdistcc.image.ImageBuilder;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.plan.PlanParser;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.NetbootDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real volunteer appliance, built by the image module from its example plan at test compression (once per
 * test JVM, layers cached), and the hub state the tests share: a signing key and this machine's gcc packaged once
 * into {@code target/netboot-hub-state}, reused by every hub the tests start (in-process or {@code serve}).
 */
public final class RealAppliance {

    static final Path PLAN = Path.of("../image/examples/appliance.plan");
    public static final Path HUB_STATE = Path.of("target/netboot-hub-state").toAbsolutePath();

    /** The image builder's netboot/ output ({@code serve --netboot-dir}), once {@link #netbootFiles} ran. */
    public static final Path NETBOOT_DIR = Path.of("target/appliance-image/netboot").toAbsolutePath();

    private static BootArtifacts artifacts;

    private RealAppliance() {}

    public static synchronized BootArtifacts netbootFiles() throws Exception {
        if (artifacts == null) {
            ImagePlan plan = PlanParser.parse(PLAN, Map.of("compression.level", "3", "outputs", "netboot"));
            // Share the image module's layer cache when its tests ran in the same build: entries are content-addressed.
            Path shared = Path.of("../image/target/image-cache").toAbsolutePath().normalize();
            Path cache = Files.isDirectory(shared) ? shared : Path.of("target/image-cache").toAbsolutePath();
            Path out = Path.of("target/appliance-image").toAbsolutePath();
            long t0 = System.nanoTime();
            new ImageBuilder(cache, BuildListener.silent()).build(plan, out);
            Figures.record(String.format("appliance image build (netboot output, zstd -3, cache %s): %.1f s",
                    cache.equals(shared) ? "shared with image tests" : "own", (System.nanoTime() - t0) / 1e9));
            artifacts = NetbootDir.load(NETBOOT_DIR);
        }
        return artifacts;
    }

    /** Polls {@code condition} every 200 ms until it holds; fails with {@code what} after {@code deadline}. */
    public static void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail(what + " did not happen within " + deadline.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /** Waits (bounded) until {@code hub} has published at least one toolchain. */
    public static void awaitToolchain(Hub hub) throws InterruptedException {
        await("the hub publishing its gcc toolchain", Duration.ofMinutes(6),
                () -> hub.store().manifest().map(m -> m.manifest().toolchains().size()).orElse(0) >= 1);
    }

    /** The bytes a volunteer downloads for the hub's toolchains (compressed archives). */
    public static long toolchainBytes(Hub hub) {
        return hub.store().manifest().orElseThrow().manifest().toolchains().stream().mapToLong(t -> t.archive().size()).sum();
    }

    public static List<String> hubCompilers() {
        return List.of("gcc");
    }
}
