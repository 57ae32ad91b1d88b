package dev.jdistcc.image.layer;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.PlanException;
import dev.jdistcc.image.deb.DebStore;
import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.plan.DebPin;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.tree.RootTree;
import dev.jdistcc.image.tree.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The kernel from its Debian package: {@code vmlinuz} as is, and a layer with the planned NIC drivers,
 * their dependency closure (from the package's modules.dep) and depmod data for that subset, so
 * busybox {@code modprobe} can coldplug by modalias.
 */
public final class KernelLayer {

    /** The kernel image and its modules layer. */
    public record Kernel(String release, Path vmlinuz, Layer modules, List<String> moduleFiles) {}

    private KernelLayer() {}

    public static Kernel build(ImagePlan plan, DebStore debs, LayerCache cache) throws ImageException, IOException {
        DebPin pin = plan.debs().get(plan.kernel().packageName());
        Path root = debs.extract(pin);
        String release = release(root, pin);
        Path modDir = root.resolve("lib/modules").resolve(release);
        if (!Files.exists(modDir.resolve("modules.dep"))) {
            // The .deb ships no modules.dep (it is generated at install time); generate it in the cache.
            depmod(root, release);
        }
        Map<String, List<String>> deps = readDeps(modDir.resolve("modules.dep"));
        List<String> files = closure(plan.kernel().drivers(), deps, pin);
        String key = "kernel=" + pin.sha256() + "\nrelease=" + release + "\nmodules=" + String.join(" ", files) + "\n";
        Layer layer = cache.layer("kernel", key, scratch -> assemble(scratch, modDir, release, files));
        return new Kernel(release, root.resolve("boot/vmlinuz-" + release), layer, files);
    }

    private static RootTree assemble(Path scratch, Path modDir, String release, List<String> files)
            throws ImageException, IOException {
        Path stage = scratch.resolve("stage");
        Path stageMods = stage.resolve("lib/modules").resolve(release);
        for (String f : files) {
            Path to = stageMods.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(modDir.resolve(f), to);
        }
        for (String meta : List.of("modules.builtin", "modules.builtin.modinfo")) {
            Files.copy(modDir.resolve(meta), stageMods.resolve(meta));
        }
        List<String> order = Files.readAllLines(modDir.resolve("modules.order")).stream()
                .filter(l -> files.contains(l.endsWith(".o") ? l.substring(0, l.length() - 2) + ".ko" : l))
                .toList();
        Files.write(stageMods.resolve("modules.order"), order);
        depmod(stage, release);
        try (Stream<Path> s = Files.list(stageMods)) {
            // busybox modprobe reads the text files; the .bin indexes are only for kmod.
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".bin")).toList()) {
                Files.delete(p);
            }
        }
        RootTree tree = new RootTree();
        Trees.addDirectory(tree, "lib/modules/" + release, stageMods);
        return tree;
    }

    private static void depmod(Path base, String release) throws ImageException {
        Exec.run(List.of("depmod", "-b", base.toString(), release), base, Duration.ofMinutes(5));
    }

    private static String release(Path root, DebPin pin) throws IOException, PlanException {
        try (Stream<Path> s = Files.list(root.resolve("lib/modules"))) {
            List<Path> dirs = s.toList();
            if (dirs.size() != 1 || !Files.isRegularFile(root.resolve("boot/vmlinuz-" + dirs.getFirst().getFileName()))) {
                throw new PlanException("kernel.package " + pin.name() + " does not look like a kernel image package "
                        + "(expected one lib/modules/<release> and boot/vmlinuz-<release>)");
            }
            return dirs.getFirst().getFileName().toString();
        }
    }

    /** modules.dep: {@code kernel/a/b.ko: kernel/c.ko kernel/d.ko}, keyed by path. */
    static Map<String, List<String>> readDeps(Path modulesDep) throws IOException {
        Map<String, List<String>> deps = new HashMap<>();
        for (String line : Files.readAllLines(modulesDep)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String rest = line.substring(colon + 1).strip();
                deps.put(line.substring(0, colon), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
            }
        }
        return deps;
    }

    static String moduleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.indexOf(".ko")).replace('-', '_');
    }

    private static List<String> closure(List<String> drivers, Map<String, List<String>> deps, DebPin pin)
            throws PlanException {
        Map<String, String> byName = new HashMap<>();
        deps.keySet().forEach(p -> byName.put(moduleName(p), p));
        TreeSet<String> out = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        List<String> unknown = new ArrayList<>();
        for (String d : drivers) {
            String p = byName.get(d.replace('-', '_'));
            if (p == null) {
                unknown.add(d);
            } else {
                todo.add(p);
            }
        }
        if (!unknown.isEmpty()) {
            throw new PlanException("kernel.drivers: no module " + unknown + " in " + pin.name() + " " + pin.version());
        }
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (out.add(p)) {
                todo.addAll(deps.getOrDefault(p, List.of()));
            }
        }
        return List.copyOf(out);
    }
}
