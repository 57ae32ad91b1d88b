package dev.jdistcc.server;

import dev.jdistcc.protocol.SourceInput;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Protocol 3's mirror of the client's files under a private root (reference §1.6 step 3). Unlike distccd
 * (a FIXME in 3.4), a name that leaves the root through {@code ..} is refused, and no file is ever written
 * through a symlink, so a request cannot make the daemon write outside its root. Symlink targets are kept
 * as distcc keeps them: an absolute target gets the root prefixed, a relative one is used unchanged (the
 * include server relies on relative links to reach the server's own system include directories, and only
 * the unprivileged compiler ever reads through them).
 */
final class PumpTree {
    private PumpTree() {
    }

    /** The server-side path of an absolute client path; refused when it is relative or escapes the root. */
    static Path under(Path root, String clientPath) throws JobRefused {
        if (!clientPath.startsWith("/") || clientPath.indexOf('\0') >= 0) {
            throw bad("file name is not absolute: " + clientPath);
        }
        for (String part : clientPath.split("/")) {
            if (part.equals("..")) {
                throw bad("file name escapes the root: " + clientPath);
            }
        }
        Path p = root.resolve(clientPath.replaceFirst("^/+", "")).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw bad("file name escapes the root: " + clientPath);
        }
        return p;
    }

    static void materialize(Path root, SourceInput.FileTree tree) throws JobRefused, IOException {
        for (SourceInput.FileEntry e : tree.entries()) {
            Path target = under(root, e.name());
            target = makeParents(root, target.getParent()).resolve(target.getFileName());
            try {
                switch (e) {
                    case SourceInput.FileEntry.RegularFile f -> Files.write(target, f.content(),
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    case SourceInput.FileEntry.Symlink l -> Files.createSymbolicLink(target,
                            Path.of(l.target().startsWith("/") ? root + l.target() : l.target()));
                }
            } catch (FileAlreadyExistsException ex) {
                throw bad("file sent twice: " + e.name());
            }
        }
    }

    /**
     * Creates the directories from the root down. A component that is a symlink may be passed through only
     * when it resolves to a directory inside the root; anything else that is not a directory is refused.
     */
    private static Path makeParents(Path root, Path dir) throws JobRefused, IOException {
        Path realRoot = root.toRealPath();
        Path cur = root;
        for (Path part : root.relativize(dir)) {
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                Path real;
                try {
                    real = cur.toRealPath();
                } catch (IOException e) {
                    throw bad("path goes through a dangling symlink: " + part);
                }
                if (!real.startsWith(realRoot) || !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                    throw bad("path goes through a symlink that leaves the root: " + part);
                }
                cur = real;
            } else if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(cur);
                } catch (FileAlreadyExistsException ex) {
                    throw bad("not a directory: " + part);
                }
            }
        }
        return cur;
    }

    private static JobRefused bad(String why) {
        return new JobRefused(JobRefused.Kind.BAD_INPUT_TREE, why);
    }
}
