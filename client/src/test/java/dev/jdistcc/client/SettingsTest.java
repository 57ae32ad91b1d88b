package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DISTCC_LOG, DISTCC_VERBOSE, DISTCC_SAVE_TEMPS, TMPDIR and ,lz4 against a stock server. */
class SettingsTest {
    static StockDistccd server;
    @TempDir
    Path work;
    @TempDir
    Path distccDir;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = StockDistccd.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void fixtures() throws Exception {
        Fixtures.write(work);
    }

    private Run compile(Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.putIfAbsent("DISTCC_HOSTS", "127.0.0.1:" + server.port());
        env.put("TMPDIR", tmp.toString());
        return Run.exec(Run.jdistcc("distcc", "gcc", "-c", "src/hello.c", "-o", "x.o"), work, Run.env(distccDir, env));
    }

    @Test
    void verboseSuccessWithLogFilePrintsNothingAndLogsTheJob() throws Exception {
        Path log = work.resolve("distcc.log");
        Run r = compile(Map.of("DISTCC_VERBOSE", "1", "DISTCC_LOG", log.toString()));
        assertEquals(0, r.exit());
        assertEquals("", r.stdout() + r.stderr());
        assertTrue(Files.readString(log).contains("compile src/hello.c on 127.0.0.1:" + server.port() + " completed ok"));
    }

    @Test
    void unopenableLogFileIsReportedOnStderr() throws Exception {
        Run r = compile(Map.of("DISTCC_LOG", "/nonexistent/dir/distcc.log"));
        assertEquals(0, r.exit());
        assertTrue(r.stderr().contains("failed to open logfile"), r.stderr());
    }

    @Test
    void temporaryFilesGoToTmpdirAndAreRemovedUnlessSaved() throws Exception {
        assertEquals(0, compile(Map.of()).exit());
        assertEquals(0, count(tmp), "cpp output removed");
        assertEquals(0, compile(Map.of("DISTCC_SAVE_TEMPS", "1")).exit());
        assertEquals(1, count(tmp), "DISTCC_SAVE_TEMPS=1 keeps distcc_*.i");
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("distcc_.*\\.i")).count();
        }
    }

    @Test
    void lz4IsOnlySentWhenAskedForAndAStockServerThenFallsBack() throws Exception {
        Run r = compile(Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port() + ",lz4"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("running locally instead (server provided no answer"), r.stderr());
        assertTrue(Files.isRegularFile(work.resolve("x.o")));
    }

    @Test
    void objectModeFollowsTheUmaskLikeACompiler() throws Exception {
        assertEquals(0, compile(Map.of()).exit());
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("x.o")));
        Run local = Run.exec(java.util.List.of("gcc", "-c", "src/hello.c", "-o", "l.o"), work, Run.env(distccDir, Map.of()));
        assertEquals(0, local.exit());
        assertEquals(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(work.resolve("l.o"))), mode);
    }
}
