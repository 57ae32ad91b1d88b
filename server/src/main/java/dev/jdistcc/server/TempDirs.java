package dev.jdistcc.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** mkdtemp(3) for Java, and a removal that never follows symlinks out of the tree. */
final class TempDirs {
    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TempDirs() {
    }

    /**
     * {@code parent/prefixXXXXXX}, mode 0700. Six random characters like mkdtemp, so that a protocol-3 root
     * has exactly the length of distccd's {@code $TMPDIR/distccd_XXXXXX}: the debug-info fix-up pads the
     * replaced root with slashes, and the same length gives the same bytes as a stock server.
     */
    static Path create(Path parent, String prefix) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder name = new StringBuilder(prefix);
            for (int i = 0; i < 6; i++) {
                name.append(CHARS.charAt(RANDOM.nextInt(CHARS.length())));
            }
            try {
                return Files.createDirectory(parent.resolve(name.toString()),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // try another name
            }
        }
        throw new IOException("cannot create a temporary directory in " + parent);
    }

    /** Deletes a tree; symlinks are removed, never followed. Best effort: returns false if something stayed. */
    static boolean deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        boolean[] ok = {true};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) {
                    delete(d);
                    return FileVisitResult.CONTINUE;
                }

                private void delete(Path p) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        ok[0] = false;
                    }
                }
            });
        } catch (IOException e) {
            return false;
        }
        return ok[0];
    }
}
