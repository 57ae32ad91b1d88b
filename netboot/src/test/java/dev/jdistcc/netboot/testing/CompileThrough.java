package dev.jdistcc.netboot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A C file compiled by the stock Debian distcc 3.4 client through one volunteer (no local fallback), and the same
 * file compiled by the local gcc: the two objects must be byte-identical.
 */
public final class CompileThrough {

    static final Path DISTCC = Path.of("/usr/bin/distcc");
    static final String SOURCE = "mul.c";

    private CompileThrough() {}

    /**
     * @param netns   run the client in this namespace (null: here)
     * @param host    the volunteer as distcc's host list names it, e.g. {@code 127.0.0.1:40123}
     * @return distcc's verbose output, for figures and failure messages
     */
    public static String compileAndCompare(String netns, String host, Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(DISTCC)) {
            fail("the netboot VM tests need the stock distcc client: apt-get install distcc");
        }
        Path remote = source(dir.resolve("remote"));
        Path local = source(dir.resolve("local"));
        Files.createDirectories(dir.resolve("distcc-state"));
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of(DISTCC.toString(), "gcc", "-O2", "-c", SOURCE, "-o", "out.o"));
        Result r = run(cmd, remote, Map.of("DISTCC_HOSTS", host + "/1", "DISTCC_FALLBACK", "0",
                "DISTCC_SKIP_LOCAL_RETRY", "1", "DISTCC_VERBOSE", "1", "DISTCC_DIR", dir.resolve("distcc-state").toString()));
        assertEquals(0, r.exit, "distcc through " + host + " failed:\n" + r.output);
        Result g = run(List.of("gcc", "-O2", "-c", SOURCE, "-o", "out.o"), local, Map.of());
        assertEquals(0, g.exit, "local gcc failed (apt-get install gcc):\n" + g.output);
        assertArrayEquals(Files.readAllBytes(local.resolve("out.o")), Files.readAllBytes(remote.resolve("out.o")),
                "the object compiled through " + host + " differs from the local gcc's");
        return r.output;
    }

    private static Path source(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream in = CompileThrough.class.getResourceAsStream(SOURCE)) {
            Files.copy(in, dir.resolve(SOURCE));
        }
        return dir;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> cmd, Path dir, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, Thread::startVirtualThread);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", cmd) + " did not finish within 180 s");
        }
        try {
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(p.exitValue(), "(output lost: " + e + ")");
        }
    }
}
