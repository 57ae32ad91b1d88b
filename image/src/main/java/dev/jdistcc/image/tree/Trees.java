package dev.jdistcc.image.tree;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-system helpers shared by the layer assemblers. */
public final class Trees {

    private Trees() {}

    /** Deletes {@code root} and everything below it, if it exists. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Adds the directory {@code source} to {@code tree} under {@code prefix}: sub-directories, regular
     * files and symlinks. Modes are normalised (0755 if the owner may execute, else 0644), so the
     * archive does not depend on the build user's umask.
     */
    public static void addDirectory(RootTree tree, String prefix, Path source) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(source)) {
            paths = s.sorted().toList();
        }
        for (Path p : paths) {
            String rel = source.relativize(p).toString();
            String target = rel.isEmpty() ? prefix : prefix + "/" + rel;
            addPath(tree, target, p);
        }
    }

    /** Adds one file, symlink or (empty) directory at {@code target}, with a normalised mode. */
    public static void addPath(RootTree tree, String target, Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            tree.symlink(target, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
            tree.dir(target);
        } else if (Files.isRegularFile(p)) {
            tree.file(target, p, mode(p));
        } else {
            throw new IOException("cannot archive " + p + ": not a file, directory or symlink");
        }
    }

    static int mode(Path p) throws IOException {
        boolean exec = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        return exec ? 0755 : 0644;
    }
}
