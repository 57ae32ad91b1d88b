package dev.jdistcc.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The log of one job: everything goes to the server log, and warnings and worse are also copied into
 * the job's SERR, formatted as distccd writes them to its per-job stderr file (serve.c dcc_add_log_to_file),
 * so that they reach the client. distccd's compiler appends to that same file, so lines logged before the
 * compiler started come before its stderr, and later lines after it ({@link #mark}).
 */
public final class JobLog implements ServerLog {
    private final ServerLog parent;
    private final long pid;
    private final ByteArrayOutputStream copied = new ByteArrayOutputStream();

    public JobLog(ServerLog parent, long pid) {
        this.parent = parent;
        this.pid = pid;
    }

    @Override
    public void log(Severity severity, String function, String message) {
        parent.log(severity, function, message);
        if (severity.atLeast(Severity.WARNING)) {
            byte[] line = (ServerLog.format("distccd", pid, severity, function, message) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            synchronized (copied) {
                copied.writeBytes(line);
            }
        }
    }

    /** A position in the copied lines. */
    int mark() {
        synchronized (copied) {
            return copied.size();
        }
    }

    /** The copied lines from {@code from} up to {@code to}. */
    byte[] copied(int from, int to) {
        synchronized (copied) {
            byte[] all = copied.toByteArray();
            return java.util.Arrays.copyOfRange(all, from, to);
        }
    }
}
