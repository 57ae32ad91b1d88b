package dev.jdistcc.image.layer;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.PlanException;
import dev.jdistcc.image.deb.DebStore;
import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.plan.DebPin;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.tree.ElfFile;
import dev.jdistcc.image.tree.RootTree;
import dev.jdistcc.image.tree.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The operating-system layer: the planned files from the Debian packages (other than the kernel and the
 * boot loaders), such as busybox
 * and bubblewrap, plus the shared-library closure of those files and of the Java runtime, resolved
 * within the same packages by reading {@code PT_INTERP} and {@code DT_NEEDED}. Busybox gets a symlink
 * per applet. Nothing comes from the build host's own file system.
 */
public final class BaseLayer {

    private static final List<String> LIB_DIRS = List.of(
            "lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64", "usr/lib64", "lib", "usr/lib");

    private final List<Path> sysroots = new ArrayList<>();
    private final Map<String, Path> chosen = new TreeMap<>();
    private final Deque<String> elfQueue = new ArrayDeque<>();

    private BaseLayer() {}

    public static Layer build(ImagePlan plan, DebStore debs, Path runtimeHome, LayerCache cache)
            throws ImageException, IOException {
        BaseLayer b = new BaseLayer();
        StringBuilder key = new StringBuilder();
        for (DebPin pin : plan.debs().values()) {
            if (!pin.name().equals(plan.kernel().packageName()) && !plan.boot().packages().contains(pin.name())) {
                b.sysroots.add(debs.extract(pin));
                key.append("deb=").append(pin.sha256()).append('\n');
            }
        }
        for (String f : plan.rootfs().files()) {
            b.add(f.substring(1), "rootfs.files entry " + f);
        }
        b.closure(runtimeHome);
        Optional<Path> busybox = b.chosen.entrySet().stream()
                .filter(e -> e.getKey().endsWith("/busybox")).map(Map.Entry::getValue).findFirst();
        List<String> applets = busybox.isPresent() ? applets(busybox.get()) : List.of();
        b.chosen.forEach((path, source) -> key.append(path).append('\n'));
        key.append("applets=").append(String.join(" ", applets)).append('\n');
        String busyboxPath = b.chosen.keySet().stream().filter(p -> p.endsWith("/busybox")).findFirst().orElse("");
        return cache.layer("base", key.toString(), scratch -> b.assemble(applets, busyboxPath));
    }

    private RootTree assemble(List<String> applets, String busyboxPath) throws IOException {
        RootTree tree = new RootTree();
        for (String d : List.of("dev", "proc", "sys", "run", "etc", "home", "var/log", "usr/share/udhcpc")) {
            tree.dir(d);
        }
        tree.dir("tmp", 01777).dir("var/tmp", 01777).dir("root", 0700);
        for (var e : chosen.entrySet()) {
            Trees.addPath(tree, e.getKey(), e.getValue());
        }
        for (String applet : applets) {
            if (!tree.contains(applet)) {
                tree.symlink(applet, "/" + busyboxPath);
            }
        }
        return tree;
    }

    /** Adds {@code path} (relative to the sysroots) and, if it is a symlink, what it points to. */
    private void add(String path, String why) throws IOException, PlanException {
        if (chosen.containsKey(path)) {
            return;
        }
        Path source = find(path).orElseThrow(() -> new PlanException(why + ": '/" + path
                + "' is in none of the planned packages (" + sysroots.size() + " non-kernel deb.* pins)"));
        chosen.put(path, source);
        if (Files.isSymbolicLink(source)) {
            String target = Files.readSymbolicLink(source).toString();
            Path parent = Path.of("/" + path).getParent();
            String resolved = parent.resolve(target).normalize().toString().substring(1);
            add(resolved, "symlink /" + path + " -> " + target);
        } else {
            elfQueue.add(path);
        }
    }

    private void closure(Path runtimeHome) throws IOException, PlanException {
        Set<String> provided = new HashSet<>();
        List<Path> runtimeElfs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(runtimeHome)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                Optional<ElfFile> elf = ElfFile.read(p);
                if (elf.isPresent()) {
                    provided.add(p.getFileName().toString());
                    runtimeElfs.add(p);
                }
            }
        }
        for (Path p : runtimeElfs) {
            needs(ElfFile.read(p).orElseThrow(), "runtime " + runtimeHome.relativize(p), provided);
        }
        while (!elfQueue.isEmpty()) {
            String path = elfQueue.pop();
            Optional<ElfFile> elf = ElfFile.read(chosen.get(path));
            if (elf.isPresent()) {
                needs(elf.get(), "/" + path, provided);
            }
        }
    }

    private void needs(ElfFile elf, String who, Set<String> provided) throws IOException, PlanException {
        if (elf.interpreter().isPresent()) {
            add(elf.interpreter().get().substring(1), "interpreter of " + who);
        }
        for (String lib : elf.needed()) {
            if (provided.contains(lib)) {
                continue;
            }
            String found = null;
            for (String dir : LIB_DIRS) {
                if (find(dir + "/" + lib).isPresent()) {
                    found = dir + "/" + lib;
                    break;
                }
            }
            if (found == null) {
                throw new PlanException(who + " needs " + lib + ", which none of the planned packages provides; "
                        + "add the package that ships it as a deb.* pin (dpkg -S " + lib + ")");
            }
            add(found, "library of " + who);
        }
    }

    private Optional<Path> find(String path) {
        for (Path root : sysroots) {
            Path p = root.resolve(path);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static List<String> applets(Path busybox) throws ImageException {
        String out = Exec.run(List.of(busybox.toString(), "--list-full"), busybox.getParent(), Duration.ofMinutes(1)).stdout();
        return out.lines().map(String::strip)
                .filter(l -> l.contains("/") && !l.equals("sbin/init") && !l.equals("linuxrc"))
                .sorted().toList();
    }
}
