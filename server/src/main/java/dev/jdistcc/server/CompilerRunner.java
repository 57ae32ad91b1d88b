package dev.jdistcc.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one compiler process (CONVENTIONS 6): stdin from /dev/null, stdout and stderr to files in the job
 * directory, a deadline, and a kill path (SIGTERM to the compiler and its descendants, then SIGKILL).
 * The wait ends early when the client goes away, as distccd's dcc_collect_child does.
 */
final class CompilerRunner {
    static final int EXIT_DISTCC_FAILED = 100;
    static final int EXIT_IO_ERROR = 107;
    static final int EXIT_COMPILER_MISSING = 110;
    static final int EXIT_TIMEOUT = 118;
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /** How the wait ended. */
    enum Ending { EXITED, TIMED_OUT, CLIENT_GONE, NOT_STARTED }

    /** @param status a POSIX wait status: {@code code << 8}, or the signal number */
    record Outcome(Ending ending, int status) {
    }

    private final ProcessPolicy policy;
    private final Map<String, String> baseEnvironment;

    CompilerRunner(ProcessPolicy policy, Map<String, String> baseEnvironment) {
        this.policy = policy;
        this.baseEnvironment = Map.copyOf(baseEnvironment);
    }

    /**
     * @param command    the executable and its arguments (already sandbox-wrapped)
     * @param deadline   how long the compiler may run; null for no limit (distccd without --job-lifetime)
     * @param clientGone completes when the client disconnects
     */
    Outcome run(List<String> command, boolean dropPrivileges, Map<String, String> extraEnv, JobDirs dirs, Path stdout,
                Path stderr, Duration deadline, CompletableFuture<Void> clientGone, ServerLog log)
            throws InterruptedException {
        List<String> full = new ArrayList<>(policy.prefix(dropPrivileges));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(dirs.workDir().toFile())
                .redirectInput(new File("/dev/null"))
                .redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(baseEnvironment);
        env.put("_DISTCC_SAFEGUARD", "1");
        env.put("TMPDIR", dirs.jobDir().resolve("tmp").toString());
        env.putAll(extraEnv);
        Process p;
        try {
            p = startFromPlatformThread(pb);
        } catch (IOException e) {
            log.error("dcc_spawn_child", "failed to start " + command.getFirst() + ": " + e.getMessage());
            return new Outcome(Ending.NOT_STARTED, EXIT_DISTCC_FAILED << 8);
        }
        try {
            return await(p, deadline, clientGone, log);
        } finally {
            if (p.isAlive()) {
                kill(p);
            }
        }
    }

    private static Outcome await(Process p, Duration deadline, CompletableFuture<Void> clientGone, ServerLog log)
            throws InterruptedException {
        CompletableFuture<Object> first = CompletableFuture.anyOf(p.onExit(), clientGone);
        try {
            if (deadline == null) {
                first.get();
            } else {
                first.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            // Not yet finished at the deadline (distccd --job-lifetime).
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (!p.isAlive()) {
            return new Outcome(Ending.EXITED, waitStatus(p.exitValue()));
        }
        if (clientGone.isDone()) {
            log.error("dcc_collect_child", "Client fd disconnected, killing job");
            kill(p);
            return new Outcome(Ending.CLIENT_GONE, EXIT_IO_ERROR << 8);
        }
        kill(p);
        log.error("dcc_collect_child", "Compilation takes too long, timeout.");
        return new Outcome(Ending.TIMED_OUT, EXIT_TIMEOUT << 8);
    }

    /**
     * Starts {@code pb} from a platform thread that stays alive until the process has exited. The kernel sends
     * a parent-death signal (bubblewrap's --die-with-parent, PR_SET_PDEATHSIG) when the <em>thread</em> that
     * created the process ends; jobs run on virtual threads, whose carrier threads the scheduler retires after
     * 30 s idle, which killed every sandboxed compile still running then (SIGKILL, seen on slow volunteers).
     */
    static Process startFromPlatformThread(ProcessBuilder pb) throws IOException, InterruptedException {
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("compiler-parent").start(() -> {
            Process p;
            try {
                p = pb.start();
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            started.complete(p);
            while (true) {
                try {
                    p.waitFor();
                    return;
                } catch (InterruptedException e) {
                    // nobody interrupts this thread; keep parenting the process until it exits
                }
            }
        });
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * Java reports death by signal N as exit value 128+N; turn that back into a wait status. (A compiler
     * that exits with a code above 128 on purpose is read as killed; gcc and clang do not.)
     */
    static int waitStatus(int exitValue) {
        return exitValue > 128 && exitValue < 128 + 65 ? exitValue - 128 : (exitValue & 0xff) << 8;
    }

    /** SIGTERM to the compiler and everything it started, then SIGKILL to whatever is left. */
    static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        if (!p.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            all.addAll(p.descendants().toList());
            all.forEach(ProcessHandle::destroyForcibly);
            p.waitFor();
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }
}
