package dev.jdistcc.client;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PATH lookup done here, because {@link ProcessBuilder} searches the JVM's own PATH, not the child's: after
 * masquerade trimming that would find the masquerade link again.
 */
public final class Executables {
    private Executables() {
    }

    /** The executable a shell would run for {@code name}, or null. Names with a '/' are taken as they are. */
    public static Path find(String name, String path) {
        return find(name, path, null);
    }

    /**
     * @param cwd the directory relative names and relative PATH elements are resolved in; null for this
     *            process's own (a resident process passes each job's directory)
     */
    public static Path find(String name, String path, Path cwd) {
        if (name.indexOf('/') >= 0) {
            Path p = cwd == null ? Path.of(name) : cwd.resolve(name);
            return Files.isExecutable(p) ? p : null;
        }
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":", -1)) {
            Path d = Path.of(dir.isEmpty() ? "." : dir);
            Path p = (cwd == null ? d : cwd.resolve(d)).resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
