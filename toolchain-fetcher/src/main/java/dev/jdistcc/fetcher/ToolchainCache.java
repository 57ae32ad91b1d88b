package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Content-addressed store of unpacked toolchains: {@code <root>/toolchains/<digest>/} holds a bundle that was
 * verified and test-run; {@code <root>/tmp/} holds unpacks in progress, which become visible only by an atomic
 * rename. A byte budget is kept by evicting the least recently used toolchains, never one that is leased
 * (in use by a compile).
 */
public final class ToolchainCache {
    private final Path root;
    private final Path toolchains;
    private final Path tmp;
    private final long budgetBytes;
    private final Map<ToolchainDigest, Entry> entries = new HashMap<>();
    private long clock;

    private static final class Entry {
        final long size;
        long lastUsed;
        int leases;

        Entry(long size, long lastUsed) {
            this.size = size;
            this.lastUsed = lastUsed;
        }
    }

    /** A hold on a cached toolchain: while open, it is not evicted. */
    public final class Lease implements AutoCloseable {
        private final ToolchainDigest digest;
        private boolean closed;

        private Lease(ToolchainDigest digest) {
            this.digest = digest;
        }

        public ToolchainDigest digest() {
            return digest;
        }

        /** The unpacked bundle, to be mounted as the sandbox's root. */
        public Path root() {
            return toolchains.resolve(digest.hex());
        }

        @Override
        public void close() {
            synchronized (ToolchainCache.this) {
                if (!closed) {
                    closed = true;
                    entries.get(digest).leases--;
                }
            }
        }
    }

    public ToolchainCache(Path root, long budgetBytes) throws IOException {
        this.root = root;
        this.toolchains = root.resolve("toolchains");
        this.tmp = root.resolve("tmp");
        this.budgetBytes = budgetBytes;
        for (Path d : List.of(root, toolchains, tmp)) {
            Files.createDirectories(d);
            // The sandbox user must be able to traverse to the bundles it mounts.
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        deleteTree(tmp, false);
        load();
    }

    public Path root() {
        return root;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public synchronized long usedBytes() {
        return entries.values().stream().mapToLong(e -> e.size).sum();
    }

    public synchronized boolean contains(ToolchainDigest d) {
        return entries.containsKey(d);
    }

    public synchronized List<ToolchainDigest> digests() {
        return entries.keySet().stream().sorted().toList();
    }

    /** Leases a cached toolchain and marks it used now; empty when it is not cached. */
    public synchronized Optional<Lease> lease(ToolchainDigest d) {
        Entry e = entries.get(d);
        if (e == null) {
            return Optional.empty();
        }
        e.leases++;
        e.lastUsed = ++clock;
        return Optional.of(new Lease(d));
    }

    /** A fresh private directory under the cache for an unpack in progress. */
    Path newTempDir() throws IOException {
        Path d = Files.createTempDirectory(tmp, "unpack-");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    /**
     * Makes {@code unpacked} the cached copy of {@code d}, evicting older toolchains to stay within budget.
     * Throws {@link FetchException.CacheFull} (and deletes {@code unpacked}) when that is impossible.
     */
    void install(ToolchainDigest d, Path unpacked, long size) throws IOException, FetchException.CacheFull {
        List<Path> evicted;
        synchronized (this) {
            if (entries.containsKey(d)) {
                deleteTree(unpacked, true);
                return;
            }
            evicted = makeRoom(size);
            if (evicted == null) {
                deleteTree(unpacked, true);
                throw new FetchException.CacheFull("toolchain " + d.shortForm() + " needs " + size + " bytes; the cache budget is "
                        + budgetBytes + " bytes and the rest is in use");
            }
            try {
                Files.move(unpacked, toolchains.resolve(d.hex()), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                deleteTree(unpacked, true);
                throw e;
            }
            entries.put(d, new Entry(size, ++clock));
        }
        for (Path p : evicted) {
            deleteTree(p, true);
        }
    }

    /** Removes least recently used, unleased entries until {@code size} more bytes fit; null if impossible. */
    private List<Path> makeRoom(long size) throws IOException {
        List<ToolchainDigest> lru = entries.entrySet().stream().filter(e -> e.getValue().leases == 0)
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed)).map(Map.Entry::getKey).toList();
        long free = budgetBytes - usedBytes();
        long reclaimable = lru.stream().mapToLong(d -> entries.get(d).size).sum();
        if (free + reclaimable < size) {
            return null;
        }
        List<Path> gone = new ArrayList<>();
        for (ToolchainDigest d : lru) {
            if (free >= size) {
                break;
            }
            // Rename out of toolchains/ first so the toolchain vanishes atomically; delete outside the lock.
            Path away = tmp.resolve("evict-" + d.hex());
            Files.move(toolchains.resolve(d.hex()), away, StandardCopyOption.ATOMIC_MOVE);
            free += entries.remove(d).size;
            gone.add(away);
        }
        return gone;
    }

    private void load() throws IOException {
        try (Stream<Path> s = Files.list(toolchains)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!ToolchainDigest.isValid(name) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p, true);
                    continue;
                }
                long mtime = Files.getLastModifiedTime(p).toMillis();
                entries.put(ToolchainDigest.parse(name), new Entry(sizeOf(p), mtime));
                clock = Math.max(clock, mtime);
            }
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** Deletes a tree without following links; {@code self} also removes the top directory. */
    static void deleteTree(Path dir, boolean self) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (self || !p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
