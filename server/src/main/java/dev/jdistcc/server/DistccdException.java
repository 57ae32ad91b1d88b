package dev.jdistcc.server;

/**
 * The server's checked failures. The subtype tells the caller what to do: {@link JobRefused} means drop
 * this one connection without answering; {@link StartupFailure} means the daemon cannot start and must
 * exit with the distcc exit code it carries.
 */
public abstract sealed class DistccdException extends Exception permits JobRefused, StartupFailure {
    DistccdException(String message) {
        super(message);
    }

    DistccdException(String message, Throwable cause) {
        super(message, cause);
    }
}
