package dev.jdistcc.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * --pid-file: written by the daemon once its socket is bound, removed once, by the daemon itself, when it
 * stops. (distccd 3.4's preforked children inherited the removal and deleted the master's file, §3.7.)
 */
public final class PidFile {
    private final Path path;
    private final long pid;
    private final AtomicBoolean removed = new AtomicBoolean();

    private PidFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    public static PidFile write(Path path) throws IOException {
        long pid = ProcessHandle.current().pid();
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp" + pid);
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new PidFile(path, pid);
    }

    /** Removes the file if it still holds this daemon's pid; only the first call does anything. */
    public void remove() {
        if (!removed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (Files.readString(path).trim().equals(Long.toString(pid))) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // already gone
        }
    }
}
