package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian distccd 3.4, started for a test on a free loopback port and stopped by its PID. Test support:
 * a missing distccd or whitelist fails the test with the command that fixes it.
 */
final class RealDistccd implements AutoCloseable {
    /** Debian installs it in /usr/bin; upstream's default prefix uses sbin. */
    private static final List<Path> DISTCCD_PATHS = List.of(Path.of("/usr/bin/distccd"), Path.of("/usr/sbin/distccd"));
    private static final Path WHITELIST_GCC = Path.of("/usr/lib/distcc/gcc");

    private final Process process;
    private final int port;
    private final Path log;

    private RealDistccd(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static RealDistccd start() throws IOException, InterruptedException {
        Path distccd = DISTCCD_PATHS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (distccd == null) {
            fail("the real distccd 3.4 is needed: apt-get install distcc (or run scripts/setup-debian)");
        }
        if (!Files.exists(WHITELIST_GCC)) {
            fail("distccd's compiler whitelist is missing " + WHITELIST_GCC + ": run update-distcc-symlinks");
        }
        Path log = Files.createTempFile("jdistcc-distccd", ".log");
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder(distccd.toString(), "--daemon", "--no-detach", "--log-stderr",
                    "--allow", "127.0.0.1", "--listen", "127.0.0.1", "--port", Integer.toString(port),
                    "--jobs", "2", "--lifetime", "900")   // --lifetime: gone by itself even if this JVM dies
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().keySet().removeIf(k -> k.startsWith("DISTCC"));
            RealDistccd d = new RealDistccd(pb.start(), port, log);
            if (d.awaitListening()) {
                return d;
            }
            d.close();   // lost the port to someone else, or failed: try another
        }
        fail("distccd did not start; its log:\n" + Files.readString(log));
        return null;
    }

    /** One job over a fresh connection, written and read with our codec. Never half-closes (reference §1.1). */
    Response exchange(Request request) throws IOException {
        try (Socket s = connect()) {
            request.write(new PacketWriter(new BufferedOutputStream(s.getOutputStream())));
            return Response.read(new PacketReader(new BufferedInputStream(s.getInputStream()), Limits.DEFAULT),
                    request.version());
        }
    }

    /** One job whose request bytes the test wrote itself. */
    Response exchangeRaw(byte[] request, WireVersion version) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return Response.read(new PacketReader(new BufferedInputStream(s.getInputStream()), Limits.DEFAULT), version);
        }
    }

    Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(180_000);
        return s;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private boolean awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM to the master by PID; it signals its preforked children itself (dsignal.c). Children are
        // also stopped by their own PIDs in case the master is already gone.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
