package dev.jdistcc.toolchain.manifest;

import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainDigest;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One manifest entry: a bundle's identity, what it answers to, and the archive to fetch.
 *
 * @param compilers compiler name → absolute driver path inside the bundle
 * @param signature base64 Ed25519 signature over {@link #statement()}
 */
public record ToolchainInfo(ToolchainDigest digest, String family, String version, String target, String hostArch,
                            SortedMap<String, String> compilers, long unpackedSize, Archive archive, String signature) {

    /** The downloadable archive: its path relative to the manifest URL, compression, own hash and size. */
    public record Archive(String path, Compression compression, String sha256, long size) {
    }

    public ToolchainInfo {
        compilers = Collections.unmodifiableSortedMap(new TreeMap<>(compilers));
    }

    /**
     * What the per-bundle signature covers: the content digest bound to the exact archive bytes (by hash and
     * size), so neither can be swapped without the client's key. Small, so signing needs no second pass over
     * a 30 MB archive.
     */
    public byte[] statement() {
        return statement(digest, archive).getBytes(StandardCharsets.UTF_8);
    }

    public static String statement(ToolchainDigest digest, Archive a) {
        return "jdistcc-bundle-v1\ndigest " + digest.hex() + "\narchive-sha256 " + a.sha256() + "\nsize " + a.size()
                + "\ncompression " + a.compression().id() + "\n";
    }

    public ToolchainInfo withSignature(String sig) {
        return new ToolchainInfo(digest, family, version, target, hostArch, compilers, unpackedSize, archive, sig);
    }

    /** Driver path inside the bundle for a compiler name (bare name, directories ignored), or null. */
    public String driverFor(String compilerName) {
        String base = compilerName.substring(compilerName.lastIndexOf('/') + 1);
        return compilers.get(base);
    }
}
