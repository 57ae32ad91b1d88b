package dev.jdistcc.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * distcc's lock files (reference §2.9, lock.c): zero-byte files in {@code $DISTCC_DIR/lock}, one per host
 * slot, held with an exclusive non-blocking lock on the whole file. On Linux {@link FileChannel#tryLock()}
 * is {@code fcntl(F_SETLK, F_WRLCK)}, the very call distcc makes, so stock clients and this one share slots.
 */
public final class SlotLocks {
    /** distcc 3.4 scans slots 0..9999 (earlier releases stopped at 50, #348). */
    static final int MAX_SLOTS = 10_000;

    private final Path dir;

    public SlotLocks(Path lockDir) {
        this.dir = lockDir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * A held slot; closing it releases the lock (the file stays, as distcc never deletes them) and then runs
     * {@code onRelease}, if any (a resident scheduler's bookkeeping).
     */
    public record Lease(HostSpec host, int slot, FileChannel channel, Runnable onRelease) implements AutoCloseable {
        public Lease(HostSpec host, int slot, FileChannel channel) {
            this(host, slot, channel, null);
        }

        /** The same lease, running {@code action} once it is released. */
        public Lease whenReleased(Runnable action) {
            return new Lease(host, slot, channel, action);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a lock file cannot lose data
            }
            if (onRelease != null) {
                onRelease.run();
            }
        }
    }

    /** The lock file name of a host slot, exactly as distcc names it. */
    public static String fileName(HostSpec host, int slot) {
        // instanceof rather than a pattern switch: no bootstrap method on the per-job path.
        if (host instanceof HostSpec.Tcp t) {
            return "cpu_tcp_" + t.host() + "_" + t.port() + "_" + slot;
        }
        if (host instanceof HostSpec.Ssh s) {
            return "cpu_ssh_" + s.host() + "_" + slot;
        }
        return "cpu_localhost_" + slot;
    }

    /** Tries to take one slot without waiting; null when another process (or this one) holds it. */
    public Lease tryLock(HostSpec host, int slot) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        FileChannel ch = FileChannel.open(dir.resolve(fileName(host, slot)),
                StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        try {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return new Lease(host, slot, ch);
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM already: busy, like a lock held by another process
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ch.close();
        return null;
    }

    /**
     * One breadth-first pass of distcc's dcc_lock_one: slot 0 of every host in order, then slot 1, and so
     * on up to each host's limit. Returns null when every slot is busy (the caller pauses and retries).
     */
    public Lease tryAny(List<? extends HostSpec> hosts) throws IOException {
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            boolean any = false;
            for (HostSpec h : hosts) {
                if (slot < h.slots()) {
                    any = true;
                    Lease l = tryLock(h, slot);
                    if (l != null) {
                        return l;
                    }
                }
            }
            if (!any) {
                return null;
            }
        }
        return null;
    }
}
