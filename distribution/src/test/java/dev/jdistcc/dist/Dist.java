package dev.jdistcc.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the assembled dist/ layout (launchers, masquerade links) as a user would, optionally as another uid. */
final class Dist {
    static final Path HOME = Path.of(System.getProperty("jdistcc.dist", "../dist")).toAbsolutePath().normalize();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    record Result(int exit, String stdout, String stderr) {}

    private Dist() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code prefix} runs the command as another user (e.g. setpriv ...); empty to run as ourselves. */
    static Result run(List<String> prefix, List<String> cmd, Path cwd, Map<String, String> env) throws Exception {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(cmd);
        // ProcessBuilder looks commands up in the test JVM's PATH; a user's shell uses the command's own PATH.
        int exe = prefix.size();
        full.set(exe, which(full.get(exe), env.getOrDefault("PATH", "/usr/bin:/bin")));
        ProcessBuilder pb = new ProcessBuilder(full).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("jdistcc-it", ".out");
        Path err = Files.createTempFile("jdistcc-it", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + full);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static String which(String name, String path) {
        if (name.contains("/")) {
            return name;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return name;
    }

    static byte[] localCompile(Path dir, String compiler, String src, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(compiler));
        cmd.addAll(flags);
        cmd.addAll(List.of("-c", src, "-o", "local.o"));
        Result r = run(List.of(), cmd, dir, Map.of("PATH", "/usr/bin:/bin"));
        assertEquals(0, r.exit(), r.stderr());
        byte[] b = Files.readAllBytes(dir.resolve("local.o"));
        Files.delete(dir.resolve("local.o"));
        return b;
    }

    /** A server process stopped by its PID. */
    record Server(Process process, int port, Path log) implements AutoCloseable {
        String logText() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts a distccd (ours: dist/bin/distccd, or the stock /usr/bin/distccd) on a free loopback port. */
    static Server startServer(List<String> prefix, String distccd, Path tmp) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile(tmp, "distccd", ".log");
        // Either server may write its log as another user (the stock one drops root; the test may run it as one).
        Files.setPosixFilePermissions(log, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(distccd, "--daemon", "--no-detach", "--log-file", log.toString(), "--log-level", "info",
                "--listen", "127.0.0.1", "--allow", "127.0.0.1", "--port", Integer.toString(port), "--jobs", "4",
                "--enable-tcp-insecure"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // A clean environment, as an init system gives it (the test JVM's own environment is Maven's).
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "TMPDIR", tmp.toString(), "HOME", tmp.toString(),
                "JDISTCC_JAVA", JAVA));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(distccd + " exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return new Server(p, port, log);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        fail(distccd + " did not listen on " + port);
        return null;
    }
}
