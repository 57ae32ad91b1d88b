package dev.jdistcc.image.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs OUR client ({@code dev.jdistcc.client.DistccMain}, from the test class path) as a child JVM, as a user's
 * {@code distcc} would run: {@code distcc <compiler> -c ...} against the appliance's forwarded port only, with the
 * jdistcc lz4 extension, no local fallback and no local retry (so a zero exit means the appliance compiled it).
 */
final class JdistccClient {

    record Result(int exit, String output) {}

    private JdistccClient() {}

    /** Copies the test resource {@code source} into {@code dir} and runs {@code distcc argv...} there. */
    static Result compile(int port, int slots, Path dir, String source, String... argv) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        try (InputStream in = JdistccClient.class.getResourceAsStream(source)) {
            Files.copy(in, dir.resolve(source));
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "dev.jdistcc.client.DistccMain"));
        cmd.addAll(List.of(argv));
        Path state = Files.createDirectories(dir.resolve("distcc-state"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("DISTCC_HOSTS", "127.0.0.1:" + port + "/" + slots + ",lz4",
                "DISTCC_FALLBACK", "0", "DISTCC_SKIP_LOCAL_RETRY", "1", "DISTCC_VERBOSE", "1",
                "DISTCC_DIR", state.toString()));
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                out[0] = in.readAllBytes();
            } catch (IOException e) {
                out[0] = ("(reading the client's output failed: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the jdistcc client did not finish within 5 minutes: " + cmd);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
