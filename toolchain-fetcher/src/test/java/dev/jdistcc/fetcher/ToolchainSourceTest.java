package dev.jdistcc.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TSRC of a jdistcc request (issue 3 point 7): when the volunteer's configured hub does not offer the named digest,
 * the source the client named is tried, and used only if it proves to be a hub of the same key. Three real hubs on
 * loopback: the configured one (packages nothing), one sharing its signing key and one with a key of its own, both
 * packaging the armhf cross gcc (the same digest: the content is the same).
 */
class ToolchainSourceTest {
    @TempDir
    static Path tmp;
    static Hub configured;
    static Hub sameKey;
    static Hub otherKey;
    static ToolchainDigest arm;

    @BeforeAll
    static void startHubs() throws Exception {
        Tools.require("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf");
        Sandbox.checkTools();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        configured = Hub.start(Hub.Config.defaults(tmp.resolve("a")).withCompilers(List.of()), e -> { });
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.copy(tmp.resolve("a/signing-key.json"), b.resolve("signing-key.json"));
        sameKey = Hub.start(Hub.Config.defaults(b).withCompilers(List.of("arm-linux-gnueabihf-gcc")), e -> { });
        otherKey = Hub.start(Hub.Config.defaults(tmp.resolve("c")).withCompilers(List.of("arm-linux-gnueabihf-gcc")),
                e -> { });
        arm = awaitOne(sameKey);
        assertEquals(arm, awaitOne(otherKey));
        assertEquals(configured.store().publicKey().toString(), sameKey.store().publicKey().toString());
    }

    @AfterAll
    static void stop() {
        for (Hub h : new Hub[] {configured, sameKey, otherKey}) {
            if (h != null) {
                h.close();
            }
        }
    }

    static ToolchainDigest awaitOne(Hub hub) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            List<ToolchainInfo> t = hub.store().manifest().map(m -> m.manifest().toolchains()).orElse(List.of());
            if (!t.isEmpty()) {
                return t.getFirst().digest();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("hub " + hub.url() + " did not publish within 5 minutes");
    }

    record Volunteer(ToolchainResolver resolver, ToolchainCache cache, List<FetchEvent> events) {
    }

    /** A volunteer configured with the first hub and its key, with an empty cache of its own. */
    static Volunteer volunteer(String name) throws Exception {
        List<FetchEvent> events = new CopyOnWriteArrayList<>();
        Sandbox sandbox = new Sandbox(SandboxPolicy.DEFAULT);
        ToolchainCache cache = new ToolchainCache(tmp.resolve(name), 2L << 30);
        ToolchainFetcher f = new ToolchainFetcher(configured.url(), configured.store().publicKey(), cache, sandbox,
                HostArch.current(), UnpackLimits.DEFAULT, events::add);
        return new Volunteer(new ToolchainResolver(f, sandbox), cache, events);
    }

    static long downloads(List<FetchEvent> events) {
        return events.stream().filter(e -> e instanceof FetchEvent.DownloadStarted).count();
    }

    @Test
    void digestOnlyAHubOfTheSameKeyOffersIsFetchedFromTheNamedSourceOnceForConcurrentJobs() throws Exception {
        Volunteer v = volunteer("cache-same");
        RequestHeader.ToolchainRef ref = new RequestHeader.ToolchainRef(arm.hex(), sameKey.url().toString());
        List<String> argv = List.of("arm-linux-gnueabihf-gcc", "-c", "x.i", "-o", "x.o");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> a = pool.submit(() -> planned(v, ref, argv));
            Future<String> b = pool.submit(() -> planned(v, ref, argv));
            assertEquals(a.get(), b.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, downloads(v.events()), "one download for both jobs: " + v.events());
        assertTrue(v.cache().digests().contains(arm));
    }

    static String planned(Volunteer v, RequestHeader.ToolchainRef ref, List<String> argv) throws FetchException {
        try (LaunchPlan p = v.resolver().resolve(ref, argv)) {
            return p.digest().hex() + " " + p.argv().getFirst();
        }
    }

    @Test
    void sourceSignedWithAnotherKeyIsRefusedAndNothingIsDownloaded() throws Exception {
        Volunteer v = volunteer("cache-other");
        RequestHeader.ToolchainRef ref = new RequestHeader.ToolchainRef(arm.hex(), otherKey.url().toString());
        assertThrows(FetchException.Untrusted.class, () -> v.resolver().resolve(ref, List.of("arm-linux-gnueabihf-gcc")));
        assertEquals(0, downloads(v.events()));
        assertFalse(v.cache().digests().contains(arm));
    }

    @Test
    void sourcesThatAreNotWebAddressesAreNeverContacted() throws Exception {
        Volunteer v = volunteer("cache-bad");
        for (String src : List.of("", "file:///etc/", "ftp://127.0.0.1/", "http://user@127.0.0.1:1/", "not a url")) {
            RequestHeader.ToolchainRef ref = new RequestHeader.ToolchainRef(arm.hex(), src);
            assertThrows(FetchException.UnknownToolchain.class,
                    () -> v.resolver().resolve(ref, List.of("arm-linux-gnueabihf-gcc")), src);
        }
        assertEquals(0, downloads(v.events()));
    }
}
