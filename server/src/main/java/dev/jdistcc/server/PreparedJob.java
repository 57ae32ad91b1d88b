package dev.jdistcc.server;

import dev.jdistcc.protocol.RequestHeader;

/** A request header the server has accepted: the result of {@link CompileService#prepare}. */
public final class PreparedJob {
    final RequestHeader header;
    final ArgScan scan;
    final CompilerLaunch launch;

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

    /** The source file as the client named it. */
    public String inputName() {
        return scan.input();
    }
}
