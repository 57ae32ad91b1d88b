package dev.jdistcc.client.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void finishedJobRelaysOutputAndExitCode(@TempDir Path dir) throws Exception {
        AtomicReference<HandoffRequest> seen = new AtomicReference<>();
        Path sock = dir.resolve("s/hub.sock");
        try (HandoffServer s = HandoffServer.start(sock, (req, cancel) -> {
            seen.set(req);
            return new HandoffReply.Finished("out\n".getBytes(), "warn\n".getBytes(), 3);
        })) {
            Process p = launch(sock, "-c", "x.c", "-o", "x.o");
            assertEquals(3, p.waitFor());
            assertEquals("out\n", new String(p.getInputStream().readAllBytes()));
            assertEquals("warn\n", new String(p.getErrorStream().readAllBytes()));
        }
        assertEquals(List.of(launcher.toString(), "-c", "x.c", "-o", "x.o"), seen.get().argv());
        assertEquals(sock.toString(), seen.get().env().get("JDISTCC_HUB_SOCKET"));
        assertTrue(seen.get().cwd().startsWith("/"));
    }

    @Test
    void runLocallyExecsTheCommandWithTheGivenEnvironment(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s/hub.sock");
        try (HandoffServer s = HandoffServer.start(sock, (req, cancel) -> new HandoffReply.RunLocally(
                Map.of("JDISTCC_TEST_VAR", "v1"), List.of("sh", "-c", "echo \"$JDISTCC_TEST_VAR\"; exit 7")))) {
            Process p = launch(sock, "-c", "x.c");
            assertEquals(7, p.waitFor());
            assertEquals("v1\n", new String(p.getInputStream().readAllBytes()));
        }
    }
}
