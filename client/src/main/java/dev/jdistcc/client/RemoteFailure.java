package dev.jdistcc.client;

/**
 * A remote attempt that produced no usable compiler result. Every subtype tells the caller the same thing:
 * back off this host and try another (or compile locally); the subtype picks distcc's exit code and the
 * reason shown to the user.
 */
public abstract sealed class RemoteFailure extends Exception {
    private final int exitCode;

    private RemoteFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** distcc's internal exit code for this failure (reference §2.14). */
    public int exitCode() {
        return exitCode;
    }

    /** Could not connect, or could not start the ssh command. */
    public static final class ConnectFailed extends RemoteFailure {
        public ConnectFailed(String message, Throwable cause) {
            super(message, ExitCodes.CONNECT_FAILED, cause);
        }
    }

    /** The server closed the connection without a byte: refused by ACL, whitelist or its argument scan. */
    public static final class NoAnswer extends RemoteFailure {
        public NoAnswer(String message) {
            super(message, ExitCodes.IO_ERROR, null);
        }
    }

    /** The reply did not follow the protocol, or was cut off. */
    public static final class Protocol extends RemoteFailure {
        public Protocol(String message, Throwable cause) {
            super(message, ExitCodes.PROTOCOL_ERROR, cause);
        }
    }

    /** A read or write failed, or stalled past DISTCC_IO_TIMEOUT. */
    public static final class Io extends RemoteFailure {
        public Io(String message, boolean timeout, Throwable cause) {
            super(message, timeout ? ExitCodes.TIMEOUT : ExitCodes.IO_ERROR, cause);
        }
    }
}
