package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Host backoff files (reference §2.10): {@code $DISTCC_DIR/lock/backoff_tcp_HOST_PORT_0} (or
 * {@code backoff_ssh_HOST_0}); while the file's mtime is younger than the period, the host is skipped.
 * A period of zero disables marking and checking.
 */
public final class Backoff {
    private final Path dir;
    private final Duration period;

    public Backoff(Path lockDir, Duration period) {
        this.dir = lockDir;
        this.period = period;
    }

    public boolean enabled() {
        return !period.isZero();
    }

    public static String fileName(HostSpec.Remote host) {
        if (host instanceof HostSpec.Tcp t) {
            return "backoff_tcp_" + t.host() + "_" + t.port() + "_0";
        }
        return "backoff_ssh_" + host.host() + "_0";
    }

    /** The hosts not in backoff, in their original order. */
    public <H extends HostSpec> List<H> usable(List<H> hosts, Instant now) {
        List<H> out = new ArrayList<>(hosts.size());
        for (H h : hosts) {
            if (!(h instanceof HostSpec.Remote r) || !inBackoff(r, now)) {
                out.add(h);
            }
        }
        return out;
    }

    public boolean inBackoff(HostSpec.Remote host, Instant now) {
        if (!enabled()) {
            return false;
        }
        Path f = dir.resolve(fileName(host));
        if (!Files.exists(f)) {
            return false; // the common case, answered without an exception
        }
        try {
            FileTime t = Files.getLastModifiedTime(f);
            return Duration.between(t.toInstant(), now).compareTo(period) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Marks a host as failing ("disliked"): one byte, which sets the file's mtime. */
    public void mark(HostSpec.Remote host) throws IOException {
        if (!enabled()) {
            return;
        }
        Files.createDirectories(dir);
        Path f = dir.resolve(fileName(host));
        Files.write(f, new byte[] {'x'});
        Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
    }

    /** A host that worked is no longer avoided. */
    public void clear(HostSpec.Remote host) throws IOException {
        Files.deleteIfExists(dir.resolve(fileName(host)));
    }
}
