package dev.jdistcc.client;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Renders {@link ClientLog} events as distcc does (reference §2.13): {@code distcc[PID] (function) Warning: …}.
 * To stderr only warnings and errors are shown, everything with DISTCC_VERBOSE=1; DISTCC_LOG sends the log
 * (info level, or debug with verbose) to a file instead.
 */
final class LogRenderer implements ClientLog, AutoCloseable {
    private final long pid;
    private final Level threshold;
    private final PrintStream out;
    private final boolean toFile;

    private LogRenderer(long pid, Level threshold, PrintStream out, boolean toFile) {
        this.pid = pid;
        this.threshold = threshold;
        this.out = out;
        this.toFile = toFile;
    }

    static LogRenderer create(ClientEnv env, PrintStream stderr) {
        return create(env, stderr, ProcessHandle.current().pid());
    }

    /** @param pid the process id shown in each line: the job's launcher when a resident process runs it */
    static LogRenderer create(ClientEnv env, PrintStream stderr, long pid) {
        if (env.logFile() != null && !env.logFile().isEmpty()) {
            try {
                PrintStream f = new PrintStream(new FileOutputStream(env.logFile(), true), true, StandardCharsets.UTF_8);
                return new LogRenderer(pid, env.verbose() ? Level.DEBUG : Level.INFO, f, true);
            } catch (IOException e) {
                stderr.println("distcc[" + pid + "] ERROR: failed to open logfile " + env.logFile() + ": " + e.getMessage());
            }
        }
        return new LogRenderer(pid, env.verbose() ? Level.DEBUG : Level.WARNING, stderr, false);
    }

    @Override
    public void log(Level level, String function, String message) {
        if (level.getSeverity() < threshold.getSeverity()) {
            return;
        }
        String severity = switch (level) {
            case ERROR -> "ERROR: ";
            case WARNING -> "Warning: ";
            default -> "";
        };
        String line = "distcc[" + pid + "] " + (function == null ? "" : "(" + function + ") ") + severity + message;
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** distcc's CRITICAL lines (recursion, host list failures in -j / --show-hosts). */
    void critical(String function, String message) {
        synchronized (out) {
            out.println("distcc[" + pid + "] (" + function + ") CRITICAL! " + message);
            out.flush();
        }
    }

    boolean toFile() {
        return toFile;
    }

    /** Closes the DISTCC_LOG file (a resident process opens one per job); stderr is left open. */
    @Override
    public void close() {
        if (toFile) {
            out.close();
        }
    }
}
