package dev.jdistcc.image.vm;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Local reference compiles (the objects the appliance's must equal). */
final class Compilers {

    private Compilers() {}

    /** Copies the test resource {@code source} into {@code dir}, runs {@code argv} there and returns {@code dir/<last arg>}. */
    static byte[] local(Path dir, String source, String... argv) throws Exception {
        Files.createDirectories(dir);
        try (InputStream in = Compilers.class.getResourceAsStream(source)) {
            Files.copy(in, dir.resolve(source));
        }
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("local " + argv[0] + " did not finish within 5 minutes");
        }
        if (p.exitValue() != 0) {
            fail("local " + String.join(" ", argv) + " failed (apt-get install gcc g++)");
        }
        return Files.readAllBytes(dir.resolve(argv[argv.length - 1]));
    }
}
