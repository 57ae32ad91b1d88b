package dev.jdistcc.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The daemon's log output in distcc's format ({@code distccd[pid] (function) Warning: message}): to a file
 * (--log-file, appended), to stderr (--log-stderr), or to syslog through logger(1) (distccd's default).
 * Lines below the --log-level are dropped.
 */
public final class LogSink implements ServerLog, AutoCloseable {
    private final PrintStream out;
    private final Severity level;
    private final long pid;
    private final boolean syslog;
    private final Process logger;

    private LogSink(OutputStream out, Severity level, boolean syslog, Process logger) {
        this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        this.level = level;
        this.pid = ProcessHandle.current().pid();
        this.syslog = syslog;
        this.logger = logger;
    }

    public static LogSink to(OutputStream out, Severity level) {
        return new LogSink(out, level, false, null);
    }

    /**
     * syslog (facility daemon) through {@code logger --prio-prefix}, which reads one {@code <PRI>line} at a
     * time; the JDK has no syslog client. Null when logger(1) or /dev/log is missing.
     */
    public static LogSink syslog(Severity level) {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/dev/log"))) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("logger", "--prio-prefix", "-t", "distccd",
                    "--id=" + ProcessHandle.current().pid())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new LogSink(p.getOutputStream(), level, true, p);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void log(Severity severity, String function, String message) {
        if (!severity.atLeast(level)) {
            return;
        }
        String line;
        if (syslog) {
            // Facility daemon (3) * 8 + severity; no program or pid, as distcc's rs_logger_syslog.
            StringBuilder sb = new StringBuilder("<").append(24 + severity.ordinal()).append('>');
            if (function != null) {
                sb.append('(').append(function).append(") ");
            }
            line = sb.append(severity.prefix()).append(message).toString();
        } else {
            line = ServerLog.format("distccd", pid, severity, function, message);
        }
        synchronized (out) {
            out.println(line);
        }
    }

    @Override
    public void close() {
        out.flush();
        if (logger != null) {
            out.close();
            logger.destroy();
        }
    }
}
