package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fallback, retry and exit-code behaviour of reference §2.11 and §2.14, against real peers. */
class FallbackTest {
    @TempDir
    Path work;
    @TempDir
    Path distccDir;
    byte[] localObject;

    @BeforeEach
    void fixtures() throws Exception {
        StockDistccd.requireTools();
        Fixtures.write(work);
        Run local = Run.exec(java.util.List.of("gcc", "-c", "src/hello.c", "-o", "local.o"), work, Run.env(distccDir, Map.of()));
        assertEquals(0, local.exit(), local.toString());
        localObject = Files.readAllBytes(work.resolve("local.o"));
    }

    private Run jdistcc(Map<String, String> env, String... args) throws Exception {
        return Run.exec(Run.jdistcc("distcc", args), work, Run.env(distccDir, env));
    }

    static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void deadHostFallsBackLocallyWithOneWarningLine() throws Exception {
        int port = deadPort();
        Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1:" + port), "gcc", "-c", "src/hello.c", "-o", "x.o");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().matches("distcc\\[\\d+\\] Warning: failed to distribute src/hello.c to 127.0.0.1:" + port
                + ", running locally instead \\(failed to connect to 127.0.0.1:" + port + ": Connection refused\\)\\n"),
                r.stderr());
        assertArrayEquals(localObject, Files.readAllBytes(work.resolve("x.o")));
        assertTrue(Files.exists(distccDir.resolve("lock/backoff_tcp_127.0.0.1_" + port + "_0")), "host backed off");
    }

    @Test
    void refusingHostFallsBackAndShowsTheServersReason() throws Exception {
        try (StockDistccd refusing = StockDistccd.start("--allow", "10.9.9.9")) {
            Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1:" + refusing.port()), "gcc", "-c", "src/hello.c", "-o", "x.o");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            assertTrue(r.stderr().contains("running locally instead (server provided no answer"), r.stderr());
            assertArrayEquals(localObject, Files.readAllBytes(work.resolve("x.o")));
        }
    }

    @Test
    void fallbackDisabledWithDeadHostExits116AndWritesNothing() throws Exception {
        Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1:" + deadPort(), "DISTCC_FALLBACK", "0"),
                "gcc", "-c", "src/hello.c", "-o", "x.o");
        assertEquals(116, r.exit(), r.toString());
        assertTrue(r.stderr().contains("fallbacks are disabled"), r.stderr());
        assertFalse(Files.exists(work.resolve("x.o")));
    }

    @Test
    void stockAlsoExits116WhenFallbackIsDisabled() throws Exception {
        Run r = Run.exec(Run.stock("gcc", "-c", "src/hello.c", "-o", "x.o"), work,
                Run.env(distccDir, Map.of("DISTCC_HOSTS", "127.0.0.1:" + deadPort(), "DISTCC_FALLBACK", "0")));
        assertEquals(116, r.exit(), r.toString());
    }

    @Test
    void emptyHostListCompilesLocallyWithStocksWarning() throws Exception {
        Run r = jdistcc(Map.of("DISTCC_HOSTS", ""), "gcc", "-c", "src/hello.c", "-o", "x.o");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().matches(
                "distcc\\[\\d+\\] Warning: \\$DISTCC_HOSTS contained no hosts; can't distribute work\\n"), r.stderr());
        assertArrayEquals(localObject, Files.readAllBytes(work.resolve("x.o")));
    }

    @Test
    void unknownHostOptionRejectsTheListAndCompilesLocally() throws Exception {
        Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1,zstd"), "gcc", "-c", "src/hello.c", "-o", "x.o");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("ERROR: unrecognized option in host specification: ,zstd"), r.stderr());
        assertArrayEquals(localObject, Files.readAllBytes(work.resolve("x.o")));
    }

    @Test
    void zeroBackoffPeriodTriesAtMostThreeTimes() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket s = refusing.accept()) {
                        accepted.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1:" + refusing.getLocalPort(), "DISTCC_BACKOFF_PERIOD", "0"),
                    "gcc", "-c", "src/hello.c", "-o", "x.o");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(3, accepted.get(), "three tries, not distcc 3.4's endless loop (#434)");
            assertFalse(Files.exists(distccDir.resolve("lock/backoff_tcp_127.0.0.1_" + refusing.getLocalPort() + "_0")));
        }
    }

    @Test
    void serverThatStopsReadingTimesOutAndFallsBack() throws Exception {
        // ~24 MB of preprocessed source: more than the loopback socket buffers hold, so the send blocks.
        StringBuilder big = new StringBuilder("# 1 \"big.c\"\n");
        for (int i = 0; i < 400_000; i++) {
            big.append("static int v").append(i).append(" = ").append(i).append("; /* padding padding padding */\n");
        }
        Files.writeString(work.resolve("big.i"), big);
        try (HangingServer server = new HangingServer()) {
            Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port(), "DISTCC_IO_TIMEOUT", "1"),
                    "gcc", "-c", "big.i", "-o", "big.o");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("running locally instead (I/O error: send stalled for DISTCC_IO_TIMEOUT"),
                    r.stderr());
        }
    }

    @Test
    void recursionGuardExits111() throws Exception {
        Run r = jdistcc(Map.of("_DISTCC_SAFEGUARD", "1", "DISTCC_HOSTS", "localhost"), "gcc", "-c", "src/hello.c");
        assertEquals(111, r.exit());
        assertTrue(r.stderr().contains("CRITICAL! distcc seems to have invoked itself recursively!"), r.stderr());
    }

    @Test
    void badIoTimeoutExits101() throws Exception {
        assertEquals(101, jdistcc(Map.of("DISTCC_IO_TIMEOUT", "0"), "gcc", "-c", "src/hello.c").exit());
    }

    @Test
    void noArgumentsExits101LikeStock() throws Exception {
        Run ours = Run.exec(Run.jdistcc("/usr/bin/distcc"), work, Run.env(distccDir, Map.of()));
        Run stock = Run.exec(Run.stock(), work, Run.env(distccDir, Map.of()));
        assertEquals(101, ours.exit());
        assertEquals(stock.stderr(), ours.stderr());
    }

    @Test
    void linkingRunsLocallyWithoutHosts() throws Exception {
        Run r = jdistcc(Map.of("DISTCC_HOSTS", "127.0.0.1:" + deadPort()), "gcc", "src/hello.c", "-o", "hello");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr());
        assertTrue(Files.isExecutable(work.resolve("hello")));
    }
}
