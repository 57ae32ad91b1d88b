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
        if (name.indexOf('/') >= 0) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
