package dev.jdistcc.toolchain.pack;

import dev.jdistcc.toolchain.ToolchainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Packages one local compiler installation into a bundle. For gcc: both drivers (gcc and g++), cc1,
 * cc1plus, the target {@code as} and {@code objcopy}, the LTO plugin, specs when present, and the loader's
 * library closure of each; everything found by asking the driver, not from a hand-kept list. For clang: the
 * clang binary, the names it is called by, and its closure. Linker, crt files and headers stay out: includes
 * are expanded and linking happens on the client (reference §4.3).
 */
public final class ToolchainPackager {
    private final List<Path> path;

    /** {@code path}: where helper programs and compiler names are looked up (normally the process PATH). */
    public ToolchainPackager(List<Path> path) {
        this.path = List.copyOf(path);
    }

    public ToolchainPackager() {
        this(CompilerNames.systemPath());
    }

    /** Packages the installation that {@code compiler} (a name on PATH or a path) belongs to. */
    public PackagedToolchain packageCompiler(String compiler) throws ToolchainException.Packaging {
        Path driver = resolve(compiler);
        CompilerProbe probe = new CompilerProbe(driver);
        return probe.isClang() ? packageClang(probe) : packageGcc(driver);
    }

    private PackagedToolchain packageGcc(Path driver) throws ToolchainException.Packaging {
        Set<Path> drivers = new LinkedHashSet<>();
        drivers.add(driver);
        sibling(driver).ifPresent(drivers::add);
        RootfsCollector c = new RootfsCollector();
        Map<String, String> compilers = new TreeMap<>();
        CompilerProbe probe = new CompilerProbe(driver);
        for (Path d : drivers) {
            c.add(d);
            String inBundle = d.toString();
            compilers.put(d.getFileName().toString(), inBundle);
            CompilerNames.namesOf(d, path).keySet().forEach(n -> compilers.put(n, inBundle));
        }
        c.add(probe.program("cc1", path).orElseThrow(() -> missing(driver, "cc1")));
        c.add(probe.program("as", path).orElseThrow(() -> missing(driver, "as (the assembler)")));
        // Optional parts: cc1plus (no g++ installed), objcopy (-gsplit-dwarf), LTO plugin, specs (Debian has none).
        List<Optional<Path>> optional = List.of(probe.program("cc1plus", path), probe.program("objcopy", path),
                probe.file("liblto_plugin.so"), probe.file("specs"));
        for (Optional<Path> p : optional) {
            if (p.isPresent()) {
                c.add(p.get());
            }
        }
        return PackagedToolchain.of(c.tree(), "gcc", probe.query("-dumpversion"), probe.query("-dumpmachine"),
                c.hostArch(), compilers);
    }

    private PackagedToolchain packageClang(CompilerProbe probe) throws ToolchainException.Packaging {
        Path clang = probe.program("clang", path).orElse(probe.driver());
        Path real = realPath(clang);
        RootfsCollector c = new RootfsCollector();
        c.add(real);
        Map<String, String> compilers = new TreeMap<>();
        compilers.put(real.getFileName().toString(), real.toString());
        // clang picks C or C++ mode from argv[0], so each name keeps its own link inside the bundle.
        for (Map.Entry<String, Path> e : CompilerNames.namesOf(real, path).entrySet()) {
            c.add(e.getValue());
            compilers.put(e.getKey(), e.getValue().toString());
        }
        return PackagedToolchain.of(c.tree(), "clang", probe.query("-dumpversion"), probe.query("-dumpmachine"),
                c.hostArch(), compilers);
    }

    /** gcc ↔ g++ of the same installation: the same real file name with the other language's driver name. */
    private static Optional<Path> sibling(Path real) {
        String n = real.getFileName().toString();
        int gcc = n.lastIndexOf("gcc");
        int gxx = n.lastIndexOf("g++");
        String other = gcc >= 0 ? n.substring(0, gcc) + "g++" + n.substring(gcc + 3)
                : gxx >= 0 ? n.substring(0, gxx) + "gcc" + n.substring(gxx + 3) : null;
        if (other == null) {
            return Optional.empty();
        }
        Path p = real.resolveSibling(other);
        return Files.isRegularFile(p) ? Optional.of(realPathOrSelf(p)) : Optional.empty();
    }

    private Path resolve(String compiler) throws ToolchainException.Packaging {
        Path p = compiler.contains("/") ? Path.of(compiler).toAbsolutePath()
                : CompilerProbe.locate(compiler, path).orElseThrow(() ->
                        new ToolchainException.Packaging("compiler \"" + compiler + "\" not found on PATH " + path));
        return realPath(p);
    }

    private static Path realPath(Path p) throws ToolchainException.Packaging {
        try {
            Path real = p.toRealPath();
            if (ElfFile.read(real).isEmpty()) {
                throw new ToolchainException.Packaging(p + " is not a compiler binary (a wrapper script?); name the real driver");
            }
            return real;
        } catch (IOException e) {
            throw new ToolchainException.Packaging("cannot resolve " + p + ": " + e.getMessage(), e);
        }
    }

    private static Path realPathOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static ToolchainException.Packaging missing(Path driver, String what) {
        return new ToolchainException.Packaging(driver + " cannot find its " + what + "; is the compiler fully installed?");
    }
}
