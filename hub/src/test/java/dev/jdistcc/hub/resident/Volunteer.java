package dev.jdistcc.hub.resident;

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
 * A volunteer: the real Debian distccd 3.4 on an ephemeral port of a loopback address (127.0.0.x, so that two
 * volunteers are told apart in the monitor record), which a test can stop (SIGSTOP: it stalls), resume or kill.
 */
final class Volunteer implements AutoCloseable {
    private final Process process;
    private final String address;
    private final int port;
    private final Path log;

    private Volunteer(Process process, String address, int port, Path log) {
        this.process = process;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    static Volunteer start(String address) throws Exception {
        Rig.requireTools();
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "jdistcc-vol");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = Files.createTempFile("jdistcc-volunteer", ".log");
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(address, 0));
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/distccd", "--daemon", "--no-detach", "--log-stderr",
                    "--listen", address, "--port", Integer.toString(port), "--jobs", "2", "--allow", "127.0.0.0/8")
                    .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("TMPDIR", tmp.toString());
            Process p = pb.start();
            if (awaitListening(p, address, port)) {
                return new Volunteer(p, address, port, log);
            }
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        fail("distccd did not start; log:\n" + Files.readString(log));
        return null;
    }

    private static boolean awaitListening(Process p, String address, int port) throws InterruptedException {
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 1000);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** The host list entry, e.g. {@code 127.0.0.2:41234/2}. */
    String hostSpec() {
        return address + ":" + port + "/2";
    }

    String address() {
        return address;
    }

    /** Jobs this volunteer compiled (distccd logs COMPILE_OK for each). */
    long compiled() throws IOException {
        return Files.readString(log).lines().filter(l -> l.contains("COMPILE_OK")).count();
    }

    /**
     * Waits until at least {@code n} jobs were compiled and returns the count: distccd logs a job's summary
     * after sending the reply, so the client can be done before the line is written.
     */
    long awaitCompiled(long n) throws Exception {
        long c = compiled();
        for (int i = 0; i < 600 && c < n; i++) {
            Thread.sleep(100);
            c = compiled();
        }
        return c;
    }

    /** Waits until distccd has logged compiling {@code source} (its summary line names the input). */
    boolean awaitCompiledFile(String source) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.readString(log).lines().anyMatch(l -> l.contains("COMPILE_OK") && l.endsWith(" " + source))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private List<String> pids() {
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(process.pid()));
        process.descendants().forEach(h -> pids.add(Long.toString(h.pid())));
        return pids;
    }

    /** SIGSTOP to distccd and its workers: connections are still accepted by the kernel but never answered. */
    void stall() throws Exception {
        signal("-STOP");
    }

    void resume() throws Exception {
        signal("-CONT");
    }

    /** SIGKILL to distccd and its workers: the kernel resets their connections. */
    void kill() throws Exception {
        signal("-KILL");
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void signal(String sig) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", sig));
        cmd.addAll(pids());
        Process k = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        k.getInputStream().readAllBytes();
        k.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("-CONT");
            process.destroy(); // SIGTERM: distccd's master takes its workers with it
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
