package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression (found by the kernel workload benchmark): Kbuild's compiler probe pipes source into `gcc -E -`. */
class LocalStdinTest {
    @TempDir
    Path work;

    @Test
    void localPreprocessOfStdinReadsTheUsersStdin() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Run.jdistcc("distcc", "gcc", "-E", "-P", "-x", "c", "-")).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(Run.env(work.resolve(".distcc"), Map.of("DISTCC_HOSTS", "127.0.0.1:1")));
        Process p = pb.start();
        p.getOutputStream().write("__GNUC__\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("12", out.strip());
    }
}
