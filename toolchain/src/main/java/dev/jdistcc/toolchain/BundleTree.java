package dev.jdistcc.toolchain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The content of a bundle before it is archived: a sorted set of entries with every parent directory present
 * explicitly (CONVENTIONS 10). Adding the same path twice with the same content is a no-op; with different
 * content it is an error.
 */
public final class BundleTree {
    private final TreeMap<String, BundleEntry> entries = new TreeMap<>(ContentDigester::compare);

    /** Adds a regular file read from the local filesystem; its hash and size are taken now. */
    public void addFile(String path, Path source, boolean executable) throws IOException {
        MessageDigest md = ToolchainDigest.sha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), md)) {
            size = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        put(new BundleEntry.File(path, executable ? 0755 : 0644, source, size, HexFormat.of().formatHex(md.digest())));
    }

    public void addSymlink(String path, String target) {
        put(new BundleEntry.Symlink(path, target));
    }

    public void addDir(String path) {
        put(new BundleEntry.Dir(path));
    }

    public boolean contains(String path) {
        return entries.containsKey(path);
    }

    public BundleEntry get(String path) {
        return entries.get(path);
    }

    /** Entries in bundle order, parents before children. */
    public List<BundleEntry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    public ToolchainDigest digest() {
        ContentDigester d = new ContentDigester();
        entries.values().forEach(d::add);
        return d.finish();
    }

    /** Sum of file sizes: what the bundle takes once unpacked (directories and links aside). */
    public long unpackedSize() {
        return entries.values().stream().mapToLong(e -> e instanceof BundleEntry.File f ? f.size() : 0).sum();
    }

    private void put(BundleEntry e) {
        int slash = e.path().lastIndexOf('/');
        if (slash > 0) {
            String parent = e.path().substring(0, slash);
            BundleEntry p = entries.get(parent);
            if (p == null) {
                addDir(parent);
            } else if (!(p instanceof BundleEntry.Dir)) {
                throw new IllegalArgumentException(e.path() + ": parent " + parent + " is not a directory in the bundle");
            }
        }
        BundleEntry old = entries.putIfAbsent(e.path(), e);
        if (old != null && !sameContent(old, e)) {
            throw new IllegalArgumentException(e.path() + ": added twice with different content");
        }
    }

    private static boolean sameContent(BundleEntry a, BundleEntry b) {
        return switch (a) {
            case BundleEntry.File f when b instanceof BundleEntry.File g ->
                    f.mode() == g.mode() && f.sha256().equals(g.sha256());
            default -> a.equals(b);
        };
    }
}
