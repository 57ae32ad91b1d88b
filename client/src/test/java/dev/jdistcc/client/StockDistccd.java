package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Debian distccd 3.4 on an ephemeral loopback port, stopped by its PID. Its TMPDIR is world-writable
 * because distccd drops root privileges before compiling.
 */
final class StockDistccd implements AutoCloseable {
    static final Path DISTCCD = Path.of("/usr/bin/distccd");
    private final Process process;
    private final int port;
    private final Path log;

    private StockDistccd(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    int port() {
        return port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Starts distccd; {@code extra} are more daemon options (e.g. a different --allow). */
    static StockDistccd start(String... extra) throws Exception {
        requireTools();
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "jdistcc-srv");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = Files.createTempFile("jdistcc-distccd", ".log");
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of(DISTCCD.toString(), "--daemon", "--no-detach", "--log-stderr",
                    "--listen", "127.0.0.1", "--port", Integer.toString(port), "--jobs", "4"));
            if (!List.of(extra).contains("--allow")) {
                cmd.addAll(List.of("--allow", "127.0.0.1"));
            }
            cmd.addAll(List.of(extra));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("TMPDIR", tmp.toString());
            Process p = pb.start();
            if (awaitListening(p, port)) {
                return new StockDistccd(p, port, log);
            }
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        fail("distccd did not start; log:\n" + Files.readString(log));
        return null;
    }

    private static boolean awaitListening(Process p, int port) throws InterruptedException {
        for (int i = 0; i < 400 && p.isAlive(); i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    static void requireTools() {
        for (String tool : List.of("/usr/bin/distccd", "/usr/bin/distcc", "/usr/bin/gcc", "/usr/bin/g++")) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: apt-get install distcc gcc g++ (or run scripts/setup-debian)");
            }
        }
        if (!Files.exists(Path.of("/usr/lib/distcc/x86_64-linux-gnu-gcc"))
                || !Files.exists(Path.of("/usr/lib/distcc/x86_64-linux-gnu-g++"))) {
            fail("distccd's compiler whitelist lacks x86_64-linux-gnu-gcc/g++: run update-distcc-symlinks");
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: distccd's master takes its preforked children with it
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
