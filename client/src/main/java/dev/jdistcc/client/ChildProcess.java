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
 * is told to stop ({@link #destroyAll()}); compiles themselves have no deadline, like a local gcc.
 */
final class ChildProcess {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    static final File DEV_NULL = new File("/dev/null");

    private ChildProcess() {
    }

    /**
     * @param exe    the resolved executable (argv[0] is replaced by it: Java cannot set argv[0] apart)
     * @param stdout null to inherit or pump to {@code stdio}; else a file to write stdout to
     */
    static Process start(Path exe, List<String> argv, Path cwd, Map<String, String> env, File stdout,
                         CompileJob.Stdio stdio) throws IOException {
        List<String> cmd = new ArrayList<>(argv);
        cmd.set(0, exe.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Map<String, String> e = pb.environment();
        e.clear();
        e.putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        if (stdout != null) {
            pb.redirectOutput(stdout);
        } else if (stdio == null) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        if (stdio == null) {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = pb.start();
        LIVE.add(p);
        if (stdio != null) {
            if (stdout == null) {
                pump(p.getInputStream(), stdio.out());
            }
            pump(p.getErrorStream(), stdio.err());
        }
        return p;
    }

    /** Waits for the child; its exit code, 128+signal when a signal killed it (as a shell reports it). */
    static int waitFor(Process p) throws InterruptedException {
        try {
            return p.waitFor();
        } finally {
            LIVE.remove(p);
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        Thread.ofVirtual().start(() -> {
            try (in) {
                in.transferTo(out);
                out.flush();
            } catch (IOException ignored) {
                // the child or the sink went away
            }
        });
    }

    /** Kills every running child: the front end calls this when it is terminated. */
    static void destroyAll() {
        for (Process p : LIVE) {
            p.destroy();
        }
    }
}
