package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * distcc 3.3+'s compiler-name rewrites (reference §2.6), applied to local and remote runs alike unless
 * {@code DISTCC_NO_REWRITE_CROSS} is set. Names given as paths are never rewritten (#491).
 */
public final class CompilerName {
    private static final Set<String> REAL_NAMES = Set.of("gcc", "clang", "g++", "clang++");

    private CompilerName() {
    }

    /** The GNU host triple distcc is built for on this architecture (GNU_HOST). */
    public static String gnuHost() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-pc-linux-gnu";
            case "aarch64" -> "aarch64-unknown-linux-gnu";
            case "x86", "i386" -> "i686-pc-linux-gnu";
            default -> System.getProperty("os.arch") + "-unknown-linux-gnu";
        };
    }

    /** GNU_HOST with "-pc" removed: the prefix of Debian's cross-named compilers (#377). */
    static String triple() {
        return gnuHost().replace("-pc-", "-");
    }

    public static List<String> rewrite(List<String> argv, String path) {
        String cc = argv.getFirst();
        if (cc.indexOf('/') >= 0) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv);
        if (cc.equals("cc") || cc.equals("c++")) {
            String real = symlinkTarget(cc, path);
            if (real != null) {
                cc = real;
            }
        }
        if (cc.equals("clang") || cc.startsWith("clang-") || cc.equals("clang++") || cc.startsWith("clang++-")) {
            if (!out.contains("-target")) {
                out.add("-target");
                out.add(gnuHost());
            }
        } else if (cc.equals("gcc") || cc.startsWith("gcc-") || cc.equals("g++") || cc.startsWith("g++-")) {
            String cross = triple() + "-" + cc;
            if (Executables.find(cross, path) != null) {
                cc = cross;
            }
        }
        out.set(0, cc);
        return out;
    }

    /** cc → gcc when cc on PATH is a link (through /etc/alternatives at most once more) named gcc etc. */
    private static String symlinkTarget(String name, String path) {
        Path p = Executables.find(name, path);
        for (int hop = 0; p != null && hop < 2 && Files.isSymbolicLink(p); hop++) {
            try {
                Path t = Files.readSymbolicLink(p);
                p = p.resolveSibling(t);
            } catch (IOException e) {
                return null;
            }
            String base = p.getFileName().toString();
            if (REAL_NAMES.contains(base)) {
                return base;
            }
            if (!p.toString().startsWith("/etc/alternatives/")) {
                return null;
            }
        }
        return null;
    }
}
