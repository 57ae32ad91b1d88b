package dev.jdistcc.server;

import dev.jdistcc.protocol.RequestHeader;

/**
 * A request header the server has accepted: the result of {@link CompileService#prepare}. Close it when the
 * connection is done, whether or not the job ran: that releases what the resolver holds for it.
 */
public final class PreparedJob implements AutoCloseable {
    final RequestHeader header;
    final ArgScan scan;
    final CompilerLaunch launch;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    PreparedJob(RequestHeader header, ArgScan scan, CompilerLaunch launch) {
        this.header = header;
        this.scan = scan;
        this.launch = launch;
    }

    public RequestHeader header() {
        return header;
    }

    /** The compiler as logged (argv[0] after any remap). */
    public String compilerName() {
        return launch.name();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            launch.release().close();
        } catch (Exception e) {
            // nothing to do about a failed release; the job is over
        }
    }

    /** The source file as the client named it. */
    public String inputName() {
        return scan.input();
    }
}
