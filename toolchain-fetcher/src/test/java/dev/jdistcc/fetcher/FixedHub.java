package dev.jdistcc.fetcher;

import dev.jdistcc.hub.HubServer;
import dev.jdistcc.hub.store.ToolchainStore;
import dev.jdistcc.hub.volunteers.InMemoryVolunteerRegistry;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.Manifest;
import dev.jdistcc.toolchain.manifest.ManifestCodec;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher;
import dev.jdistcc.toolchain.sign.SigningKey;
import dev.jdistcc.toolchain.sign.TrustedKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A real hub HTTP server over hand-made (possibly hostile) archives: the test decides every manifest field and
 * which key signs what, then the real fetcher downloads from it over loopback.
 */
final class FixedHub implements AutoCloseable {
    final SigningKey key = SigningKey.generate();
    final Path dir;
    final List<ToolchainInfo> entries = new ArrayList<>();
    final Map<String, Path> files = new TreeMap<>();
    SigningKey manifestSigner = key;
    HubServer server;

    FixedHub(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Publishes {@code archive} claiming {@code digest}; {@code declaredSize} &lt; 0 means the real size. */
    ToolchainInfo add(byte[] archive, Compression c, ToolchainDigest digest, long declaredSize, SigningKey bundleSigner)
            throws Exception {
        String name = digest.hex() + "." + c.extension();
        Path f = Files.write(dir.resolve(name), archive);
        files.put(name, f);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        ToolchainInfo.Archive a = new ToolchainInfo.Archive("bundles/" + name, c, sha,
                declaredSize < 0 ? archive.length : declaredSize);
        ToolchainInfo t = new ToolchainInfo(digest, "gcc", "12", "x86_64-linux-gnu", HostArch.current(),
                new TreeMap<>(Map.of("gcc", "/usr/bin/gcc")), 0, a, "");
        t = t.withSignature(bundleSigner.signToText(t.statement()));
        entries.add(t);
        return t;
    }

    ToolchainInfo add(byte[] archive, Compression c, ToolchainDigest digest) throws Exception {
        return add(archive, c, digest, -1, key);
    }

    FixedHub start() {
        server = HubServer.builder(new ToolchainStore() {
            public Optional<ToolchainPublisher.SignedManifest> manifest() {
                Manifest m = new Manifest(key.publicKey().toString(), entries);
                String json = ManifestCodec.write(m);
                return Optional.of(new ToolchainPublisher.SignedManifest(m, json, manifestSigner.signToText(json)));
            }

            public Optional<BundleFile> bundle(String name) {
                Path f = files.get(name);
                return Optional.ofNullable(f).map(p -> {
                    try {
                        return new BundleFile(p, Files.size(p), name.substring(0, 64), "application/octet-stream");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }

            public TrustedKey publicKey() {
                return key.publicKey();
            }
        }, new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10))).start();
        return this;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
