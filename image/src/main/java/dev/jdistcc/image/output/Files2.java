package dev.jdistcc.image.output;

import dev.jdistcc.image.deb.DebStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/** Small file helpers for writers: copies and texts with fixed mtimes, checksum lists. */
final class Files2 {

    private Files2() {}

    static Path copy(Path from, Path to, long epoch) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        return touch(to, epoch);
    }

    static Path text(Path to, String text, long epoch) throws IOException {
        Files.createDirectories(to.getParent());
        Files.writeString(to, text, StandardCharsets.UTF_8);
        return touch(to, epoch);
    }

    static Path touch(Path p, long epoch) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(java.time.Instant.ofEpochSecond(epoch)));
        return p;
    }

    /** Sets every file and directory below (and including) {@code root} to {@code epoch}. */
    static void touchTree(Path root, long epoch) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.toList();
        }
        for (Path p : all.reversed()) {
            touch(p, epoch);
        }
    }

    /** A {@code sha256sum}-compatible listing of {@code files}, relative to {@code dir}. */
    static String sha256sums(Path dir, List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(DebStore.sha256(f)).append("  ").append(dir.relativize(f)).append('\n');
        }
        return sb.toString();
    }
}
