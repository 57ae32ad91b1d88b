package dev.jdistcc.client;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the compiler and preprocessor. Every child is registered so a front end can kill them all when it
 * is told to stop ({@link #destroyAll()}); compiles themselves have no deadline, like a local gcc. When the
 * job's output is captured ({@link CompileJob.Stdio}), {@link #waitFor} also waits until everything is copied,
 * so a resident caller can hand the bytes on as soon as it returns. A child whose stdout goes to a file (cpp)
 * gets no pump thread: {@link #waitFor} drains its stderr itself, before reaping it.
 */
final class ChildProcess {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Map<Process, Thread[]> PUMPS = new ConcurrentHashMap<>();
    private static final Map<Process, OutputStream> DRAINS = new ConcurrentHashMap<>();
    static final File DEV_NULL = new File("/dev/null");

    private ChildProcess() {
    }

    static Process start(Path exe, List<String> argv, Path cwd, Map<String, String> env, File stdout,
                         CompileJob.Stdio stdio) throws IOException {
        return start(exe, argv, cwd, env, stdout, stdio, CompileJob.INHERIT);
    }

    /**
     * @param exe    the resolved executable (argv[0] is replaced by it: Java cannot set argv[0] apart)
     * @param stdout null to inherit or pump to {@code stdio}; else a file to write stdout to
     * @param umask  the child's umask, or {@link CompileJob#INHERIT}
     */
    static Process start(Path exe, List<String> argv, Path cwd, Map<String, String> env, File stdout,
                         CompileJob.Stdio stdio, int umask) throws IOException {
        List<String> cmd = new ArrayList<>(argv);
        cmd.set(0, exe.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Map<String, String> e = pb.environment();
        e.clear();
        e.putAll(env);
        // A command run locally with the user's stdio keeps the user's stdin too (`gcc -E -x c -` reads it);
        // the preprocessor writing to a file and captured jobs get /dev/null, as in distcc.
        boolean userStdio = stdout == null && stdio == null;
        pb.redirectInput(userStdio ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(DEV_NULL));
        if (stdout != null) {
            pb.redirectOutput(stdout);
        } else if (stdio == null) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        if (stdio == null) {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = umask == CompileJob.INHERIT || !Umask.available() ? pb.start() : startWithUmask(pb, umask);
        LIVE.add(p);
        if (stdio != null && stdout == null) {
            PUMPS.put(p, new Thread[] {pump(p.getInputStream(), stdio.out()), pump(p.getErrorStream(), stdio.err())});
        } else if (stdio != null) {
            DRAINS.put(p, stdio.err());
        }
        return p;
    }

    private static Process startWithUmask(ProcessBuilder pb, int umask) throws IOException {
        synchronized (Umask.class) {
            int old = Umask.set(umask);
            try {
                return pb.start();
            } finally {
                Umask.set(old);
            }
        }
    }

    /** Waits for the child (and its output pumps); its exit code, 128+signal when a signal killed it. */
    static int waitFor(Process p) throws InterruptedException {
        try {
            OutputStream drain = DRAINS.remove(p);
            if (drain != null) {
                new Pump(p.getErrorStream(), drain).run();
            }
            int code = p.waitFor();
            Thread[] pumps = PUMPS.get(p);
            if (pumps != null) {
                for (Thread t : pumps) {
                    t.join();
                }
            }
            return code;
        } finally {
            LIVE.remove(p);
            PUMPS.remove(p);
            DRAINS.remove(p);
        }
    }

    private static Thread pump(InputStream in, OutputStream out) {
        return Thread.ofVirtual().start(new Pump(in, out));
    }

    /** A class, not a lambda: no bootstrap on the per-job path. */
    private record Pump(InputStream in, OutputStream out) implements Runnable {
        @Override
        public void run() {
            try (in) {
                in.transferTo(out);
                out.flush();
            } catch (IOException ignored) {
                // the child or the sink went away
            }
        }
    }

    /** Kills every running child: the front end calls this when it is terminated. */
    static void destroyAll() {
        for (Process p : LIVE) {
            p.destroy();
        }
    }
}
