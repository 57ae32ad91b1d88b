package dev.jdistcc.toolchain.pack;

import dev.jdistcc.toolchain.BundleTree;
import dev.jdistcc.toolchain.Commands;
import dev.jdistcc.toolchain.ToolchainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Copies host files into a {@link BundleTree} at their original absolute paths, so the gcc driver finds cc1,
 * as and its libraries through its compiled-in paths when the bundle is the sandbox's "/" (sccache's layout,
 * reference §2.2). Every symlink met on the way is recorded as a bundle symlink (absolute targets rewritten
 * relative, so the tree is self-contained), and every ELF file pulls in its shared-library closure as the
 * dynamic loader itself reports it ({@code ld.so --list}), including the loader.
 */
public final class RootfsCollector {
    private static final Duration LOADER_TIMEOUT = Duration.ofSeconds(30);
    private final BundleTree tree = new BundleTree();
    private final Set<Path> elfDone = new HashSet<>();
    private final Path hostRoot;
    private String hostArch;

    public RootfsCollector() {
        this(Path.of("/"));
    }

    RootfsCollector(Path hostRoot) {
        this.hostRoot = hostRoot;
    }

    public BundleTree tree() {
        return tree;
    }

    /** The machine the collected executables run on (uname -m style), from the first ELF added. */
    public String hostArch() {
        return hostArch;
    }

    /** Adds an absolute host path (following and recording symlinks) plus, for ELF, its library closure. */
    public Path add(Path absolute) throws ToolchainException.Packaging {
        Path real = addResolving(absolute);
        try {
            addClosure(real);
        } catch (IOException e) {
            throw new ToolchainException.Packaging("cannot read " + real + ": " + e.getMessage(), e);
        }
        return real;
    }

    /** Adds the path and returns the fully resolved host path of the regular file it names. */
    private Path addResolving(Path absolute) throws ToolchainException.Packaging {
        Deque<String> todo = new ArrayDeque<>(parts(absolute.normalize().toString()));
        Path cur = hostRoot;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.equals("..")) {
                cur = cur.equals(hostRoot) ? cur : cur.getParent();
                continue;
            }
            Path cand = cur.resolve(c);
            if (Files.isSymbolicLink(cand)) {
                if (++links > 40) {
                    throw new ToolchainException.Packaging("too many symlinks resolving " + absolute);
                }
                String target = readLink(cand);
                tree.addSymlink(rel(cand), bundleTarget(cur, target));
                List<String> t = parts(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.push(t.get(i));
                }
                if (target.startsWith("/")) {
                    cur = hostRoot;
                }
            } else if (Files.isDirectory(cand, LinkOption.NOFOLLOW_LINKS)) {
                cur = cand;
            } else if (Files.isRegularFile(cand, LinkOption.NOFOLLOW_LINKS) && todo.isEmpty()) {
                addRegular(cand);
                return cand;
            } else {
                throw new ToolchainException.Packaging("not a regular file or directory: " + cand + " (resolving " + absolute + ")");
            }
        }
        throw new ToolchainException.Packaging(absolute + " names a directory, not a file");
    }

    private void addRegular(Path file) throws ToolchainException.Packaging {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            tree.addFile(rel(file), file, perms.contains(PosixFilePermission.OWNER_EXECUTE));
        } catch (IOException e) {
            throw new ToolchainException.Packaging("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void addClosure(Path real) throws IOException, ToolchainException.Packaging {
        if (!elfDone.add(real)) {
            return;
        }
        Optional<ElfFile> elf = ElfFile.read(real);
        if (elf.isEmpty()) {
            return;
        }
        if (hostArch == null) {
            hostArch = elf.get().arch();
        }
        if (elf.get().interpreter().isEmpty()) {
            return; // static executable or a shared library: closures are taken from executables
        }
        String interp = elf.get().interpreter().get();
        add(Path.of(interp));
        for (String lib : listLibraries(interp, real)) {
            add(Path.of(lib));
            addHwcapsVariants(Path.of(lib));
        }
    }

    /**
     * The loader picked the variant that suits this CPU; a volunteer's CPU may want another one, so ship the
     * baseline and every glibc-hwcaps sibling too (icecream issue #464).
     */
    private void addHwcapsVariants(Path lib) throws IOException, ToolchainException.Packaging {
        Path dir = lib.getParent();
        Path name = lib.getFileName();
        if (dir.getParent() != null && dir.getParent().getFileName() != null
                && dir.getParent().getFileName().toString().equals("glibc-hwcaps")) {
            Path base = dir.getParent().getParent().resolve(name);
            if (Files.exists(base)) {
                add(base);
            }
            return;
        }
        Path hw = dir.resolve("glibc-hwcaps");
        if (Files.isDirectory(hw)) {
            try (var variants = Files.list(hw)) {
                for (Path v : variants.sorted().toList()) {
                    if (Files.exists(v.resolve(name))) {
                        add(v.resolve(name));
                    }
                }
            }
        }
    }

    /** Asks the binary's own loader which libraries it maps: what will really be loaded, hwcaps included. */
    private List<String> listLibraries(String interp, Path binary) throws IOException, ToolchainException.Packaging {
        Commands.Result r = Commands.run(List.of(interp, "--list", binary.toString()), LOADER_TIMEOUT);
        if (!r.ok()) {
            throw new ToolchainException.Packaging(interp + " --list " + binary + " failed (exit " + r.exit() + "): "
                    + r.stderr().strip() + r.stdout().strip()
                    + " — is this binary built for another machine? Package it on a host of its architecture.");
        }
        return LoaderListing.parse(r.stdout(), binary.toString());
    }

    private String bundleTarget(Path linkDir, String target) {
        if (!target.startsWith("/")) {
            return target;
        }
        // linkDir is fully resolved, so one ".." per component reaches the bundle root.
        int depth = hostRoot.relativize(linkDir).toString().isEmpty() ? 0 : hostRoot.relativize(linkDir).getNameCount();
        String up = "../".repeat(depth);
        String rest = target.replaceFirst("^/+", "");
        return rest.isEmpty() ? (depth == 0 ? "." : up.substring(0, up.length() - 1)) : up + rest;
    }

    private String rel(Path p) {
        return hostRoot.relativize(p).toString();
    }

    private static String readLink(Path p) throws ToolchainException.Packaging {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new ToolchainException.Packaging("cannot read symlink " + p + ": " + e.getMessage(), e);
        }
    }

    private static List<String> parts(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty() && !s.equals(".")).toList();
    }
}
