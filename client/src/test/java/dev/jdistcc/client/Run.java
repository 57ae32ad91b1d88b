package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command as a real process with a deadline, capturing stdout, stderr and the exit code. */
record Run(int exit, String stdout, String stderr) {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** The jdistcc client as a user runs it: a new JVM on the test classpath. */
    static List<String> jdistcc(String argv0, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "--sun-misc-unsafe-memory-access=allow",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-D" + DistccMain.ARGV0_PROPERTY + "=" + argv0,
                "-cp", System.getProperty("java.class.path"), DistccMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> stock(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/distcc"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** An environment without the caller's distcc settings, plus {@code extra} (null values remove). */
    static Map<String, String> env(Path distccDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("DISTCC_") || k.equals("_DISTCC_SAFEGUARD") || k.equals("TMPDIR"));
        env.put("DISTCC_DIR", distccDir.toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        extra.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        return env;
    }

    static Run exec(List<String> cmd, Path cwd, Map<String, String> env) throws Exception {
        Process p = start(cmd, cwd, env);
        return finish(p, cwd);
    }

    static Process start(List<String> cmd, Path cwd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(cwd.resolve(".out").toFile());
        pb.redirectError(cwd.resolve(".err").toFile());
        return pb.start();
    }

    static Run finish(Process p, Path cwd) throws Exception {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("command did not finish within 180 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(cwd.resolve(".out")), Files.readString(cwd.resolve(".err")));
        Files.delete(cwd.resolve(".out"));
        Files.delete(cwd.resolve(".err"));
        return r;
    }

    /** stderr with process ids blanked, so stock's and ours compare. */
    String normalizedStderr() {
        return stderr.replaceAll("distcc\\[\\d+\\]", "distcc[PID]");
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
