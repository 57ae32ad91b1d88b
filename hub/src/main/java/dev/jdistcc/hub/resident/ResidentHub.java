package dev.jdistcc.hub.resident;

import dev.jdistcc.client.handoff.HandoffServer;
import dev.jdistcc.client.handoff.ResidentJobs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The resident compile service of one user: the launchers' hand-off socket served by {@link ResidentJobs}
 * with a {@link ResidentScheduler}. One per socket: whoever holds {@code hub.lock} next to the socket serves
 * it, so two hubs started at once (two launchers racing) end with one serving and the other told so.
 * {@code hub.pid} next to the socket names the serving process.
 */
public final class ResidentHub implements AutoCloseable {
    private final FileChannel lockChannel;
    private final Path pidFile;
    private final HandoffServer server;
    private final ResidentScheduler scheduler;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ResidentHub(FileChannel lockChannel, Path pidFile, HandoffServer server, ResidentScheduler scheduler) {
        this.lockChannel = lockChannel;
        this.pidFile = pidFile;
        this.server = server;
        this.scheduler = scheduler;
    }

    /** The socket the launcher uses: $JDISTCC_HUB_SOCKET, else $DISTCC_DIR/jdistcc/hub.sock, else ~/.distcc/…. */
    public static Path defaultSocket(Map<String, String> env) {
        String s = env.get("JDISTCC_HUB_SOCKET");
        if (s != null && !s.isEmpty()) {
            return Path.of(s);
        }
        String dir = env.get("DISTCC_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir, "jdistcc", "hub.sock");
        }
        String home = env.get("HOME");
        return Path.of(home == null || home.isEmpty() ? "/tmp" : home, ".distcc", "jdistcc", "hub.sock");
    }

    /** Serves {@code socket}, or empty when another live process already does. */
    public static Optional<ResidentHub> start(Path socket, SchedulerConfig config) throws IOException {
        return start(socket, config, null);
    }

    /**
     * @param toolchains which packaged toolchain a job's compiler is, named in requests to jdistcc peers (a
     *                   {@link ToolchainIndexFeed}); null reads the index file next to the socket per job
     */
    public static Optional<ResidentHub> start(Path socket, SchedulerConfig config,
                                              dev.jdistcc.client.ToolchainNames toolchains) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        FileChannel ch = FileChannel.open(dir.resolve(socket.getFileName() + ".lock"), StandardOpenOption.WRITE,
                StandardOpenOption.CREATE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        try {
            Path pid = dir.resolve(socket.getFileName() + ".pid");
            Files.writeString(pid, ProcessHandle.current().pid() + "\n"); // before the socket: whoever sees it finds the pid
            ResidentScheduler scheduler = new ResidentScheduler(config);
            HandoffServer server = HandoffServer.start(socket, new ResidentJobs(scheduler, toolchains));
            scheduler.loadSource(server::jobs);
            return Optional.of(new ResidentHub(ch, pid, server, scheduler));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path socket() {
        return server.socket();
    }

    public ResidentScheduler scheduler() {
        return scheduler;
    }

    /** Nanoseconds without a job (0 while one runs). */
    public long idleNanos() {
        return server.idleNanos();
    }

    /** Idempotent: a second close (the shutdown hook after a normal exit) must not touch a successor's socket. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            Files.deleteIfExists(pidFile);
        } finally {
            lockChannel.close();
        }
    }
}
