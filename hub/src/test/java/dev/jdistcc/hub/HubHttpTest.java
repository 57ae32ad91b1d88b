package dev.jdistcc.hub;

import dev.jdistcc.hub.store.ToolchainStore;
import dev.jdistcc.hub.volunteers.InMemoryVolunteerRegistry;
import dev.jdistcc.toolchain.BundleTree;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher;
import dev.jdistcc.toolchain.pack.PackagedToolchain;
import dev.jdistcc.toolchain.sign.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubHttpTest {
    @TempDir
    Path tmp;
    HubServer server;
    ToolchainInfo info;
    byte[] archive;
    final HttpClient http = HttpClient.newHttpClient();
    SigningKey key = SigningKey.generate();

    /** A store over one small published bundle; {@code ready} false simulates the first packaging round. */
    static ToolchainStore store(Path root, SigningKey key, ToolchainPublisher.SignedManifest m, boolean ready) {
        return new ToolchainStore() {
            public Optional<ToolchainPublisher.SignedManifest> manifest() {
                return ready ? Optional.of(m) : Optional.empty();
            }

            public Optional<BundleFile> bundle(String name) {
                return m.manifest().toolchains().stream().filter(t -> t.archive().path().equals("bundles/" + name)).findFirst()
                        .map(t -> new BundleFile(root.resolve(t.archive().path()), t.archive().size(), t.digest().hex(), "application/zstd"));
            }

            public dev.jdistcc.toolchain.sign.TrustedKey publicKey() {
                return key.publicKey();
            }
        };
    }

    @BeforeEach
    void start() throws Exception {
        BundleTree tree = new BundleTree();
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        tree.addFile("usr/bin/blob", Files.write(tmp.resolve("blob"), big), true);
        ToolchainPublisher pub = new ToolchainPublisher(tmp, key, Compression.ZSTD);
        info = pub.publish(new PackagedToolchain(tree, tree.digest(), "gcc", "12", "x86_64-linux-gnu", "x86_64",
                new TreeMap<>(java.util.Map.of("gcc", "/usr/bin/blob"))));
        archive = Files.readAllBytes(tmp.resolve(info.archive().path()));
        ToolchainPublisher.SignedManifest m = pub.sign(List.of(info));
        server = HubServer.builder(store(tmp, key, m, true), new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10)))
                .bind("127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void boundToLoopbackOnAnEphemeralPort() {
        assertTrue(server.url().toString().startsWith("http://127.0.0.1:"), server.url().toString());
        assertTrue(server.url().getPort() > 0);
    }

    @Test
    void manifestAndItsSignatureVerifyWithThePublishedKey() throws Exception {
        byte[] json = get("v1/manifest.json").body();
        String sig = new String(get("v1/manifest.json.sig").body(), StandardCharsets.US_ASCII);
        String k = new String(get("v1/key").body(), StandardCharsets.US_ASCII).strip();
        dev.jdistcc.toolchain.sign.TrustedKey.parse(k).verify(json, sig, "manifest");
        assertEquals("application/json", get("v1/manifest.json").headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void bundleCarriesDigestEtagAndResumesWithARangeRequest() throws Exception {
        String url = info.archive().path().replace("bundles/", "v1/bundles/");
        HttpResponse<byte[]> full = get(url);
        assertEquals(200, full.statusCode());
        assertArrayEquals(archive, full.body());
        assertEquals("\"" + info.digest().hex() + "\"", full.headers().firstValue("ETag").orElseThrow());
        assertEquals("application/zstd", full.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> tail = get(url, "Range", "bytes=1000-", "If-Range", "\"" + info.digest().hex() + "\"");
        assertEquals(206, tail.statusCode());
        assertEquals("bytes 1000-" + (archive.length - 1) + "/" + archive.length, tail.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(archive, 1000, archive.length), tail.body());
    }

    @Test
    void staleIfRangeServesTheWholeArchiveAndMatchingIfNoneMatchIs304() throws Exception {
        String url = info.archive().path().replace("bundles/", "v1/bundles/");
        assertEquals(200, get(url, "Range", "bytes=10-", "If-Range", "\"other\"").statusCode());
        assertEquals(304, get(url, "If-None-Match", "\"" + info.digest().hex() + "\"").statusCode());
        assertEquals(416, get(url, "Range", "bytes=" + archive.length + "-").statusCode());
        assertEquals(404, get("v1/bundles/" + "0".repeat(64) + ".tar.zst").statusCode());
    }

    @Test
    void manifestIsUnavailableWhileTheFirstPackagingRoundRuns() throws Exception {
        try (HubServer s = HubServer.builder(store(tmp, key, null, false),
                new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10))).start()) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(s.url().resolve("v1/manifest.json")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(503, r.statusCode());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
        }
    }
}
