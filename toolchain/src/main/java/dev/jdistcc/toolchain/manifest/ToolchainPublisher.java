package dev.jdistcc.toolchain.manifest;

import dev.jdistcc.toolchain.BundleWriter;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.pack.PackagedToolchain;
import dev.jdistcc.toolchain.sign.SigningKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns packaged toolchains into what a hub serves: an archive per bundle under {@code bundles/}, named by
 * content digest, and a signed manifest. Archives already written for a digest are reused.
 */
public final class ToolchainPublisher {
    public static final String BUNDLE_DIR = "bundles";
    private final Path root;
    private final SigningKey key;
    private final BundleWriter writer;
    private final Compression compression;

    public ToolchainPublisher(Path root, SigningKey key, Compression compression) {
        this.root = root;
        this.key = key;
        this.compression = compression;
        this.writer = BundleWriter.fromEnvironment(compression);
    }

    /** A manifest in its exact served bytes and the base64 signature over those bytes. */
    public record SignedManifest(Manifest manifest, String json, String signature) {
        public byte[] bytes() {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Writes (or reuses) the archive of {@code t} and returns its signed manifest entry. */
    public ToolchainInfo publish(PackagedToolchain t) throws IOException {
        Path dir = root.resolve(BUNDLE_DIR);
        Files.createDirectories(dir);
        String name = t.digest().hex() + "." + compression.extension();
        BundleWriter.Written w = writer.write(t.tree(), dir.resolve(name));
        ToolchainInfo.Archive archive = new ToolchainInfo.Archive(BUNDLE_DIR + "/" + name, compression, w.sha256(), w.size());
        ToolchainInfo info = new ToolchainInfo(t.digest(), t.family(), t.version(), t.target(), t.hostArch(),
                t.compilers(), t.tree().unpackedSize(), archive, "");
        return info.withSignature(key.signToText(info.statement()));
    }

    public SignedManifest sign(List<ToolchainInfo> toolchains) {
        Manifest m = new Manifest(key.publicKey().toString(), toolchains);
        String json = ManifestCodec.write(m);
        return new SignedManifest(m, json, key.signToText(json));
    }

    public Path root() {
        return root;
    }
}
