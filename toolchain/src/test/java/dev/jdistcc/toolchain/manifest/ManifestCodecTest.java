package dev.jdistcc.toolchain.manifest;

import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.sign.SigningKey;
import dev.jdistcc.toolchain.sign.TrustedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestCodecTest {
    static final String D = "ab".repeat(32);

    static ToolchainInfo sample() {
        TreeMap<String, String> c = new TreeMap<>();
        c.put("gcc", "/usr/bin/x86_64-linux-gnu-gcc-12");
        c.put("aarch64-linux-gnu-gcc", "/usr/bin/aarch64-linux-gnu-gcc-12");
        return new ToolchainInfo(ToolchainDigest.parse(D), "gcc", "12", "x86_64-linux-gnu", "x86_64", c, 81_000_000,
                new ToolchainInfo.Archive("bundles/" + D + ".tar.zst", Compression.ZSTD, "cd".repeat(32), 31_000_000), "c2ln");
    }

    @Test
    void manifestRoundTripsAndWritesStableBytes() throws Exception {
        Manifest m = new Manifest("ed25519:x", List.of(sample()));
        String json = ManifestCodec.write(m);
        assertEquals(m, ManifestCodec.read(json));
        assertEquals(json, ManifestCodec.write(ManifestCodec.read(json)));
    }

    @Test
    void unknownPropertyIsRejectedNamingIt() {
        String json = ManifestCodec.write(new Manifest("k", List.of(sample()))).replace("\"family\"", "\"colour\": \"red\",\n \"family\"");
        ToolchainException.BadManifest e = assertThrows(ToolchainException.BadManifest.class, () -> ManifestCodec.read(json));
        assertTrue(e.getMessage().contains("manifest.toolchains[0].colour: unknown property"), e.getMessage());
    }

    @Test
    void wrongKindOrNewerVersionIsRejected() {
        String json = ManifestCodec.write(new Manifest("k", List.of()));
        assertThrows(ToolchainException.BadManifest.class, () -> ManifestCodec.read(json.replace("toolchain-manifest", "other")));
        ToolchainException.BadManifest e = assertThrows(ToolchainException.BadManifest.class,
                () -> ManifestCodec.read(json.replace("\"version\": 1", "\"version\": 2")));
        assertTrue(e.getMessage().contains("manifest.version"), e.getMessage());
    }

    @Test
    void badDigestAndTraversingArchivePathAreRejectedNamingTheProperty() {
        String json = ManifestCodec.write(new Manifest("k", List.of(sample())));
        ToolchainException.BadManifest e = assertThrows(ToolchainException.BadManifest.class,
                () -> ManifestCodec.read(json.replace("\"digest\": \"" + D, "\"digest\": \"XY" + D.substring(2))));
        assertTrue(e.getMessage().contains("toolchains[0].digest"), e.getMessage());
        e = assertThrows(ToolchainException.BadManifest.class,
                () -> ManifestCodec.read(json.replace("\"path\": \"bundles/", "\"path\": \"../../etc/")));
        assertTrue(e.getMessage().contains("archive.path"), e.getMessage());
    }

    @Test
    void signaturesVerifyAndTamperingIsDetected(@TempDir Path tmp) throws Exception {
        SigningKey k = SigningKey.loadOrCreate(tmp.resolve("key.json"));
        SigningKey again = SigningKey.load(tmp.resolve("key.json"));
        assertEquals(k.publicKey(), again.publicKey());
        TrustedKey trusted = TrustedKey.parse(k.publicKey().toString());
        byte[] data = "manifest".getBytes(StandardCharsets.UTF_8);
        String sig = again.signToText(data);
        trusted.verify(data, sig, "manifest");
        assertThrows(ToolchainException.BadSignature.class,
                () -> trusted.verify("manifesT".getBytes(StandardCharsets.UTF_8), sig, "manifest"));
        TrustedKey other = SigningKey.generate().publicKey();
        assertThrows(ToolchainException.BadSignature.class, () -> other.verify(data, sig, "manifest"));
    }
}
