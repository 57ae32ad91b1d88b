package dev.jdistcc.toolchain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A toolchain's identity: SHA-256 over its sorted (path, mode, content) listing ({@link ContentDigester}),
 * so it survives recompression and rebuilds (reference §1.2, icecream's md5-over-file-list idea).
 * Written as 64 lowercase hex digits, which is also the cache directory and the bundle file name.
 */
public record ToolchainDigest(String hex) implements Comparable<ToolchainDigest> {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ToolchainDigest {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a toolchain digest is 64 lowercase hex digits, got: " + hex);
        }
    }

    /** Parses user or wire input; throws {@link IllegalArgumentException} with the reason. */
    public static ToolchainDigest parse(String s) {
        return new ToolchainDigest(s);
    }

    public static boolean isValid(String s) {
        return s != null && HEX64.matcher(s).matches();
    }

    public static ToolchainDigest of(MessageDigest finishedSha256) {
        return new ToolchainDigest(HexFormat.of().formatHex(finishedSha256.digest()));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The first 12 digits, for log lines and names shown to people. */
    public String shortForm() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(ToolchainDigest o) {
        return hex.compareTo(o.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
