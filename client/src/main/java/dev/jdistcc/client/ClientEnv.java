package dev.jdistcc.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The client's environment settings (reference §2.12), read once. Boolean variables follow distcc's
 * dcc_getenv_bool: only "1" and "0" count; anything else means the default.
 *
 * @param env the whole environment, passed on to the compiler and preprocessor
 */
public record ClientEnv(Map<String, String> env, Path distccDir, Path tmpDir, boolean verbose, String logFile,
                        boolean fallback, boolean skipLocalRetry, Duration backoffPeriod, Duration ioTimeout,
                        Duration pause, boolean saveTemps, boolean noRewriteCross, String sshCommand,
                        int safeguardLevel, PartialCpp.Mode cpp) {

    /** DISTCC_IO_TIMEOUT (or another numeric setting) is unusable: distcc exits 101. */
    public static final class BadSetting extends Exception {
        public BadSetting(String message) {
            super(message);
        }
    }

    public ClientEnv {
        env = Map.copyOf(env);
    }

    public static ClientEnv from(Map<String, String> env) throws BadSetting {
        return from(env, null);
    }

    /**
     * @param cwd the directory relative paths in the settings (DISTCC_DIR, TMPDIR, DISTCC_LOG) are resolved
     *            in; null for this process's own (a resident process passes each job's directory)
     */
    public static ClientEnv from(Map<String, String> env, Path cwd) throws BadSetting {
        String home = env.get("HOME");
        String dir = env.get("DISTCC_DIR");
        Path distccDir = in(cwd, dir != null && !dir.isEmpty() ? Path.of(dir)
                : Path.of(home == null || home.isEmpty() ? "/tmp" : home, ".distcc"));
        String tmp = env.get("TMPDIR");
        Path tmpDir = in(cwd, Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp));
        String log = env.get("DISTCC_LOG");
        if (cwd != null && log != null && !log.isEmpty()) {
            log = cwd.resolve(log).toString();
        }
        long io = number(env, "DISTCC_IO_TIMEOUT", 300);
        if (io <= 0) {
            throw new BadSetting("DISTCC_IO_TIMEOUT must be a positive number of seconds, not \""
                    + env.get("DISTCC_IO_TIMEOUT") + "\"");
        }
        long backoff = Math.max(0, number(env, "DISTCC_BACKOFF_PERIOD", 60));
        long pause = Math.max(1, number(env, "DISTCC_PAUSE_TIME_MSEC", 1000));
        String ssh = env.getOrDefault("DISTCC_SSH", "ssh");
        return new ClientEnv(env, distccDir, tmpDir, bool(env, "DISTCC_VERBOSE", false), log,
                bool(env, "DISTCC_FALLBACK", true), env.containsKey("DISTCC_SKIP_LOCAL_RETRY"),
                Duration.ofSeconds(backoff), Duration.ofSeconds(io), Duration.ofMillis(pause),
                bool(env, "DISTCC_SAVE_TEMPS", false), env.containsKey("DISTCC_NO_REWRITE_CROSS"),
                ssh.isBlank() ? "ssh" : ssh, safeguard(env.get("_DISTCC_SAFEGUARD")),
                PartialCpp.Mode.of(env.get("JDISTCC_CPP")));
    }

    private static Path in(Path cwd, Path p) {
        return cwd == null ? p : cwd.resolve(p);
    }

    public Path lockDir() {
        return distccDir.resolve("lock");
    }

    public Path stateDir() {
        return distccDir.resolve("state");
    }

    static boolean bool(Map<String, String> env, String name, boolean dflt) {
        String v = env.get(name);
        return "1".equals(v) ? true : "0".equals(v) ? false : dflt;
    }

    /** A number setting; unset keeps the default, a non-number counts as 0 (C's atoi). */
    static long number(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** distcc reads the level with atoi, but counts a set, non-numeric value as 1 (reference §2.2). */
    static int safeguard(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
