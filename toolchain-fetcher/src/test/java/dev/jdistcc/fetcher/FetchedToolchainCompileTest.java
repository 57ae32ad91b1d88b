package dev.jdistcc.fetcher;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.toolchain.Commands;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on loopback: the hub packages native gcc/g++, the aarch64 and armhf cross compilers and clang, a
 * volunteer-side fetcher pulls, verifies and test-runs them, and fixtures preprocessed locally are compiled
 * inside the sandbox from the fetched bundles; the objects must equal local compiles byte for byte.
 */
class FetchedToolchainCompileTest {
    static final List<String> COMPILERS = List.of("gcc", "aarch64-linux-gnu-gcc", "arm-linux-gnueabihf-gcc", "clang");
    @TempDir
    static Path tmp;
    static Hub hub;
    static ToolchainFetcher fetcher;
    static ToolchainResolver resolver;
    static final List<FetchEvent> events = new CopyOnWriteArrayList<>();
    static List<ToolchainDigest> ready;

    @BeforeAll
    static void packageServeAndFetch() throws Exception {
        Tools.require("gcc", "gcc");
        Tools.require("g++", "g++");
        Tools.require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
        Tools.require("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf");
        Tools.require("clang", "clang");
        Sandbox.checkTools();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        hub = Hub.start(Hub.Config.defaults(tmp.resolve("hub")).withCompilers(COMPILERS), e -> { });
        int early = HttpClient.newHttpClient().send(HttpRequest.newBuilder(hub.url().resolve("v1/manifest.json")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertTrue(early == 503 || early == 200, "the hub answers at once, packaging in the background: " + early);
        awaitManifest(COMPILERS.size());
        Sandbox sandbox = new Sandbox(SandboxPolicy.DEFAULT);
        fetcher = new ToolchainFetcher(hub.url(), hub.store().publicKey(), new ToolchainCache(tmp.resolve("cache"), 2L << 30),
                sandbox, HostArch.current(), UnpackLimits.DEFAULT, events::add);
        resolver = new ToolchainResolver(fetcher, sandbox);
        ready = fetcher.syncAll();
    }

    /** Probes the store until the background packaging has published {@code n} toolchains (bounded). */
    static void awaitManifest(int n) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            if (hub.store().manifest().map(m -> m.manifest().toolchains().size()).orElse(0) >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the hub did not publish " + n + " toolchains within 5 minutes");
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = FetchedToolchainCompileTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Preprocesses locally, compiles locally and in the sandbox from the fetched bundle; returns both objects. */
    static byte[][] compileBothWays(String compiler, String fixture, String ext, LaunchSource source) throws Exception {
        Path local = Files.createTempDirectory(tmp, "local-");
        Files.write(local.resolve(fixture), fixture(fixture));
        Commands.Result pp = Commands.run(List.of(compiler, "-E", fixture, "-o", "in." + ext), Duration.ofMinutes(2), null, local);
        assertTrue(pp.ok(), pp.stderr());
        List<String> argv = List.of(compiler, "-O2", "-c", "in." + ext, "-o", "out.o");
        Commands.Result lc = Commands.run(argv, Duration.ofMinutes(2), null, local);
        assertTrue(lc.ok(), lc.stderr());

        Path job = Files.createTempDirectory(tmp, "job-");
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(local.resolve("in." + ext), job.resolve("in." + ext));
        try (LaunchPlan plan = source.plan(argv)) {
            plan.prepareJobDir(job);
            assertTrue(plan.argv().getFirst().startsWith("/usr/"), "argv[0] is the bundle's driver: " + plan.argv());
            Commands.Result rc = Commands.run(plan.command(job), plan.timeout(), Map.of(), job);
            assertTrue(rc.ok(), "sandboxed compile failed: " + rc.stderr());
        }
        return new byte[][]{Files.readAllBytes(local.resolve("out.o")), Files.readAllBytes(job.resolve("out.o"))};
    }

    interface LaunchSource {
        LaunchPlan plan(List<String> argv) throws FetchException;
    }

    static void assertSameObject(String compiler, String fixture, String ext) throws Exception {
        byte[][] o = compileBothWays(compiler, fixture, ext, resolver::resolveByName);
        assertTrue(o[0].length > 500, "a real object");
        assertArrayEquals(o[0], o[1], compiler + " " + fixture + ": sandboxed object differs from the local one");
    }

    @Test
    void everyPackagedToolchainIsFetchedVerifiedAndTestRun() {
        assertEquals(COMPILERS.size(), ready.size(), "ready: " + ready + " events: " + events);
        for (Class<?> kind : List.of(FetchEvent.ManifestLoaded.class, FetchEvent.DownloadStarted.class,
                FetchEvent.Verified.class, FetchEvent.Unpacked.class, FetchEvent.Ready.class)) {
            assertTrue(events.stream().anyMatch(kind::isInstance), "event " + kind.getSimpleName());
        }
        assertTrue(events.stream().noneMatch(FetchEvent.Failed.class::isInstance), events.toString());
    }

    @Test
    void nativeGccCompileInTheSandboxMatchesTheLocalObject() throws Exception {
        assertSameObject("gcc", "fixture.c", "i");
    }

    @Test
    void nativeGxxCompileInTheSandboxMatchesTheLocalObject() throws Exception {
        assertSameObject("g++", "fixture.cpp", "ii");
    }

    @Test
    void aarch64CrossCompileInTheSandboxMatchesTheLocalObject() throws Exception {
        assertSameObject("aarch64-linux-gnu-gcc", "fixture.c", "i");
    }

    @Test
    void armhfCrossCompileInTheSandboxMatchesTheLocalObject() throws Exception {
        assertSameObject("arm-linux-gnueabihf-gcc", "fixture.c", "i");
    }

    @Test
    void clangCompileInTheSandboxMatchesTheLocalObject() throws Exception {
        assertSameObject("clang", "fixture.c", "i");
    }

    @Test
    void clangxxCompileInTheSandboxMatchesTheLocalObject() throws Exception {
        assertSameObject("clang++", "fixture.cpp", "ii");
    }

    @Test
    void jobNamingAToolchainByDigestCompilesWithThatToolchain() throws Exception {
        ToolchainInfo t = fetcher.manifest().orElseThrow().forCompiler("aarch64-linux-gnu-gcc", HostArch.current()).orElseThrow();
        RequestHeader.ToolchainRef ref = new RequestHeader.ToolchainRef(t.digest().hex(), hub.url().toString());
        byte[][] o = compileBothWays("aarch64-linux-gnu-gcc", "fixture.c", "i", argv -> resolver.resolve(ref, argv));
        assertArrayEquals(o[0], o[1]);
    }

    @Test
    void allowListIsTheCompilerNamesInTheManifest() {
        assertTrue(resolver.allows("x86_64-linux-gnu-gcc-12"));
        assertTrue(resolver.allows("aarch64-linux-gnu-gcc"));
        assertTrue(resolver.allows("/usr/bin/arm-linux-gnueabihf-gcc"));
        assertFalse(resolver.allows("rm"));
        assertFalse(resolver.allows("evil-gcc"));
    }

    @Test
    void concurrentJobsForAnUncachedToolchainShareOneDownload() throws Exception {
        List<FetchEvent> seen = new CopyOnWriteArrayList<>();
        Sandbox sandbox = new Sandbox(SandboxPolicy.DEFAULT);
        ToolchainFetcher fresh = new ToolchainFetcher(hub.url(), hub.store().publicKey(),
                new ToolchainCache(tmp.resolve("cache2"), 2L << 30), sandbox, HostArch.current(), UnpackLimits.DEFAULT, seen::add);
        ToolchainDigest d = fresh.refreshManifest().forCompiler("gcc", HostArch.current()).orElseThrow().digest();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<ToolchainDigest>> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(pool.submit(() -> {
                try (ToolchainCache.Lease l = fresh.acquire(d)) {
                    return l.digest();
                }
            }));
        }
        for (Future<ToolchainDigest> j : jobs) {
            assertEquals(d, j.get());
        }
        pool.shutdown();
        assertEquals(1, seen.stream().filter(FetchEvent.DownloadStarted.class::isInstance).count(), seen.toString());
    }
}
