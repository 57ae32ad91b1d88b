package dev.jdistcc.client.handoff;

import dev.jdistcc.client.LocalRunner;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts jobs from native launchers on a Unix socket (only this user can connect: the socket's directory
 * is mode 0700) and runs each on a pooled thread through a {@link JobRunner}. A launcher that gets no answer
 * (runner failure, this process dying) falls back to the plain client on its own.
 *
 * <p>The socket is read and written with channel calls, not {@code Channels} streams: those serialise reads
 * and writes on one lock, and a read is always pending here (it is how a launcher's exit is noticed).
 */
public final class HandoffServer implements AutoCloseable {

    /** The resident side of a job. Implementations never print: what the launcher shows goes to the session. */
    @FunctionalInterface
    public interface JobRunner {
        /**
         * Runs one job, writing the launcher's stdout and stderr to {@link Session#out()} and {@link Session#err()}.
         * Returns the job's exit code.
         */
        int run(HandoffRequest request, Session session) throws Exception;
    }

    /** One launcher's connection, as the runner sees it. */
    public interface Session {
        OutputStream out();

        OutputStream err();

        /** The launcher went away before the job ended (^C, make killed); the job's thread is also interrupted. */
        boolean cancelled();

        /**
         * Has the launcher run a command with its own stdin, stdout and stderr (and these environment
         * settings), after printing the output so far. Returns the command's exit code (128+signal) once it
         * has ended, so the caller holds the job's slot meanwhile.
         */
        int runLocally(Map<String, String> env, List<String> argv) throws IOException, InterruptedException;

        /**
         * Has the launcher run a preprocessor to the end, its stdout to {@code output} and its stderr to the
         * user's terminal, and returns its exit code (128+signal). The output so far is printed first.
         */
        int preprocess(Map<String, String> env, List<String> argv, Path output) throws IOException, InterruptedException;

        /** Whether the launcher can run {@link #preprocessCaptured} (it declared {@link HandoffRequest#CPP_CAPTURE}). */
        default boolean capturesPreprocessor() {
            return false;
        }

        /**
         * As {@link #preprocess}, but cpp's stderr comes back in the answer instead of reaching the terminal,
         * with whether the output names a clock macro. The output so far is printed first.
         */
        default LocalRunner.CapturedCpp preprocessCaptured(Map<String, String> env, List<String> argv, Path output)
                throws IOException, InterruptedException {
            throw new UnsupportedOperationException("this launcher does not capture cpp's stderr");
        }
    }

    private static final System.Logger LOG = System.getLogger(HandoffServer.class.getName());
    private final ServerSocketChannel listener;
    private final Path socket;
    private final JobRunner runner;
    // Platform threads, reused: a job blocks in a handful of system calls, and on virtual threads each of them
    // costs a park, an unmount and a remount (measured: about a fifth of the resident CPU per job).
    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("jdistcc-job-", 0).factory());
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private final AtomicLong inFlight = new AtomicLong();

    private HandoffServer(ServerSocketChannel listener, Path socket, JobRunner runner) {
        this.listener = listener;
        this.socket = socket;
        this.runner = runner;
    }

    /**
     * Binds the socket (replacing a stale one left by a dead process) and starts accepting. Callers that may
     * race with another process for the same socket serialise on a lock file first (see the hub's serve).
     */
    public static HandoffServer start(Path socket, JobRunner runner) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(socket) && !isLive(socket)) {
            Files.delete(socket);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket), 512);
        HandoffServer s = new HandoffServer(ch, socket, runner);
        Thread.ofPlatform().name("jdistcc-handoff-accept").daemon().start(s::acceptLoop);
        return s;
    }

    /** Whether a process accepts connections on this socket. */
    public static boolean isLive(Path socket) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path socket() {
        return socket;
    }

    /** Jobs being served right now (from the launcher's request to its answer). */
    public int jobs() {
        return (int) inFlight.get();
    }

    /** Nanoseconds since the last job started or ended, or 0 while jobs are running (for idle exit). */
    public long idleNanos() {
        return inFlight.get() > 0 ? 0 : System.nanoTime() - lastActivity.get();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                SocketChannel c = listener.accept();
                threads.submit(new Serve(c));
            } catch (IOException e) {
                if (listener.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed on " + socket + ": " + e.getMessage());
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    private final class Serve implements Runnable {
        private final SocketChannel c;

        Serve(SocketChannel c) {
            this.c = c;
        }

        @Override
        public void run() {
            inFlight.incrementAndGet();
            lastActivity.set(System.nanoTime());
            try (c) {
                InputStream in = new BufferedInputStream(new ChannelIn(c), 1 << 16);
                HandoffRequest req;
                try {
                    req = HandoffRequest.read(in);
                } catch (java.io.EOFException e) {
                    return; // a liveness probe (isLive), or a launcher that died before asking
                }
                Conn session = new Conn(c, in, Thread.currentThread(),
                        req.features().contains(HandoffRequest.CPP_CAPTURE));
                threads.submit(session::watch);
                int code;
                try {
                    code = runner.run(req, session);
                } finally {
                    session.jobDone();
                }
                session.finish(code);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "job from launcher not answered: " + e);
            } finally {
                inFlight.decrementAndGet();
                lastActivity.set(System.nanoTime());
            }
        }
    }

    /** A launcher connection: buffered output, the watch for its end, the hand-back of local runs. */
    private static final class Conn implements Session {
        /** Bound on the stderr a launcher may send back in one 'q' answer. */
        private static final int MAX_CAPTURED = 64 << 20;
        private static final LocalRunner.CapturedCpp GONE = new LocalRunner.CapturedCpp(Integer.MIN_VALUE, false,
                new byte[0]);
        private final SocketChannel c;
        private final InputStream in;
        private final Thread job;
        private final boolean captures;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final BlockingQueue<LocalRunner.CapturedCpp> codes = new LinkedBlockingQueue<>();
        private volatile boolean cancelled;
        private boolean done;

        Conn(SocketChannel c, InputStream in, Thread job, boolean captures) {
            this.c = c;
            this.in = in;
            this.job = job;
            this.captures = captures;
        }

        /**
         * The only reader after the request: the launcher sends nothing but the outcomes of commands it ran
         * for the job ('l' or 'p' and a u32 exit code; 'q', u32 length, exit code, flags, stderr), so a read
         * returning EOF (or anything else) means it went away.
         */
        void watch() {
            try {
                DataInputStream d = new DataInputStream(in);
                int type;
                while ((type = in.read()) == 'p' || type == 'l' || type == 'q') {
                    if (type != 'q') {
                        codes.add(new LocalRunner.CapturedCpp(d.readInt(), false, new byte[0]));
                        continue;
                    }
                    int len = d.readInt();
                    if (len < 8 || len - 8 > MAX_CAPTURED) {
                        break;
                    }
                    int code = d.readInt();
                    int flags = d.readInt();
                    byte[] text = new byte[len - 8];
                    d.readFully(text);
                    codes.add(new LocalRunner.CapturedCpp(code, (flags & 1) != 0, text));
                }
            } catch (IOException ignored) {
                // closed by us when the job is done, or a truncated answer: the launcher is gone either way
            }
            synchronized (this) {
                if (!done) {
                    cancelled = true;
                    job.interrupt();
                }
            }
            codes.add(GONE);
        }

        /** In the job's thread once the runner returned: no interrupt may reach the pooled thread after this. */
        void jobDone() {
            synchronized (this) {
                done = true;
            }
            Thread.interrupted();
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public OutputStream err() {
            return err;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public int runLocally(Map<String, String> env, List<String> argv) throws IOException, InterruptedException {
            return command(new HandoffReply.RunLocally(env, argv));
        }

        @Override
        public int preprocess(Map<String, String> env, List<String> argv, Path output)
                throws IOException, InterruptedException {
            return command(new HandoffReply.Preprocess(env, argv, output.toString(), false));
        }

        @Override
        public boolean capturesPreprocessor() {
            return captures;
        }

        @Override
        public LocalRunner.CapturedCpp preprocessCaptured(Map<String, String> env, List<String> argv, Path output)
                throws IOException, InterruptedException {
            if (!captures) {
                throw new UnsupportedOperationException("this launcher does not capture cpp's stderr");
            }
            return outcome(new HandoffReply.Preprocess(env, argv, output.toString(), true));
        }

        /** Sends the output so far and a command; waits for the launcher to report its exit code. */
        private int command(HandoffReply c) throws IOException, InterruptedException {
            return outcome(c).exitCode();
        }

        private LocalRunner.CapturedCpp outcome(HandoffReply c) throws IOException, InterruptedException {
            send(pending(c));
            LocalRunner.CapturedCpp r = codes.take();
            if (r == GONE) {
                codes.add(GONE);
                throw new IOException("the launcher went away while running " + c.getClass().getSimpleName());
            }
            return r;
        }

        void finish(int code) throws IOException {
            if (!cancelled) {
                send(pending(null));
                ByteArrayOutputStream x = new ByteArrayOutputStream();
                new HandoffReply.Finished(new byte[0], new byte[0], code).write(x);
                send(x.toByteArray());
            }
        }

        /** The buffered stdout and stderr as frames, followed by {@code last} if any. */
        private byte[] pending(HandoffReply last) throws IOException {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            HandoffReply.frame(frames, 'O', out.toByteArray());
            HandoffReply.frame(frames, 'E', err.toByteArray());
            out.reset();
            err.reset();
            if (last != null) {
                last.write(frames);
            }
            return frames.toByteArray();
        }

        private void send(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
    }

    /** Reads with {@link SocketChannel#read}, which does not contend with writes. */
    private static final class ChannelIn extends InputStream {
        private final SocketChannel c;

        ChannelIn(SocketChannel c) {
            this.c = c;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : c.read(ByteBuffer.wrap(b, off, len));
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdown();
        Files.deleteIfExists(socket);
    }
}
