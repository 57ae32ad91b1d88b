package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distccd's command-line contract (reference §4): banners and exit codes scripts rely on. */
class CommandLineTest {
    @TempDir
    Path dir;

    Run distccd(List<String> jvm, String... args) throws Exception {
        return Run.of(dir, Map.of(), OurDistccd.javaCommand(jvm, args));
    }

    @Test
    void versionBannerNamesUsAndCarriesTheProtocolLine() throws Exception {
        Run r = distccd(List.of(), "--version");
        assertEquals(0, r.exit());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("distccd "), lines.get(0));
        assertTrue(lines.get(0).contains("jdistcc"), lines.get(0));
        assertEquals("  (protocols 1, 2 and 3) (default port 3632)", lines.get(1));
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        Run r = distccd(List.of(), "--help");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().contains("Usage:"));
        assertTrue(r.stdout().contains("--enable-tcp-insecure"));
    }

    @Test
    void badArgumentsExit101WithoutPidFile() throws Exception {
        Path pid = dir.resolve("pid");
        for (String[] args : List.of(new String[] {"--port", "80000"}, new String[] {"--bogus-option"},
                new String[] {"--jobs", "500"}, new String[] {"--log-level", "loud"},
                new String[] {"--allow", "10.0.0.0/99"})) {
            String[] withPid = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--no-detach", "--pid-file", pid.toString())).toArray(String[]::new);
            Run r = distccd(List.of(), withPid);
            assertEquals(101, r.exit(), String.join(" ", args) + ": " + r.stderr());
            assertFalse(Files.exists(pid));
        }
    }

    @Test
    void portInUseExits102() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = distccd(List.of(), "--no-detach", "--listen", "127.0.0.1", "--port",
                    Integer.toString(taken.getLocalPort()), "--allow", "127.0.0.1");
            assertEquals(102, r.exit(), r.stderr());
        }
    }

    @Test
    void noMasqueradeDirectoryExits110UnlessInsecure() throws Exception {
        List<String> noLibdir = List.of("-Djdistcc.libdir=" + dir.resolve("none"));
        Run r = distccd(noLibdir, "--no-detach", "--listen", "127.0.0.1", "--port", "1", "--allow", "127.0.0.1");
        assertEquals(110, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("--enable-tcp-insecure"), r.stderr());
        // With the allow-list off, start-up goes past the check: a taken port stops it right after, with 102.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run insecure = distccd(noLibdir, "--no-detach", "--listen", "127.0.0.1", "--port",
                    Integer.toString(taken.getLocalPort()), "--allow", "127.0.0.1", "--enable-tcp-insecure");
            assertEquals(102, insecure.exit(), insecure.stderr());
        }
    }
}
