package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.protocol.Request;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.SourceInput;
import dev.jdistcc.protocol.WireVersion;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.sign.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * distccd as a volunteer (issue 3 point 7): a real hub packages this machine's gcc/g++ and the aarch64 cross gcc,
 * a distccd that can reach none of the host's compilers (no masquerade directory, DISTCCD_PATH without compilers)
 * fetches them at start-up and compiles in the bubblewrap sandbox for the stock distcc 3.4 client and for a raw
 * jdistcc FEATURE_TOOLCHAIN request; objects must equal local compiles byte for byte.
 */
class HubVolunteerTest {
    @TempDir
    static Path tmp;
    static Path work;
    static Path project;
    static Hub hub;
    static OurDistccd volunteer;
    static int statsPort;
    static int advertisedPort;
    /** What the hub packages; a test adds a compiler after the volunteer's start-up sync. */
    static final List<String> hubCompilers = new CopyOnWriteArrayList<>(List.of("gcc", "aarch64-linux-gnu-gcc"));

    @BeforeAll
    static void startHubAndVolunteer() throws Exception {
        HubSupport.requireSandboxAndCompilers();
        Tools.require(Path.of("/usr/bin/aarch64-linux-gnu-gcc"), "gcc-aarch64-linux-gnu");
        work = Tools.openDir(tmp.resolve("w"));
        project = Fixtures.project(Tools.openDir(work.resolve("proj")));
        hub = HubSupport.startHub(Hub.Config.defaults(work.resolve("hub")).withCompilers(hubCompilers));
        statsPort = Tools.freePort();
        advertisedPort = Tools.freePort();
        volunteer = HubSupport.startVolunteer(work.resolve("volunteer"), HubSupport.volunteerArgs(hub.url(),
                hub.store().publicKey().toString(), work.resolve("cache/toolchains"), "--stats", "--stats-port",
                Integer.toString(statsPort), "--advertise-address", "127.0.0.1", "--advertise-port",
                Integer.toString(advertisedPort)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (volunteer != null) {
            volunteer.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** Compiles locally and through the stock client against the volunteer; returns {local, remote} objects. */
    static byte[][] localAndRemote(String compiler, String opt, String source) throws Exception {
        Path out = Files.createDirectories(project.resolve("out"));
        List<String> args = new ArrayList<>(List.of(compiler, "-O2", opt, "-Iinclude", "-c", source, "-o"));
        List<String> local = new ArrayList<>(args);
        local.add("out/local.o");
        Run l = Run.of(project, Map.of(), local);
        assertEquals(0, l.exit(), l.stderr());
        args.add("out/remote.o");
        Run r = Run.distcc(project, work.resolve("client"), "127.0.0.1:" + volunteer.port, Map.of(), args);
        assertEquals(0, r.exit(), "stock distcc through the volunteer failed: " + r.stderr() + "\nlog:\n"
                + volunteer.logText());
        byte[][] both = {Files.readAllBytes(out.resolve("local.o")), Files.readAllBytes(out.resolve("remote.o"))};
        Files.delete(out.resolve("local.o"));
        Files.delete(out.resolve("remote.o"));
        return both;
    }

    @Test
    void stockClientCompilesCWithTheFetchedGccByteIdenticalToLocal() throws Exception {
        byte[][] o = localAndRemote("gcc", "-g", "src/hello.c");
        assertTrue(o[0].length > 1000);
        assertArrayEquals(o[0], o[1], "object from the volunteer's sandboxed gcc differs from the local compile");
        // The stock client sends gcc as x86_64-linux-gnu-gcc; the manifest knows that name too.
        assertTrue(volunteer.awaitLog("COMPILE_OK").contains("x86_64-linux-gnu-gcc"), volunteer.logText());
    }

    @Test
    void stockClientCompilesCxxWithTheFetchedGxxByteIdenticalToLocal() throws Exception {
        // No -g: with -g, g++ compiling the .ii differs from compiling the .cpp on one machine without distcc
        // (DW_AT_decl_column of declarations in macro-expanded libstdc++ lines, readelf --debug-dump=info), so no
        // client-side-cpp setup, stock distccd included, can match a local -g C++ object.
        byte[][] o = localAndRemote("g++", "-Wall", "src/shapes.cpp");
        assertArrayEquals(o[0], o[1], "object from the volunteer's sandboxed g++ differs from the local compile");
    }

    @Test
    void stockClientCrossCompilesForAarch64ByteIdenticalToTheLocalCrossCompile() throws Exception {
        byte[][] o = localAndRemote("aarch64-linux-gnu-gcc", "-g", "src/hello.c");
        assertArrayEquals(o[0], o[1], "aarch64 object from the volunteer differs from the local cross compile");
    }

    @Test
    void featureToolchainRequestCompilesWithTheToolchainOfThatDigest() throws Exception {
        ToolchainDigest gcc = HubSupport.digestFor(hub, "gcc");
        Run cpp = Run.of(project, Map.of(), List.of("gcc", "-O2", "-Iinclude", "-E", "src/hello.c"));
        assertEquals(0, cpp.exit(), cpp.stderr());
        Path local = project.resolve("feature-local.o");
        Run lc = Run.of(project, Map.of(), List.of("gcc", "-O2", "-Iinclude", "-c", "src/hello.c", "-o", local.toString()));
        assertEquals(0, lc.exit(), lc.stderr());
        // The source is spelled differently from the volunteer's --hub: a hint only, the digest pins the toolchain.
        Response r = toolchainRequest(gcc.hex(), hub.url().toString().replace("127.0.0.1", "localhost"),
                cpp.stdout().getBytes(StandardCharsets.UTF_8)).orElseThrow(() -> new AssertionError(
                "the volunteer refused a toolchain it holds; log:\n" + logQuietly()));
        assertEquals(0, r.status(), new String(r.stderr(), StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(local), r.object());
    }

    @Test
    void digestPublishedAfterStartUpIsFetchedOnDemandForAFeatureToolchainRequest() throws Exception {
        Tools.require(Path.of("/usr/bin/arm-linux-gnueabihf-gcc"), "gcc-arm-linux-gnueabihf");
        hubCompilers.add("arm-linux-gnueabihf-gcc");
        hub.store().rescan();
        ToolchainDigest arm = HubSupport.digestFor(hub, "arm-linux-gnueabihf-gcc");
        Run cpp = Run.of(project, Map.of(), List.of("arm-linux-gnueabihf-gcc", "-O2", "-Iinclude", "-E", "src/hello.c"));
        assertEquals(0, cpp.exit(), cpp.stderr());
        List<String> argv = List.of("arm-linux-gnueabihf-gcc", "-O2", "-c", "src/hello.c", "-o", "hello.o");
        Path local = project.resolve("arm-local.o");
        Run lc = Run.of(project, Map.of(), List.of("arm-linux-gnueabihf-gcc", "-O2", "-Iinclude", "-c", "src/hello.c",
                "-o", local.toString()));
        assertEquals(0, lc.exit(), lc.stderr());
        Response r = toolchainRequest(arm.hex(), hub.url().toString(), argv, cpp.stdout().getBytes(StandardCharsets.UTF_8))
                .orElseThrow(() -> new AssertionError("refused; log:\n" + logQuietly()));
        assertEquals(0, r.status(), new String(r.stderr(), StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(local), r.object());
        assertTrue(volunteer.logText().contains("fetching toolchain " + arm.shortForm()), volunteer.logText());
    }

    @Test
    void unknownDigestIsRefusedWithoutAByteSoTheClientCompilesLocally() throws Exception {
        Optional<Response> r = toolchainRequest("0123456789abcdef".repeat(4), "",
                "int f(void) { return 1; }\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(r.isEmpty(), "an unknown toolchain must be refused (client falls back)");
        assertTrue(volunteer.awaitLog("0123456789ab").contains("unavailable"), volunteer.logText());
    }

    @Test
    void compilerNeitherInTheManifestNorInstalledIsRefused() throws Exception {
        // clang is not packaged by this hub, and the volunteer may not use the host's compilers.
        Optional<Response> r = Wire.exchange(volunteer.port, Wire.request(WireVersion.V1,
                List.of("clang", "-c", "x.c", "-o", "x.o"), "int f(void) { return 1; }\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(r.isEmpty());
        assertTrue(volunteer.awaitLog("clang is not a compiler in the manifest").contains("no compilers of its own"));
    }

    @Test
    void volunteerIsListedByTheHubWithItsAdvertisedAddressPortAndToolchains() throws Exception {
        String id = Files.readString(work.resolve("cache/toolchains/volunteer-id")).strip();
        String gcc = HubSupport.digestFor(hub, "gcc").hex();
        String cross = HubSupport.digestFor(hub, "aarch64-linux-gnu-gcc").hex();
        String list = HubSupport.awaitVolunteerList(hub, l -> l.contains("\"" + id + "\""));
        String compact = list.replaceAll("\\s+", "");
        assertTrue(compact.contains("\"id\":\"" + id + "\",\"address\":\"127.0.0.1\",\"port\":" + advertisedPort + ","),
                list);
        assertTrue(list.contains(gcc) && list.contains(cross), list);
    }

    @Test
    void statsPageKeepsTheStockBlockAndAppendsTheVolunteerStatus() throws Exception {
        String page = HubSupport.statsPage(statsPort);
        assertTrue(page.startsWith("HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\n"
                + "argv /distccd\n<distccstats>\ndcc_tcp_accept "), page);
        assertFalse(page.contains("\r"), page);
        int end = page.indexOf("</distccstats>\n");
        String extra = page.substring(end + "</distccstats>\n".length());
        assertTrue(extra.startsWith("<jdistcc-volunteer>\nhub " + hub.url() + "\nhub_state ok\n"), extra);
        // 2 from start-up, 3 once the on-demand test has run.
        assertTrue(extra.contains("\ntoolchains_held 2\n") || extra.contains("\ntoolchains_held 3\n"), extra);
        assertTrue(extra.contains(" x86_64-linux-gnu-gcc"), extra);
        assertTrue(extra.matches("(?s).*\nmem_total_kb [1-9]\\d*\nmem_available_kb [1-9]\\d*\nserver_rss_kb [1-9]\\d*\n"
                + "</jdistcc-volunteer>\n"), extra);
    }

    @Test
    void wrongKeyIsRefusedClearlyNothingIsCachedAndTheDaemonServesItsOwnCompilers() throws Exception {
        String wrong = SigningKey.generate().publicKey().toString();
        Path cache = work.resolve("wrong-cache/toolchains");
        int stats = Tools.freePort();
        // This volunteer has a masquerade directory of its own: the allow-list is the manifest plus that.
        Path masq = Tools.openDir(work.resolve("wrong-masq"));
        Files.createSymbolicLink(masq.resolve("gcc"), Path.of("/usr/bin/distcc"));
        List<String> args = HubSupport.volunteerArgs(hub.url(), wrong, cache, "--stats", "--stats-port",
                Integer.toString(stats), "--masquerade-dir", masq.toString());
        try (OurDistccd d = OurDistccd.start(Files.createDirectories(work.resolve("wrong")), Map.of(),
                args.toArray(String[]::new))) {
            String log = d.logText();
            assertTrue(log.contains("refusing hub " + hub.url()), log);
            assertTrue(log.contains("--trust"), "the message names the option to fix: " + log);
            try (Stream<Path> s = Files.list(cache.resolve("toolchains"))) {
                assertEquals(0, s.count(), "nothing of an untrusted hub is cached");
            }
            assertFalse(Files.exists(cache.resolve("manifest.json")));
            assertTrue(HubSupport.statsPage(stats).contains("\nhub_state untrusted\n"));
            Response r = Wire.exchange(d.port, Wire.request(WireVersion.V1, List.of("gcc", "-c", "x.c", "-o", "x.o"),
                    "int f(void) { return 1; }\n".getBytes(StandardCharsets.UTF_8))).orElseThrow();
            assertEquals(0, r.status(), new String(r.stderr(), StandardCharsets.UTF_8));
            assertTrue(d.process.isAlive());
        }
    }

    static Optional<Response> toolchainRequest(String digest, String source, byte[] preprocessed) throws Exception {
        return toolchainRequest(digest, source, List.of("gcc", "-O2", "-c", "src/hello.c", "-o", "hello.o"), preprocessed);
    }

    /** A raw jdistcc request naming a toolchain by digest (FEATURE_TOOLCHAIN: TOOL and TSRC after DIST). */
    static Optional<Response> toolchainRequest(String digest, String source, List<String> argv, byte[] preprocessed)
            throws Exception {
        WireVersion v = WireVersion.extension(WireVersion.FEATURE_TOOLCHAIN);
        RequestHeader h = new RequestHeader(v, new RequestHeader.ToolchainRef(digest, source), null, argv);
        return Wire.exchange(volunteer.port, new Request(h, new SourceInput.Preprocessed(preprocessed)));
    }

    static String logQuietly() {
        try {
            return volunteer.logText();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
