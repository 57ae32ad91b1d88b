package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.WireVersion;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, shutdown and the daemon's per-job limits, each on its own distccd process. */
class DaemonLifecycleTest {
    @TempDir
    static Path work;
    static byte[] hello;

    @BeforeAll
    static void fixtures() throws Exception {
        Tools.requireCompilers();
        Path project = Fixtures.project(Files.createDirectories(work.resolve("proj")));
        hello = Run.of(project, Map.of(), List.of("gcc", "-Iinclude", "-E", "src/hello.c")).stdout()
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] slow(long steps) throws Exception {
        return Run.of(work.resolve("proj"), Map.of(), List.of("g++", "-DSLOW_N=" + steps + "ULL", "-E",
                "src/slow.cpp")).stdout().getBytes(StandardCharsets.UTF_8);
    }

    static final List<String> HELLO = List.of("gcc", "-c", "hello.i", "-o", "hello.o");

    @Test
    void sigtermLetsTheRunningCompileFinishRefusesNewClientsAndRemovesThePidFile() throws Exception {
        Path dir = Files.createDirectories(work.resolve("drain"));
        Path pidFile = dir.resolve("distccd.pid");
        byte[] src = slow(600_000);
        try (OurDistccd d = OurDistccd.start(dir, Map.of(), "--allow", "127.0.0.1", "--pid-file", pidFile.toString())) {
            assertEquals(Long.toString(d.process.pid()), Files.readString(pidFile).trim());
            CompletableFuture<Optional<Response>> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return Wire.exchange(d.port, Wire.request(WireVersion.V2, FaultTest.SLOW_ARGV, src));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            FaultTest.awaitCompiler(d);
            d.process.destroy(); // SIGTERM
            while (accepts(d.port)) {
                Thread.sleep(20);
            }
            Response r = running.get().orElseThrow();
            assertEquals(0, r.status(), new String(r.stderr(), StandardCharsets.UTF_8));
            assertTrue(r.object().length > 0, "the drained job still delivers its object");
            d.process.waitFor();
            assertFalse(Files.exists(pidFile), "the daemon removes its pid file");
            String log = d.logText();
            // The compile, and perhaps one of our probe connections, was running when SIGTERM came.
            assertTrue(java.util.regex.Pattern.compile("waiting for [1-9] running jobs").matcher(log).find(), log);
            assertTrue(log.contains("COMPILE_OK"), log);
        }
    }

    static boolean accepts(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    @Test
    void extraClientsQueueBeyondTheJobLimit() throws Exception {
        Path dir = Files.createDirectories(work.resolve("queue"));
        byte[] src = slow(250_000);
        try (OurDistccd d = OurDistccd.start(dir, Map.of(), "--allow", "127.0.0.1", "--jobs", "1")) {
            List<CompletableFuture<Optional<Response>>> jobs = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jobs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return Wire.exchange(d.port, Wire.request(WireVersion.V2, FaultTest.SLOW_ARGV, src));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            int most = 0;
            while (!jobs.stream().allMatch(CompletableFuture::isDone)) {
                most = Math.max(most, (int) d.process.descendants().filter(FaultTest::isCc1plus).count());
                Thread.sleep(10);
            }
            assertTrue(most <= 1, "--jobs 1 ran " + most + " compilers at once");
            for (var j : jobs) {
                assertEquals(0, j.get().orElseThrow().status(), "the queued client is served, not dropped");
            }
        }
    }

    @Test
    void jobLifetimeKillsTheCompilerAndAnswersStatus118() throws Exception {
        Path dir = Files.createDirectories(work.resolve("lifetime"));
        byte[] src = slow(3_000_000);
        try (OurDistccd d = OurDistccd.start(dir, Map.of(), "--allow", "127.0.0.1", "--job-lifetime", "1")) {
            Response r = Wire.exchange(d.port, Wire.request(WireVersion.V1, FaultTest.SLOW_ARGV, src)).orElseThrow();
            assertEquals(118 << 8, r.status());
            assertEquals(0, r.object().length);
            d.awaitLog("COMPILE_TIMEOUT");
        }
    }

    @Test
    void clientOutsideTheAllowListIsDroppedWithoutAnswer() throws Exception {
        Path dir = Files.createDirectories(work.resolve("acl"));
        try (OurDistccd d = OurDistccd.start(dir, Map.of(), "--allow", "10.9.9.9/32")) {
            assertTrue(Wire.exchange(d.port, Wire.request(WireVersion.V1, HELLO, hello)).isEmpty());
            d.awaitLog("denied by access list");
        }
    }

    /** 3.4 forgot ::1 in its private ranges (and applied none of them): loopback IPv6 is allowed by default. */
    @Test
    void ipv6LoopbackIsAllowedWithoutAllowOption() throws Exception {
        Path dir = Files.createDirectories(work.resolve("v6"));
        Path ready = dir.resolve("ready");
        int port = Tools.freePort();
        ProcessBuilder pb = new ProcessBuilder(OurDistccd.javaCommand("--daemon", "--no-detach", "--listen", "::1",
                "--port", Integer.toString(port), "--log-stderr", "--ready-file", ready.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
        pb.environment().put("TMPDIR", Tools.openDir(dir.resolve("tmp")).toString());
        Process p = pb.start();
        try {
            while (!Files.exists(ready) || Files.size(ready) == 0) {
                assertTrue(p.isAlive(), () -> read(dir.resolve("log")));
                Thread.sleep(50);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("::1", port), 10_000);
                Wire.send(s, Wire.request(WireVersion.V1, HELLO, hello));
                assertEquals(0, Wire.read(s, WireVersion.V1).orElseThrow().status());
            }
            assertTrue(read(dir.resolve("log")).contains("private and loopback"), "the default is announced");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void inetdModeServesOneJobOverStdinAndStdout() throws Exception {
        Path dir = Tools.openDir(work.resolve("inetd/tmp"));
        ProcessBuilder pb = new ProcessBuilder(OurDistccd.javaCommand("--inetd"))
                .redirectError(work.resolve("inetd/err").toFile());
        pb.environment().put("TMPDIR", dir.toString());
        Process p = pb.start();
        Wire.request(WireVersion.V2, HELLO, hello).write(new dev.jdistcc.protocol.PacketWriter(p.getOutputStream()));
        Response r = Response.read(new dev.jdistcc.protocol.PacketReader(p.getInputStream(),
                dev.jdistcc.protocol.Limits.DEFAULT), WireVersion.V2);
        assertEquals(0, r.status(), new String(r.stderr(), StandardCharsets.UTF_8));
        assertTrue(r.object().length > 0);
        p.getOutputStream().close();
        assertEquals(0, p.waitFor());
    }

    @Test
    void statsPageHasDistccFormatWithBareNewlines() throws Exception {
        Path dir = Files.createDirectories(work.resolve("stats"));
        int statsPort = Tools.freePort();
        try (OurDistccd d = OurDistccd.start(dir, Map.of(), "--allow", "127.0.0.1", "--stats",
                "--stats-port", Integer.toString(statsPort))) {
            assertEquals(0, Wire.exchange(d.port, Wire.request(WireVersion.V1, HELLO, hello)).orElseThrow().status());
            d.awaitLog("COMPILE_OK");
            String page;
            try (Socket s = new Socket("127.0.0.1", statsPort)) {
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                page = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            }
            assertFalse(page.contains("\r"), "distccd's stats reply uses bare \\n");
            assertTrue(page.startsWith("HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\n"
                    + "argv /distccd\n<distccstats>\ndcc_tcp_accept "), page);
            assertTrue(page.contains("\ndcc_compile_ok 1\n"), page);
            assertTrue(page.contains("\ndcc_longest_job hello.i\ndcc_longest_job_compiler gcc\n"), page);
            assertTrue(page.endsWith("MB\n</distccstats>\n"), page);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void detachingDaemonReturnsOnlyOnceBoundWithThePidFileWritten() throws Exception {
        Path dir = Files.createDirectories(work.resolve("detach"));
        Path pidFile = dir.resolve("pid");
        int port = Tools.freePort();
        Run launcher = Run.of(dir, Map.of("TMPDIR", Tools.openDir(dir.resolve("tmp")).toString()),
                OurDistccd.javaCommand("--daemon", "--port", Integer.toString(port), "--listen", "127.0.0.1",
                        "--allow", "127.0.0.1", "--pid-file", pidFile.toString(), "--log-file",
                        dir.resolve("log").toString()));
        assertEquals(0, launcher.exit(), launcher.stderr());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        try {
            assertTrue(accepts(port), "bound before the launcher returned");
            assertNotEquals(ProcessHandle.current().pid(), pid);
        } finally {
            daemon.destroy();
            daemon.onExit().get();
        }
        assertFalse(Files.exists(pidFile));
    }
}
