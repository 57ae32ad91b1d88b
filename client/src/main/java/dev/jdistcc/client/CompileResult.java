package dev.jdistcc.client;

/**
 * How a job ended.
 *
 * @param exitCode the compiler's exit code, 128+signal, or a distcc code (§2.14)
 * @param where    where the result came from
 * @param host     the remote host's display name, or "localhost"
 */
public record CompileResult(int exitCode, Where where, String host) {
    public enum Where {
        /** compiled by a server */
        REMOTE,
        /** ran locally because it must (or the host list said localhost) */
        LOCAL,
        /** ran locally after distribution failed */
        FALLBACK,
        /** did not run: distribution failed and fallback is disabled, or bad arguments */
        NOT_RUN
    }
}
