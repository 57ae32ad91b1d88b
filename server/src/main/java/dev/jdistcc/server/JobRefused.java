package dev.jdistcc.server;

/**
 * The server will not run this job. Every refusal is answered the same way on the wire, as distccd 3.4
 * does: the connection is closed without a byte, and the client falls back (reference §1.8). The kind
 * says why, for the log, the job summary and the statistics.
 */
public final class JobRefused extends DistccdException {

    /** Why a job is refused; {@code ret} is the value distccd logs as {@code ret:} in the job summary. */
    public enum Kind {
        /** The argument scan says the job cannot be compiled remotely (dcc_scan_args). */
        NOT_DISTRIBUTABLE(100),
        /** The compiler is not on the allow-list, or names an absolute path. */
        COMPILER_NOT_ALLOWED(0),
        /** An option that loads code into the compiler: -fplugin=, -specs=. */
        FORBIDDEN_OPTION(0),
        /** A protocol-3 file name that escapes the private root, or another malformed input tree. */
        BAD_INPUT_TREE(0),
        /** The request names a toolchain this server cannot provide. */
        TOOLCHAIN_UNAVAILABLE(0);

        private final int ret;

        Kind(int ret) {
            this.ret = ret;
        }

        public int ret() {
            return ret;
        }
    }

    private final Kind kind;

    public JobRefused(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
