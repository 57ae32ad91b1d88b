package dev.jdistcc.client.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.LocalRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
    void runLocallyPrintsEarlierOutputRunsTheCommandAndReportsItsExitCode(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s/hub.sock");
        AtomicInteger reported = new AtomicInteger(-1);
        try (HandoffServer s = HandoffServer.start(sock, (req, session) -> {
            session.err().write("note\n".getBytes());
            reported.set(session.runLocally(Map.of("JDISTCC_TEST_VAR", "v1"),
                    List.of("sh", "-c", "echo \"$JDISTCC_TEST_VAR\"; read line; echo \"$line\"; exit 7")));
            session.err().write("after\n".getBytes());
            return reported.get() + 1;
        })) {
            Process p = launch(sock, "-c", "x.c");
            try (var in = p.getOutputStream()) {
                in.write("from stdin\n".getBytes());
            }
            assertEquals(8, p.waitFor());
            assertEquals("v1\nfrom stdin\n", new String(p.getInputStream().readAllBytes()));
            assertEquals("note\nafter\n", new String(p.getErrorStream().readAllBytes()));
        }
        assertEquals(7, reported.get());
    }

    @Test
    void preprocessRunsTheCommandWithItsOutputInAFile(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s/hub.sock");
        Path out = dir.resolve("cpp.out");
        try (HandoffServer s = HandoffServer.start(sock, (req, session) ->
                session.preprocess(Map.of(), List.of("sh", "-c", "echo preprocessed; echo cpp-warning >&2; exit 3"), out))) {
            Process p = launch(sock, "-c", "x.c");
            assertEquals(3, p.waitFor());
            assertEquals("", new String(p.getInputStream().readAllBytes()));
            assertEquals("cpp-warning\n", new String(p.getErrorStream().readAllBytes()));
        }
        assertEquals("preprocessed\n", Files.readString(out));
    }

    @Test
    void aCapturedPreprocessorsStderrComesBackToTheHubAndIsNotPrinted(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s/hub.sock");
        Path out = dir.resolve("cpp.out");
        AtomicReference<LocalRunner.CapturedCpp> failed = new AtomicReference<>();
        AtomicReference<LocalRunner.CapturedCpp> clock = new AtomicReference<>();
        AtomicReference<LocalRunner.CapturedCpp> lookalike = new AtomicReference<>();
        AtomicReference<Boolean> declared = new AtomicReference<>();
        try (HandoffServer s = HandoffServer.start(sock, (req, session) -> {
            declared.set(session.capturesPreprocessor());
            failed.set(session.preprocessCaptured(Map.of("V", "x"),
                    List.of("sh", "-c", "echo partial; echo \"complaint $V\" >&2; exit 4"), out));
            clock.set(session.preprocessCaptured(Map.of(),
                    List.of("sh", "-c", "echo 'const char *d = __DATE__;'; echo warned >&2"), out));
            lookalike.set(session.preprocessCaptured(Map.of(),
                    List.of("sh", "-c", "echo '#define __TIMER_INIT __DATE_X__ __TIME_'"), out));
            return session.preprocess(Map.of(), List.of("sh", "-c", "echo full; echo full-warning >&2"), out);
        })) {
            Process p = launch(sock, "-c", "x.c");
            assertEquals(0, p.waitFor());
            assertEquals("full-warning\n", new String(p.getErrorStream().readAllBytes()));
        }
        assertTrue(declared.get());
        assertEquals(4, failed.get().exitCode());
        assertEquals("complaint x\n", new String(failed.get().stderr()));
        assertEquals(0, clock.get().exitCode());
        assertTrue(clock.get().namesClock());
        assertEquals("warned\n", new String(clock.get().stderr()));
        assertFalse(lookalike.get().namesClock());
        assertEquals(0, lookalike.get().stderr().length);
        assertEquals("full\n", Files.readString(out));
    }

    @Test
    void theLaunchersFeaturesComeInANamelessEnvironmentItem() throws Exception {
        byte[] request;
        try (var b = new java.io.ByteArrayOutputStream(); var d = new java.io.DataOutputStream(b)) {
            d.write("JDL1".getBytes(StandardCharsets.US_ASCII));
            d.writeInt(1);
            writeString(d, "gcc");
            d.writeInt(2);
            writeString(d, "PATH=/bin");
            writeString(d, "=features=cpp-capture,something-newer");
            writeString(d, "/");
            writeString(d, "gcc");
            d.writeInt(022);
            d.writeInt(42);
            d.flush();
            request = b.toByteArray();
        }
        HandoffRequest withFeatures = HandoffRequest.read(new java.io.ByteArrayInputStream(request));
        assertEquals(java.util.Set.of("cpp-capture", "something-newer"), withFeatures.features());
        assertEquals(Map.of("PATH", "/bin"), withFeatures.env());
        assertEquals(java.util.Set.of(), new HandoffRequest(List.of("gcc"), Map.of(), "/", "gcc", 022, 1).features());
    }

    private static void writeString(java.io.DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    @Test
    void aLauncherWhoseHubDiesWithoutAnsweringRunsThePlainClient(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s/hub.sock");
        Path bin = launcher.getParent();
        Path plain = bin.resolve("distcc");
        Files.writeString(plain, "#!/bin/sh\necho \"plain client ran as $JDISTCC_ARGV0 with $*\"\n");
        Files.setPosixFilePermissions(plain, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (HandoffServer s = HandoffServer.start(sock, (req, session) -> {
            session.err().write("never shown\n".getBytes());
            throw new IOException("the hub fails");
        })) {
            Process p = launch(sock, "-c", "x.c");
            assertEquals(0, p.waitFor());
            assertEquals("plain client ran as " + launcher + " with -c x.c\n", new String(p.getInputStream().readAllBytes()));
            assertEquals("", new String(p.getErrorStream().readAllBytes()));
        } finally {
            Files.delete(plain);
        }
    }
}
