package dev.jdistcc.client.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real native launcher, compiled from source with gcc, talking to the resident side's socket. */
class HandoffLauncherTest {
    static Path launcher;

    @BeforeAll
    static void buildLauncher(@TempDir Path dir) throws Exception {
        Path src = Path.of("../distribution/src/c/jdistcc-launch.c").toAbsolutePath().normalize();
        Path home = Files.createDirectories(dir.resolve("dist/bin"));
        launcher = home.resolve("distcc-fast");
        Process p = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", launcher.toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "gcc failed (apt-get install gcc): " + out);
    }

    private static Process launch(Path socket, String... args) throws IOException {
        var cmd = new java.util.ArrayList<String>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JDISTCC_HUB_SOCKET", socket.toString());
        pb.environment().put("JDISTCC_NO_HUB", "1");
        pb.environment().remove("_DISTCC_SAFEGUARD");
        return pb.start();
    }

    @Test
    void finishedJobRelaysOutputAndExitCodeAndCarriesThePid(@TempDir Path dir) throws Exception {
        AtomicReference<HandoffRequest> seen = new AtomicReference<>();
        Path sock = dir.resolve("s/hub.sock");
        Process p;
        try (HandoffServer s = HandoffServer.start(sock, (req, session) -> {
            seen.set(req);
            session.out().write("out\n".getBytes());
            session.err().write("warn\n".getBytes());
            return 3;
        })) {
            p = launch(sock, "-c", "x.c", "-o", "x.o");
            assertEquals(3, p.waitFor());
            assertEquals("out\n", new String(p.getInputStream().readAllBytes()));
            assertEquals("warn\n", new String(p.getErrorStream().readAllBytes()));
        }
        assertEquals(List.of(launcher.toString(), "-c", "x.c", "-o", "x.o"), seen.get().argv());
        assertEquals(sock.toString(), seen.get().env().get("JDISTCC_HUB_SOCKET"));
        assertTrue(seen.get().cwd().startsWith("/"));
        assertEquals(p.pid(), seen.get().pid());
    }

    @Test
    void runLocallyPrintsEarlierOutputExecsTheCommandAndReturnsWhenItHasEnded(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s/hub.sock");
        Path marker = dir.resolve("ran");
        AtomicBoolean ranBeforeReturn = new AtomicBoolean();
        java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
        try (HandoffServer s = HandoffServer.start(sock, (req, session) -> {
            session.err().write("note\n".getBytes());
            session.runLocally(Map.of("JDISTCC_TEST_VAR", "v1"),
                    List.of("sh", "-c", "echo \"$JDISTCC_TEST_VAR\"; touch '" + marker + "'; exit 7"));
            ranBeforeReturn.set(Files.exists(marker));
            returned.countDown();
            return 0;
        })) {
            Process p = launch(sock, "-c", "x.c");
            assertEquals(7, p.waitFor());
            assertEquals("v1\n", new String(p.getInputStream().readAllBytes()));
            assertEquals("note\n", new String(p.getErrorStream().readAllBytes()));
            assertTrue(returned.await(60, java.util.concurrent.TimeUnit.SECONDS), "runLocally returned");
        }
        assertTrue(ranBeforeReturn.get(), "runLocally returned only after the command had run");
    }
}
