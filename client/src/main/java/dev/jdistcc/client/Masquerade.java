package dev.jdistcc.client;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * distcc's dcc_support_masquerade (reference §2.1): when invoked as {@code gcc} through a link in a
 * masquerade directory, drop every PATH element up to and including that directory, so the real compiler is
 * found next and distcc does not call itself.
 */
public final class Masquerade {
    private Masquerade() {
    }

    /**
     * The trimmed PATH, or null when PATH is left alone (the directory is not on PATH).
     *
     * @param argv0 how distcc was invoked; with a '/', its directory must equal a PATH element exactly,
     *              without one the first PATH element holding an executable of that name counts
     */
    public static String trimPath(String argv0, String path) {
        return trimPath(argv0, path, null);
    }

    /** @param cwd the directory relative PATH elements are resolved in; null for this process's own */
    public static String trimPath(String argv0, String path, Path cwd) {
        if (path == null) {
            return null;
        }
        String[] dirs = path.split(":", -1);
        int slash = argv0.lastIndexOf('/');
        String name = argv0.substring(slash + 1);
        String ownDir = slash < 0 ? null : slash == 0 ? "/" : argv0.substring(0, slash);
        for (int i = 0; i < dirs.length; i++) {
            boolean match = ownDir != null ? dirs[i].equals(ownDir)
                    : Files.isExecutable(resolve(cwd, dirs[i]).resolve(name));
            if (match) {
                return String.join(":", java.util.Arrays.copyOfRange(dirs, i + 1, dirs.length));
            }
        }
        return null;
    }

    private static Path resolve(Path cwd, String dir) {
        Path d = Path.of(dir.isEmpty() ? "." : dir);
        return cwd == null ? d : cwd.resolve(d);
    }
}
