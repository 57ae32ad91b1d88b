package dev.jdistcc.toolchain.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the names a compiler answers to: every entry on PATH that resolves to the same driver binary
 * (gcc, gcc-12, x86_64-linux-gnu-gcc, cc via alternatives, …), and every compiler-looking name on PATH.
 */
public final class CompilerNames {
    /** Names of C/C++ compiler drivers, optionally target-prefixed and version-suffixed. */
    static final Pattern COMPILER = Pattern.compile("([A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)*-)?(gcc|g\\+\\+|cc|c\\+\\+|clang|clang\\+\\+)(-[0-9][0-9.]*)?");

    private CompilerNames() {
    }

    public static boolean looksLikeCompiler(String name) {
        return COMPILER.matcher(name).matches();
    }

    /** Each compiler-looking executable on {@code path} (first occurrence of a name wins), name → path. */
    public static Map<String, Path> onPath(List<Path> path) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path dir : path) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.sorted().forEach(p -> {
                    String n = p.getFileName().toString();
                    if (looksLikeCompiler(n) && Files.isRegularFile(p) && Files.isExecutable(p)) {
                        found.putIfAbsent(n, p);
                    }
                });
            } catch (IOException e) {
                // an unreadable PATH entry holds no compilers we could package anyway
            }
        }
        return found;
    }

    /** Names on {@code path} whose real path is {@code realDriver}, name → the PATH entry. */
    public static Map<String, Path> namesOf(Path realDriver, List<Path> path) {
        Map<String, Path> names = new LinkedHashMap<>();
        onPath(path).forEach((n, p) -> {
            try {
                if (p.toRealPath().equals(realDriver)) {
                    names.put(n, p);
                }
            } catch (IOException e) {
                // dangling alternative: not a name of this driver
            }
        });
        return names;
    }

    /** The process PATH as a list of directories. */
    public static List<Path> systemPath() {
        String p = System.getenv("PATH");
        if (p == null || p.isBlank()) {
            p = "/usr/local/bin:/usr/bin:/bin";
        }
        return Stream.of(p.split(":")).filter(s -> s.startsWith("/")).map(Path::of).toList();
    }
}
