package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * distcc-style temporary names ({@code distcc_XXXXXXXX.i}, hex from pid and time, created exclusively with
 * mode 0600). Unlike {@link Files#createTempFile} this does not initialise SecureRandom, which costs a
 * per-job JVM dozens of classes for names that need only be unique, not secret.
 */
final class TempFiles {
    private TempFiles() {
    }

    static Path create(Path dir, String prefix, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        long seed = ProcessHandle.current().pid() * 1_000_003L ^ System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            String hex = Integer.toHexString((int) (seed + attempt * 7777L) | 0x1000_0000);
            Path p = dir.resolve(prefix + hex + suffix);
            try {
                return Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 1000) {
                    throw e;
                }
            }
        }
    }
}
