package dev.jdistcc.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and keeps what it printed. */
record Run(int exit, String stdout, String stderr) {

    static Run of(Path cwd, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        return of(cwd, env, cmd, false);
    }

    /** With exactly {@code env} as the environment (nothing inherited from the test JVM). */
    static Run clean(Path cwd, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        return of(cwd, env, cmd, true);
    }

    private static Run of(Path cwd, Map<String, String> env, List<String> cmd, boolean clean)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("run", ".out");
        Path err = Files.createTempFile("run", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (clean) {
                pb.environment().clear();
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The stock distcc client against one host, with no local fallback or retry, so results are the server's.
     * Each run gets a fresh DISTCC_DIR under {@code scratch}: a failed job puts the host in backoff for 60 s,
     * and DISTCC_BACKOFF_PERIOD=0 would loop forever on a refusing server in 3.4 (reference §2.10).
     */
    static Run distcc(Path cwd, Path scratch, String hosts, Map<String, String> extraEnv, List<String> args)
            throws IOException, InterruptedException {
        Path distccDir = Files.createTempDirectory(Files.createDirectories(scratch), "distcc-dir");
        Map<String, String> env = new java.util.HashMap<>(Map.of("DISTCC_HOSTS", hosts,
                "DISTCC_DIR", distccDir.toString(), "DISTCC_FALLBACK", "0", "DISTCC_SKIP_LOCAL_RETRY", "1"));
        env.putAll(extraEnv);
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Tools.DISTCC.toString());
        cmd.addAll(args);
        return of(cwd, env, cmd);
    }

    /** stderr without the client's own log lines (they carry its pid and the server's port). */
    String serverStderr() {
        return stderr.lines().filter(l -> !l.startsWith("distcc[")).reduce("", (a, b) -> a + b + "\n");
    }
}
