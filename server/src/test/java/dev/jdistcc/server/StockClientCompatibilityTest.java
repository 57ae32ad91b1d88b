package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stock distcc 3.4 client against our distccd and against the stock distccd 3.4, same inputs: objects,
 * .d files, exit codes and diagnostics must match, in plain (protocol 1), LZO (2) and pump (3) modes.
 */
class StockClientCompatibilityTest {
    @TempDir
    static Path work;
    static Path project;
    static Path stubRoot;
    static String stub;
    static OurDistccd ours;
    static StockDistccd stock;

    @BeforeAll
    static void start() throws Exception {
        Tools.requireCompilers();
        Tools.requireDistcc();
        project = Fixtures.project(Tools.openDir(work.resolve("proj")));
        stubRoot = Files.createTempDirectory(Path.of("/tmp"), "jdistcc-stub").resolve("s");
        stub = Fixtures.includeServerStub(stubRoot, project, List.of("src/hello.c", "include/greet.h",
                "src/shapes.cpp", "src/bad.c", "src/warn.c"));
        // The same TMPDIR as the stock server: temporary names of equal length make gcc wrap .d lines alike.
        ours = OurDistccd.start(Files.createDirectories(work.resolve("ours")), Map.of("TMPDIR", "/tmp"),
                "--allow", "127.0.0.1");
        stock = StockDistccd.start(work.resolve("stock"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (stock != null) {
            stock.close();
        }
        if (stubRoot != null) {
            TempDirs.deleteTree(stubRoot.getParent());
        }
    }

    /** What one compile left behind. */
    record Result(Run run, byte[] object, String dotd) {
    }

    /** Compiles through one server (port 0: locally), with the output in build/out/, then removes the output. */
    static Result compile(int port, String opts, List<String> args) throws IOException, InterruptedException {
        Path out = project.resolve("build/out");
        TempDirs.deleteTree(project.resolve("build"));
        Files.createDirectories(out.resolve("obj"));
        List<String> cmd = new ArrayList<>(args);
        Run run;
        if (port == 0) {
            run = Run.of(project, Map.of(), cmd);
        } else {
            Map<String, String> env = opts.contains("cpp") ? Map.of("INCLUDE_SERVER_STUB", stub) : Map.of();
            run = Run.distcc(project, work.resolve("client"), "127.0.0.1:" + port + opts, env, cmd);
        }
        Path obj = out.resolve("obj/x.o");
        Path dotd = out.resolve("x.d");
        return new Result(run, Files.exists(obj) ? Files.readAllBytes(obj) : null,
                Files.exists(dotd) ? Files.readString(dotd) : null);
    }

    static final List<String> C_DEBUG = List.of("gcc", "-g", "-O2", "-Iinclude", "-MD", "-MF", "build/out/x.d",
            "-c", "src/hello.c", "-o", "build/out/obj/x.o");
    static final List<String> C_PLAIN = List.of("gcc", "-O2", "-Iinclude", "-c", "src/hello.c", "-o", "build/out/obj/x.o");
    static final List<String> CXX = List.of("g++", "-O2", "-c", "src/shapes.cpp", "-o", "build/out/obj/x.o");

    @ParameterizedTest(name = "hosts option \"{0}\"")
    @ValueSource(strings = {"", ",lzo"})
    void objectsAndDepsAreByteIdenticalToStockServerAndLocalCompile(String opts) throws Exception {
        for (List<String> args : List.of(C_DEBUG, CXX)) {
            Result mine = compile(ours.port, opts, args);
            Result theirs = compile(stock.port, opts, args);
            Result local = compile(0, opts, args);
            assertEquals(0, mine.run().exit(), mine.run().stderr());
            assertEquals("", mine.run().stderr(), "a successful distributed compile prints nothing");
            assertArrayEquals(theirs.object(), mine.object(), "object differs from stock distccd's: " + args);
            assertArrayEquals(local.object(), mine.object(), "object differs from a local compile: " + args);
            assertEquals(theirs.dotd(), mine.dotd());
        }
    }

    @Test
    void pumpObjectsWithoutDebugInfoAreByteIdenticalToStockServer() throws Exception {
        for (List<String> args : List.of(C_PLAIN, CXX)) {
            Result mine = compile(ours.port, ",lzo,cpp", args);
            Result theirs = compile(stock.port, ",lzo,cpp", args);
            assertEquals(0, mine.run().exit(), mine.run().stderr());
            assertTrue(ours.logText().contains("COMPILE_OK"), "served by our distccd");
            assertArrayEquals(theirs.object(), mine.object(), "pump object differs from stock distccd's: " + args);
            assertArrayEquals(compile(0, "", args).object(), mine.object());
        }
    }

    /**
     * With -g, stock 3.4 leaves its random root in DWARF 5's .debug_line_str, and the assembler orders merged
     * strings by content, so its pump objects differ run to run. Ours name the client's paths, as a local
     * compile does; the .d must match stock's exactly.
     */
    @Test
    void pumpWithDebugInfoMatchesLocalCompileAndItsDepsFileMatchesStock() throws Exception {
        Result mine = compile(ours.port, ",lzo,cpp", C_DEBUG);
        Result theirs = compile(stock.port, ",lzo,cpp", C_DEBUG);
        Result local = compile(0, "", C_DEBUG);
        assertEquals(0, mine.run().exit(), mine.run().stderr());
        assertFalse(new String(mine.object(), StandardCharsets.ISO_8859_1).contains("/distccd_"),
                "the server's private root leaked into the object");
        assertArrayEquals(local.object(), mine.object());
        assertEquals(theirs.dotd(), mine.dotd());
        assertTrue(mine.dotd().startsWith("build/out/obj/x.o: src/hello.c"), mine.dotd());
    }

    @ParameterizedTest(name = "hosts option \"{0}\"")
    @ValueSource(strings = {"", ",lzo", ",lzo,cpp"})
    void compileErrorGivesStockExitCodeAndDiagnostics(String opts) throws Exception {
        List<String> args = List.of("gcc", "-c", "src/bad.c", "-o", "build/out/obj/x.o");
        Result mine = compile(ours.port, opts, args);
        Result theirs = compile(stock.port, opts, args);
        assertEquals(1, theirs.run().exit());
        assertEquals(theirs.run().exit(), mine.run().exit());
        assertEquals(theirs.run().serverStderr(), mine.run().serverStderr());
        assertTrue(mine.run().stderr().contains("error:"), mine.run().stderr());
        assertEquals(null, mine.object(), "a failed compile writes no object");
    }

    @ParameterizedTest(name = "hosts option \"{0}\"")
    @ValueSource(strings = {"", ",lzo,cpp"})
    void warningReachesTheClientLikeStock(String opts) throws Exception {
        List<String> args = List.of("gcc", "-Wall", "-c", "src/warn.c", "-o", "build/out/obj/x.o");
        Result mine = compile(ours.port, opts, args);
        Result theirs = compile(stock.port, opts, args);
        assertEquals(0, mine.run().exit());
        assertTrue(mine.run().stderr().contains("-Wunused-variable"), mine.run().stderr());
        assertEquals(theirs.run().serverStderr(), mine.run().serverStderr());
        assertArrayEquals(theirs.object(), mine.object());
    }

    /** Issue point 20: stock distccd names the object's FILE symbol after its random temp file under -x c. */
    @Test
    void explicitLanguageObjectMatchesLocalCompile() throws Exception {
        List<String> args = List.of("gcc", "-g", "-O2", "-Iinclude", "-x", "c", "-c", "src/hello.c", "-o",
                "build/out/obj/x.o");
        Result mine = compile(ours.port, "", args);
        Result local = compile(0, "", args);
        assertEquals(0, mine.run().exit(), mine.run().stderr());
        assertArrayEquals(local.object(), mine.object());
    }
}
