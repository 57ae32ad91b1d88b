package dev.jdistcc.client;

import java.lang.System.Logger.Level;

/**
 * Where the library reports what it does; the front end decides how to render it (distcc's
 * {@code distcc[pid] [(function)] Severity: message} lines, a file for DISTCC_LOG, or nothing).
 */
@FunctionalInterface
public interface ClientLog {
    /**
     * @param function the distcc function name stock 3.4 shows for this message, or null (most messages
     *                 are shown without one); kept so differential tests can match stock output exactly
     */
    void log(Level level, String function, String message);

    default void log(Level level, String message) {
        log(level, null, message);
    }
}
