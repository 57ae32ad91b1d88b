package dev.jdistcc.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Our distccd as a real process, started from the test class path on a free loopback port. */
final class OurDistccd implements AutoCloseable {
    final int port;
    final Path dir;
    final Path log;
    final Path tmp;
    final Process process;

    private OurDistccd(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.log = dir.resolve("distccd.log");
        this.tmp = dir.resolve("tmp");
        this.process = process;
    }

    /** {@code java ... DistccdMain args}; {@code jvmOptions} go before the main class. */
    static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DistccdMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> javaCommand(String... args) {
        return javaCommand(List.of(), args);
    }

    /**
     * Starts {@code --daemon --no-detach} on 127.0.0.1 with the given extra options and waits until it listens.
     * Its TMPDIR is {@code dir/tmp} unless {@code env} sets one.
     */
    static OurDistccd start(Path dir, Map<String, String> env, String... extra) throws IOException, InterruptedException {
        return start(dir, env, List.of(), extra);
    }

    /** The same with JVM options (system properties such as {@code jdistcc.libdir}). */
    static OurDistccd start(Path dir, Map<String, String> env, List<String> jvmOptions, String... extra)
            throws IOException, InterruptedException {
        Tools.openDir(dir.resolve("tmp"));
        int port = Tools.freePort();
        Path ready = dir.resolve("ready");
        List<String> args = new ArrayList<>(List.of("--daemon", "--no-detach", "--port", Integer.toString(port),
                "--listen", "127.0.0.1", "--log-file", dir.resolve("distccd.log").toString(), "--log-level", "info",
                "--ready-file", ready.toString()));
        args.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(javaCommand(jvmOptions, args.toArray(String[]::new)))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        pb.environment().put("TMPDIR", dir.resolve("tmp").toString());
        pb.environment().putAll(env);
        OurDistccd d = new OurDistccd(port, dir, pb.start());
        d.awaitReady(ready);
        return d;
    }

    private void awaitReady(Path ready) throws IOException, InterruptedException {
        while (!Files.exists(ready) || Files.size(ready) == 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("distccd exited " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stderr")));
            }
            Thread.sleep(50);
        }
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits (probing the log) until a job summary containing {@code text} has been logged. */
    String awaitLog(String text) throws IOException, InterruptedException {
        while (true) {
            String l = logText();
            if (l.contains(text)) {
                return l;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("distccd died; log:\n" + l);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
