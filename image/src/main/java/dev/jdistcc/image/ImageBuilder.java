package dev.jdistcc.image;

import dev.jdistcc.image.deb.DebStore;
import dev.jdistcc.image.layer.AppClasspath;
import dev.jdistcc.image.layer.AppLayer;
import dev.jdistcc.image.layer.BaseLayer;
import dev.jdistcc.image.layer.KernelLayer;
import dev.jdistcc.image.layer.Layer;
import dev.jdistcc.image.layer.LayerCache;
import dev.jdistcc.image.layer.RuntimeLayer;
import dev.jdistcc.image.output.BootArtifacts;
import dev.jdistcc.image.output.OutputWriter;
import dev.jdistcc.image.output.OutputWriters;
import dev.jdistcc.image.plan.DebPin;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.tree.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an image from a plan: fetches and checks the pinned packages, assembles the four initramfs
 * layers (kernel modules, base OS, Java runtime, app) through the layer cache, and hands one set of
 * {@link BootArtifacts} to each planned output writer.
 */
public final class ImageBuilder {

    private final Path cacheDir;
    private final BuildListener listener;
    private final List<BuildResult.Step> steps = new ArrayList<>();

    public ImageBuilder(Path cacheDir, BuildListener listener) {
        this.cacheDir = cacheDir;
        this.listener = listener;
    }

    public BuildResult build(ImagePlan plan, Path outDir) throws ImageException, IOException {
        long start = System.nanoTime();
        List<OutputWriter> writers = new ArrayList<>();
        for (String name : plan.outputs()) {
            writers.add(OutputWriters.byName(name));
        }
        DebStore debs = new DebStore(cacheDir);
        for (DebPin pin : plan.debs().values()) {
            boolean cached = debs.isFetched(pin);
            step("fetch " + pin.name(), () -> { debs.fetch(pin); return cached; }, pin.version());
        }
        LayerCache cache = new LayerCache(cacheDir, plan.sourceDateEpoch(), plan.compressionLevel());
        Files.createDirectories(outDir);
        Path work = Files.createTempDirectory(outDir.toAbsolutePath(), ".build-");
        try {
            KernelLayer.Kernel kernel = stepValue("kernel modules", () -> KernelLayer.build(plan, debs, cache),
                    k -> k.modules().cached(), k -> k.moduleFiles().size() + " modules, " + layerDetail(k.modules()));
            List<Path> jars = stepValue("server classpath", () -> AppClasspath.jars(plan, work.resolve("jars")),
                    j -> false, j -> j.size() + " jars");
            Set<String> needed = stepValue("jdeps check", () -> AppClasspath.checkModules(plan, jars, cacheDir, work),
                    n -> false, n -> "needs " + String.join(",", n) + (plan.runtime().jdepsIgnore().isEmpty() ? ""
                            : "; deliberately left out: " + String.join(",", plan.runtime().jdepsIgnore())));
            RuntimeLayer.Runtime runtime = stepValue("runtime (jlink)", () -> RuntimeLayer.build(plan, cacheDir, cache),
                    r -> r.layer().cached(), r -> layerDetail(r.layer()));
            Layer base = stepValue("base layer", () -> BaseLayer.build(plan, debs, runtime.home(), cache),
                    Layer::cached, ImageBuilder::layerDetail);
            Layer app = stepValue("app layer", () -> AppLayer.build(plan, jars, cache),
                    Layer::cached, ImageBuilder::layerDetail);
            List<Layer> layers = List.of(kernel.modules(), base, runtime.layer(), app);
            Path initrd = concatenate(layers, work.resolve("initrd.img"));
            Map<String, Path> bootPackages = new LinkedHashMap<>();
            for (String name : plan.boot().packages()) {
                bootPackages.put(name, debs.extract(plan.debs().get(name)));
            }
            BootArtifacts artifacts = new BootArtifacts(plan.name(), kernel.vmlinuz(), initrd, plan.boot().cmdline(),
                    plan.boot().timeoutSeconds(), plan.sourceDateEpoch(), bootPackages, plan.boot().efi());
            Map<String, List<Path>> outputs = new LinkedHashMap<>();
            for (OutputWriter w : writers) {
                Path scratch = Files.createDirectories(work.resolve("out-" + w.name()));
                List<Path> files = stepValue("output " + w.name(), () -> w.write(artifacts, outDir, scratch),
                        f -> false, ImageBuilder::filesDetail);
                outputs.put(w.name(), files);
            }
            return new BuildResult(kernel.release(), Files.size(kernel.vmlinuz()), layers, Files.size(initrd), outputs,
                    steps, List.copyOf(needed), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Trees.delete(work);
        }
    }

    private static Path concatenate(List<Layer> layers, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Layer l : layers) {
                try (InputStream in = Files.newInputStream(l.file())) {
                    in.transferTo(out);
                }
            }
        }
        return target;
    }

    static String layerDetail(Layer l) {
        return String.format("%d entries, %s unpacked, %s zstd", l.entries(), mib(l.uncompressed()), mib(l.compressed()));
    }

    private static String filesDetail(List<Path> files) throws IOException {
        List<String> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(f.getFileName() + " " + mib(Files.size(f)));
        }
        return String.join(", ", parts);
    }

    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    @FunctionalInterface
    private interface Action<T> {
        T run() throws ImageException, IOException;
    }

    @FunctionalInterface
    private interface Describe<T> {
        String describe(T value) throws IOException;
    }

    private void step(String name, Action<Boolean> action, String detail) throws ImageException, IOException {
        stepValue(name, action, b -> b, b -> detail);
    }

    private <T> T stepValue(String name, Action<T> action, java.util.function.Predicate<T> cached, Describe<T> detail)
            throws ImageException, IOException {
        listener.started(name);
        long t0 = System.nanoTime();
        T value = action.run();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        boolean wasCached = cached.test(value);
        String d = detail.describe(value);
        steps.add(new BuildResult.Step(name, took, wasCached, d));
        listener.finished(name, took, wasCached, d);
        return value;
    }
}
