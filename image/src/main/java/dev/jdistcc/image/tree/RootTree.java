package dev.jdistcc.image.tree;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A file tree to be archived, held as a sorted map from relative path ({@code usr/bin/x}, no leading
 * slash) to entry. Parent directories are added explicitly (mode 0755) whenever a child is added, so
 * archives never depend on the extractor creating them. Ownership and timestamps are not modelled:
 * writers set uid/gid 0 and one fixed mtime.
 */
public final class RootTree {

    /** One archive entry. */
    public sealed interface Entry permits Dir, File, Symlink {
        String path();
    }

    public record Dir(String path, int mode) implements Entry {}

    /** A regular file whose bytes come from {@code source} on disk or from {@code bytes}. */
    public record File(String path, int mode, Path source, byte[] bytes) implements Entry {}

    public record Symlink(String path, String target) implements Entry {}

    private final SortedMap<String, Entry> entries = new TreeMap<>();

    public RootTree dir(String path) {
        return dir(path, 0755);
    }

    public RootTree dir(String path, int mode) {
        String p = normalize(path);
        if (!p.isEmpty()) {
            parents(p);
            Entry old = entries.get(p);
            if (old != null && !(old instanceof Dir)) {
                throw new IllegalArgumentException("'" + p + "' is already a " + old.getClass().getSimpleName());
            }
            entries.put(p, new Dir(p, mode));
        }
        return this;
    }

    public RootTree file(String path, Path source, int mode) {
        return put(new File(normalize(path), mode, source, null));
    }

    public RootTree file(String path, byte[] bytes, int mode) {
        return put(new File(normalize(path), mode, null, bytes.clone()));
    }

    public RootTree text(String path, String text, int mode) {
        return file(path, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    public RootTree symlink(String path, String target) {
        return put(new Symlink(normalize(path), target));
    }

    public boolean contains(String path) {
        return entries.containsKey(normalize(path));
    }

    /** Entries in archive order: sorted by path, so every parent precedes its children. */
    public Collection<Entry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    public int size() {
        return entries.size();
    }

    private RootTree put(Entry e) {
        if (e.path().isEmpty()) {
            throw new IllegalArgumentException("cannot add a file at the root itself");
        }
        parents(e.path());
        Entry old = entries.get(e.path());
        if (old instanceof Dir) {
            throw new IllegalArgumentException("'" + e.path() + "' is already a directory");
        }
        entries.put(e.path(), e);
        return this;
    }

    private void parents(String path) {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            String parent = path.substring(0, slash);
            if (!(entries.get(parent) instanceof Dir)) {
                dir(parent, 0755);
            }
        }
    }

    static String normalize(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.contains("//") || p.equals("..") || p.startsWith("../") || p.contains("/../") || p.endsWith("/..")) {
            throw new IllegalArgumentException("bad tree path '" + path + "'");
        }
        return p;
    }
}
