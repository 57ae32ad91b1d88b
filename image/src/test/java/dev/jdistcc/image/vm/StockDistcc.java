package dev.jdistcc.image.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the stock Debian distcc 3.4 client against the appliance's forwarded port, with a deadline. */
final class StockDistcc {

    static final Path DISTCC = Path.of("/usr/bin/distcc");

    record Result(int exit, String stderr) {}

    private StockDistcc() {}

    /** Fails the test with the install command if the stock client is missing. */
    static void require() {
        if (!Files.isExecutable(DISTCC)) {
            fail("the VM tests need the stock distcc client: apt-get install distcc");
        }
    }

    /** {@code distcc gcc -c add.c -o add.o} with DISTCC_HOSTS=127.0.0.1:port and no local fallback. */
    static Result compile(int port, Path dir) throws IOException, InterruptedException {
        require();
        Path source = Files.createDirectories(dir).resolve("add.c");
        try (InputStream in = StockDistcc.class.getResourceAsStream("add.c")) {
            Files.copy(in, source);
        }
        Files.createDirectories(dir.resolve("distcc-state"));
        ProcessBuilder pb = new ProcessBuilder(List.of(DISTCC.toString(), "gcc", "-c", "add.c", "-o", "add.o"))
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("DISTCC_HOSTS", "127.0.0.1:" + port + "/1", "DISTCC_FALLBACK", "0",
                "DISTCC_SKIP_LOCAL_RETRY", "1", "DISTCC_VERBOSE", "1", "DISTCC_DIR", dir.resolve("distcc-state").toString()));
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("distcc did not finish within 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
