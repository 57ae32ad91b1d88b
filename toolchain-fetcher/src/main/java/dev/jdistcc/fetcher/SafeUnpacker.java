package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ContentDigester;
import dev.jdistcc.toolchain.ToolchainDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Unpacks an untrusted bundle tar into an empty directory, refusing anything but plain directories, regular
 * files and symlinks that stay inside the bundle, and recomputing the content digest as it goes. Never follows
 * a link: entries beneath a symlink are refused, files are created with CREATE_NEW and NOFOLLOW_LINKS.
 * The caller deletes the directory on any exception (see {@link ToolchainCache}).
 */
final class SafeUnpacker {
    private enum Kind { DIR, FILE, LINK }

    private final UnpackLimits limits;
    private final Map<String, Kind> seen = new HashMap<>();
    private final TreeMap<String, Runnable> digestLines = new TreeMap<>(ContentDigester::compare);
    private final ContentDigester digester = new ContentDigester();
    private long written;

    SafeUnpacker(UnpackLimits limits) {
        this.limits = limits;
    }

    record Result(ToolchainDigest digest, long unpackedBytes) {
    }

    Result unpack(InputStream tarStream, Path dir) throws IOException, FetchException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, "UTF-8")) {
            for (TarArchiveEntry e; (e = nextEntry(tar)) != null; ) {
                if (seen.size() >= limits.maxEntries()) {
                    throw new FetchException.TooLarge("bundle has more than " + limits.maxEntries() + " entries");
                }
                unpackEntry(tar, e, dir);
            }
        } catch (EOFException e) {
            throw new FetchException.Truncated("bundle archive ends in the middle of an entry", e);
        }
        digestLines.values().forEach(Runnable::run);
        return new Result(digester.finish(), written);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException, FetchException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new FetchException.UnsafeBundle("malformed tar header: " + e.getMessage());
        }
    }

    private void unpackEntry(TarArchiveInputStream tar, TarArchiveEntry e, Path dir) throws IOException, FetchException {
        String path = normalisedName(e);
        if ((e.getMode() & 07000) != 0) {
            throw new FetchException.UnsafeBundle(path + ": setuid, setgid or sticky bit (mode 0" + Integer.toOctalString(e.getMode() & 07777) + ")");
        }
        Kind kind = kindOf(e, path);
        checkParent(path);
        if (seen.putIfAbsent(path, kind) != null) {
            throw new FetchException.UnsafeBundle(path + ": appears twice in the archive");
        }
        Path target = dir.resolve(path);
        switch (kind) {
            case DIR -> {
                Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                digestLines.put(path, () -> digester.dir(path));
            }
            case LINK -> {
                String link = e.getLinkName();
                checkLinkTarget(path, link);
                Files.createSymbolicLink(target, Path.of(link));
                digestLines.put(path, () -> digester.symlink(path, link));
            }
            case FILE -> writeFile(tar, e, path, target);
        }
    }

    private void writeFile(InputStream in, TarArchiveEntry e, String path, Path target) throws IOException, FetchException {
        if (e.getSize() < 0 || written + e.getSize() > limits.maxUnpackedBytes()) {
            throw new FetchException.TooLarge(path + ": unpacking " + e.getSize() + " more bytes would pass the limit of "
                    + limits.maxUnpackedBytes() + " bytes");
        }
        boolean exec = (e.getMode() & 0111) != 0;
        int mode = exec ? 0755 : 0644;
        MessageDigest md = dev.jdistcc.toolchain.ToolchainDigest.sha256();
        long n = 0;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                md.update(buf, 0, r);
                n += r;
            }
        }
        if (n != e.getSize()) {
            throw new FetchException.Truncated(path + ": archive ends after " + n + " of " + e.getSize() + " bytes", null);
        }
        written += n;
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
        String sha = HexFormat.of().formatHex(md.digest());
        long size = n;
        digestLines.put(path, () -> digester.file(path, mode, size, sha));
    }

    private static String normalisedName(TarArchiveEntry e) throws FetchException {
        String name = e.getName();
        if (name.startsWith("/")) {
            throw new FetchException.UnsafeBundle(name + ": absolute path in archive");
        }
        if (e.isDirectory() && name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                throw new FetchException.UnsafeBundle(name + ": path traversal ('..') in archive");
            }
        }
        if (name.isEmpty() || name.contains("//") || name.startsWith("./") || name.equals(".") || name.contains("/./")
                || name.endsWith("/.") || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\n') >= 0) {
            throw new FetchException.UnsafeBundle("\"" + name + "\": path is not in normal form");
        }
        return name;
    }

    private static Kind kindOf(TarArchiveEntry e, String path) throws FetchException {
        if (e.isDirectory()) {
            return Kind.DIR;
        }
        if (e.isSymbolicLink()) {
            return Kind.LINK;
        }
        if (e.isLink()) {
            throw new FetchException.UnsafeBundle(path + ": hard links are not allowed in bundles");
        }
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            throw new FetchException.UnsafeBundle(path + ": device or FIFO entry");
        }
        if (e.isFile() && !e.isGNUSparse()) {
            return Kind.FILE;
        }
        throw new FetchException.UnsafeBundle(path + ": unsupported tar entry type '" + (char) e.getLinkFlag() + "'");
    }

    /** The parent must be a directory this archive created earlier: never a link, never implicit. */
    private void checkParent(String path) throws FetchException {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        String parent = path.substring(0, slash);
        Kind k = seen.get(parent);
        if (k == Kind.LINK) {
            throw new FetchException.UnsafeBundle(path + ": entry beneath the symlink " + parent);
        }
        if (k != Kind.DIR) {
            throw new FetchException.UnsafeBundle(path + ": parent directory " + parent + " is not listed before it");
        }
    }

    /** Targets must be relative and, read lexically from the link's directory, stay within the bundle root. */
    static void checkLinkTarget(String path, String link) throws FetchException {
        if (link == null || link.isEmpty() || link.startsWith("/") || link.indexOf('\0') >= 0) {
            throw new FetchException.UnsafeBundle(path + " -> " + link + ": symlink points out of the bundle (absolute or empty target)");
        }
        int depth = path.split("/").length - 1;
        for (String part : link.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    throw new FetchException.UnsafeBundle(path + " -> " + link + ": symlink points out of the bundle");
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
    }
}
