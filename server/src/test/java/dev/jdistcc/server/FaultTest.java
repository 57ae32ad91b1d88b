package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.WireVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken clients against a real distccd process: refusals send nothing, jobs never leak. */
class FaultTest {
    @TempDir
    static Path work;
    static OurDistccd server;
    static byte[] hello;
    static byte[] slow;

    static final List<String> SLOW_ARGV = List.of("g++", "-fconstexpr-ops-limit=4000000000",
            "-fconstexpr-loop-limit=2000000000", "-c", "slow.ii", "-o", "slow.o");

    @BeforeAll
    static void start() throws Exception {
        Tools.requireCompilers();
        Path project = Fixtures.project(Files.createDirectories(work.resolve("proj")));
        hello = Run.of(project, Map.of(), List.of("gcc", "-Iinclude", "-E", "src/hello.c")).stdout()
                .getBytes(StandardCharsets.UTF_8);
        // A compile that runs long enough to be interrupted: killed long before it would finish.
        slow = Run.of(project, Map.of(), List.of("g++", "-DSLOW_N=3000000ULL", "-E", "src/slow.cpp")).stdout()
                .getBytes(StandardCharsets.UTF_8);
        Path masq = Files.createDirectories(work.resolve("masq"));
        Files.createSymbolicLink(masq.resolve("gcc-not-installed-99"), Path.of("/usr/bin/distcc"));
        server = OurDistccd.start(Files.createDirectories(work.resolve("d")), Map.of(),
                "--allow", "127.0.0.1", "--masquerade-dir", masq.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static List<String> helloArgv(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("gcc", "-c", "hello.i", "-o", "hello.o"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void wellFormedRequestIsAnswered() throws Exception {
        Optional<Response> r = Wire.exchange(server.port, Wire.request(WireVersion.V2, helloArgv(), hello));
        assertTrue(r.isPresent());
        assertEquals(0, r.get().status(), new String(r.get().stderr(), StandardCharsets.UTF_8));
        assertTrue(r.get().object().length > 0);
    }

    @Test
    void jdistccLz4ExtensionIsServedLikeProtocolTwo() throws Exception {
        WireVersion lz4 = WireVersion.extension(WireVersion.FEATURE_LZ4);
        Response r = Wire.exchange(server.port, Wire.request(lz4, helloArgv(), hello)).orElseThrow();
        assertEquals(lz4, r.version());
        assertEquals(0, r.status());
        Response v2 = Wire.exchange(server.port, Wire.request(WireVersion.V2, helloArgv(), hello)).orElseThrow();
        assertArrayEquals(v2.object(), r.object());
    }

    @Test
    void toolchainRequestWithoutAToolchainStoreGetsNoAnswer() throws Exception {
        var header = new dev.jdistcc.protocol.RequestHeader(WireVersion.extension(WireVersion.FEATURE_TOOLCHAIN),
                new dev.jdistcc.protocol.RequestHeader.ToolchainRef("sha256:" + "0".repeat(64), ""), null, helloArgv());
        var request = new dev.jdistcc.protocol.Request(header, new dev.jdistcc.protocol.SourceInput.Preprocessed(hello));
        assertTrue(Wire.exchange(server.port, request).isEmpty());
    }

    @Test
    void garbageBytesGetNoAnswer() throws Exception {
        assertFalse(Wire.answersRaw(server.port, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Wire.answersRaw(server.port, "DIST0000000zARGC00000001".getBytes(StandardCharsets.US_ASCII)));
        server.awaitLog("REJ_BAD_REQ");
    }

    @Test
    void hugeArgcOrLengthIsRefusedWithoutAllocatingOrAnswering() throws Exception {
        assertFalse(Wire.answersRaw(server.port, "DIST00000001ARGCffffffff".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Wire.answersRaw(server.port,
                "DIST00000001ARGC00000001ARGV7fffffff".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Wire.answersRaw(server.port, ("DIST00000001ARGC00000004ARGV00000003gccARGV00000002-c"
                + "ARGV00000003t.cARGV00000004-ot.oDOTIfffffff0").getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void versionAboveThreeGetsNoAnswer() throws Exception {
        assertFalse(Wire.answersRaw(server.port, "DIST00000004".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void compilerNotOnTheAllowListGetsNoAnswer() throws Exception {
        for (String cc : List.of("sh", "/usr/local/bin/gcc", "../gcc")) {
            List<String> argv = new java.util.ArrayList<>(helloArgv());
            argv.set(0, cc);
            assertTrue(Wire.exchange(server.port, Wire.request(WireVersion.V1, argv, hello)).isEmpty(), cc);
        }
        assertTrue(server.awaitLog("sh not in").contains("whitelist"));
        // /usr/bin/ is stripped before the check, as distccd does for QtCreator (#279).
        List<String> argv = new java.util.ArrayList<>(helloArgv());
        argv.set(0, "/usr/bin/gcc");
        assertEquals(0, Wire.exchange(server.port, Wire.request(WireVersion.V1, argv, hello)).orElseThrow().status());
    }

    @Test
    void optionsThatRunClientChosenCodeGetNoAnswer() throws Exception {
        assertTrue(Wire.exchange(server.port, Wire.request(WireVersion.V1,
                helloArgv("-fplugin=/tmp/evil.so"), hello)).isEmpty());
        for (String opt : List.of("-specs=/tmp/evil.specs", "--specs=/tmp/evil.specs", "-wrapper", "-B/tmp/x/",
                "@/tmp/args.rsp")) {
            assertTrue(Wire.exchange(server.port, Wire.request(WireVersion.V1, helloArgv(opt), hello)).isEmpty(), opt);
        }
        server.awaitLog("-fplugin=/tmp/evil.so refused");
    }

    @Test
    void allowedButMissingCompilerAnswersFailedToExec() throws Exception {
        List<String> argv = new java.util.ArrayList<>(helloArgv());
        argv.set(0, "gcc-not-installed-99");
        Response r = Wire.exchange(server.port, Wire.request(WireVersion.V1, argv, hello)).orElseThrow();
        assertEquals(110 << 8, r.status());
        assertTrue(new String(r.stderr(), StandardCharsets.UTF_8).contains("failed to exec gcc-not-installed-99"));
        assertEquals(0, r.object().length);
    }

    @Test
    void clientDisconnectKillsTheCompilerAndItsJobDirectory() throws Exception {
        try (var s = Wire.connect(server.port)) {
            Wire.send(s, Wire.request(WireVersion.V1, SLOW_ARGV, slow));
            ProcessHandle cc1 = awaitCompiler(server);
            assertNotEquals("root", cc1.info().user().orElse("root"), "compilers never run as root");
        }
        server.awaitLog("CLI_DISCONN");
        while (server.process.descendants().anyMatch(FaultTest::isCc1plus)) {
            Thread.sleep(50);
        }
        while (hasJobDirs(server.tmp)) {
            Thread.sleep(50);
        }
    }

    static boolean hasJobDirs(Path tmp) throws java.io.IOException {
        try (var s = Files.list(tmp)) {
            return s.findAny().isPresent();
        }
    }

    static ProcessHandle awaitCompiler(OurDistccd d) throws InterruptedException {
        while (true) {
            Optional<ProcessHandle> p = d.process.descendants().filter(FaultTest::isCc1plus).findFirst();
            if (p.isPresent()) {
                return p.get();
            }
            assertTrue(d.process.isAlive());
            Thread.sleep(20);
        }
    }

    static boolean isCc1plus(ProcessHandle h) {
        return h.info().command().orElse("").endsWith("cc1plus");
    }
}
