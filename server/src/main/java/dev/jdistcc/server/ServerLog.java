package dev.jdistcc.server;

/**
 * Where the server's library code reports what happens (CONVENTIONS 5: libraries report, front ends render).
 * {@code function} is the distcc function name the message corresponds to, shown in distcc's log format
 * as {@code distccd[pid] (function) Warning: message}; it may be null.
 */
@FunctionalInterface
public interface ServerLog {
    void log(Severity severity, String function, String message);

    ServerLog DISCARD = (s, f, m) -> { };

    default void info(String function, String message) {
        log(Severity.INFO, function, message);
    }

    default void notice(String function, String message) {
        log(Severity.NOTICE, function, message);
    }

    default void warning(String function, String message) {
        log(Severity.WARNING, function, message);
    }

    default void error(String function, String message) {
        log(Severity.ERROR, function, message);
    }

    default void debug(String function, String message) {
        log(Severity.DEBUG, function, message);
    }

    /** One line in distcc's format (trace.c rs_format_msg), without the newline. */
    static String format(String program, long pid, Severity severity, String function, String message) {
        StringBuilder sb = new StringBuilder(program).append('[').append(pid).append("] ");
        if (function != null) {
            sb.append('(').append(function).append(") ");
        }
        return sb.append(severity.prefix()).append(message).toString();
    }
}
