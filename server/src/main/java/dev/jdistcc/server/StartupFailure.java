package dev.jdistcc.server;

/** The daemon cannot start; {@link #exitCode()} is the distcc exit code (reference §2.14) to exit with. */
public final class StartupFailure extends DistccdException {
    public static final int BAD_ARGUMENTS = 101;
    public static final int BIND_FAILED = 102;
    public static final int IO_ERROR = 107;
    public static final int COMPILER_MISSING = 110;
    public static final int SETUID_FAILED = 112;

    private final int exitCode;

    public StartupFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public StartupFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
