package dev.jdistcc.toolchain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Computes a {@link ToolchainDigest} from entries given in bundle order (sorted by path bytes). The listing
 * hashed is one line per entry: {@code d 0755 <path>}, {@code f <mode> <size> <sha256> <path>} or
 * {@code l <path> -> <target>}. The packager and the fetcher's unpacker both feed this, so the hub and the
 * volunteer agree on identity without trusting the archive's bytes or compression.
 */
public final class ContentDigester {
    private final MessageDigest md = ToolchainDigest.sha256();
    private byte[] last;

    public void dir(String path) {
        line("d 0755 " + path);
        order(path);
    }

    public void file(String path, int mode, long size, String sha256Hex) {
        line("f " + String.format("%04o", mode) + " " + size + " " + sha256Hex + " " + path);
        order(path);
    }

    public void symlink(String path, String target) {
        line("l " + path + " -> " + target);
        order(path);
    }

    public void add(BundleEntry e) {
        switch (e) {
            case BundleEntry.Dir d -> dir(d.path());
            case BundleEntry.File f -> file(f.path(), f.mode(), f.size(), f.sha256());
            case BundleEntry.Symlink s -> symlink(s.path(), s.target());
        }
    }

    public ToolchainDigest finish() {
        return ToolchainDigest.of(md);
    }

    private void line(String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
    }

    /** Entries must arrive strictly sorted: that is what makes the digest independent of archive order tricks. */
    private void order(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        if (last != null && java.util.Arrays.compareUnsigned(last, b) >= 0) {
            throw new IllegalStateException("bundle entries out of order or duplicated: " + path);
        }
        last = b;
    }

    /** The bundle order: unsigned comparison of the UTF-8 bytes of the paths. */
    public static int compare(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
