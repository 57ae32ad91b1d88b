package dev.jdistcc.toolchain;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of a toolchain bundle. Paths are relative to the bundle root, '/'-separated, normalised
 * (no ".", "..", empty or leading-slash components): the bundle root is mounted as "/" in the sandbox,
 * so "usr/bin/gcc" runs as /usr/bin/gcc. Modes are normalised to 0755 / 0644 by the packager.
 */
public sealed interface BundleEntry permits BundleEntry.Dir, BundleEntry.File, BundleEntry.Symlink {
    String path();

    /** Permission bits as they go into the digest and the archive. */
    int mode();

    record Dir(String path) implements BundleEntry {
        public Dir {
            checkPath(path);
        }

        @Override
        public int mode() {
            return 0755;
        }
    }

    /** A regular file whose bytes come from {@code source}; {@code sha256} is its content hash in hex. */
    record File(String path, int mode, Path source, long size, String sha256) implements BundleEntry {
        public File {
            checkPath(path);
            if (mode != 0755 && mode != 0644) {
                throw new IllegalArgumentException(path + ": file mode must be 0755 or 0644, got 0" + Integer.toOctalString(mode));
            }
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** A symbolic link with a relative target that stays inside the bundle. */
    record Symlink(String path, String target) implements BundleEntry {
        public Symlink {
            checkPath(path);
            if (target.isEmpty() || target.startsWith("/")) {
                throw new IllegalArgumentException(path + ": symlink target must be relative, got " + target);
            }
        }

        @Override
        public int mode() {
            return 0777;
        }
    }

    /** Accepts only normalised relative paths; used for both packaging and hostile-input checks. */
    static void checkPath(String path) {
        String why = pathProblem(path);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    /** Why {@code path} is not a normalised, relative, in-bundle path; null when it is fine. */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.startsWith("/")) {
            return "absolute path: " + path;
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\\') >= 0) {
            return "control character or backslash in path: " + path.replace("\n", "\\n").replace("\0", "\\0");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > 1024) {
            return "path longer than 1024 bytes";
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "path is not normalised (empty, '.' or '..' component): " + path;
            }
        }
        return null;
    }
}
