package dev.jdistcc.client.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts jobs from native launchers on a Unix socket (only this user can connect: the socket's directory
 * is mode 0700) and runs each on a virtual thread through a {@link JobRunner}. A launcher that cannot be
 * answered (runner failure) gets nothing and falls back to the plain client on its own.
 */
public final class HandoffServer implements AutoCloseable {

    /** The resident side of a job. Implementations must not print: they return what the launcher shows. */
    @FunctionalInterface
    public interface JobRunner {
        HandoffReply run(HandoffRequest request, Cancellation cancel) throws Exception;
    }

    /** Tells a running job that its launcher went away (the user pressed ^C, make was killed). */
    public interface Cancellation {
        boolean cancelled();
    }

    private static final System.Logger LOG = System.getLogger(HandoffServer.class.getName());
    private final ServerSocketChannel listener;
    private final Path socket;
    private final JobRunner runner;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private final AtomicLong inFlight = new AtomicLong();

    private HandoffServer(ServerSocketChannel listener, Path socket, JobRunner runner) {
        this.listener = listener;
        this.socket = socket;
        this.runner = runner;
    }

    /** Binds the socket (replacing a stale one left by a dead process) and starts accepting. */
    public static HandoffServer start(Path socket, JobRunner runner) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(socket) && !isLive(socket)) {
            Files.delete(socket);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        HandoffServer s = new HandoffServer(ch, socket, runner);
        Thread.ofPlatform().name("jdistcc-handoff-accept").daemon().start(s::acceptLoop);
        return s;
    }

    private static boolean isLive(Path socket) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Nanoseconds since the last job started or ended, or 0 while jobs are running (for idle exit). */
    public long idleNanos() {
        return inFlight.get() > 0 ? 0 : System.nanoTime() - lastActivity.get();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                SocketChannel c = listener.accept();
                threads.submit(() -> serve(c));
            } catch (IOException e) {
                if (listener.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed on " + socket + ": " + e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel c) {
        inFlight.incrementAndGet();
        lastActivity.set(System.nanoTime());
        try (c; InputStream in = Channels.newInputStream(c); OutputStream out = Channels.newOutputStream(c)) {
            HandoffRequest req = HandoffRequest.read(in);
            // The launcher sends nothing after its request, so a read that returns is the launcher going away.
            var gone = new java.util.concurrent.atomic.AtomicBoolean();
            Thread.ofVirtual().start(() -> {
                try {
                    in.read();
                } catch (IOException ignored) {
                    // closed by us when the job is done
                }
                gone.set(true);
            });
            HandoffReply reply = runner.run(req, gone::get);
            if (!gone.get()) {
                reply.write(out);
            }
            reply.write(out);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "job from launcher not answered: " + e);
        } finally {
            inFlight.decrementAndGet();
            lastActivity.set(System.nanoTime());
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.close();
        Files.deleteIfExists(socket);
    }
}
