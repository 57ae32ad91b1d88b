package dev.jdistcc.client;

/** distcc's exitcode.h values (reference §2.14). */
public final class ExitCodes {
    public static final int DISTCC_FAILED = 100;
    public static final int BAD_ARGUMENTS = 101;
    public static final int CONNECT_FAILED = 103;
    public static final int IO_ERROR = 107;
    public static final int TRUNCATED = 108;
    public static final int PROTOCOL_ERROR = 109;
    public static final int COMPILER_MISSING = 110;
    public static final int RECURSION = 111;
    public static final int NO_HOSTS = 116;
    public static final int TIMEOUT = 118;

    private ExitCodes() {
    }
}
