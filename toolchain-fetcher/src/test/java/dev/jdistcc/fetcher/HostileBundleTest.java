package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.sign.SigningKey;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a bundle can be hostile is refused with a typed error, and nothing of it stays in the cache. */
class HostileBundleTest {
    @TempDir
    Path tmp;
    FixedHub hub;
    ToolchainCache cache;
    static final ToolchainDigest D = ToolchainDigest.parse("d".repeat(64));

    @BeforeEach
    void setUp() throws Exception {
        hub = new FixedHub(tmp.resolve("hub"));
        cache = new ToolchainCache(tmp.resolve("cache"), 1L << 30);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    ToolchainFetcher fetcher(UnpackLimits limits) {
        hub.start();
        return new ToolchainFetcher(hub.server.url(), hub.key.publicKey(), cache, new Sandbox(SandboxPolicy.DEFAULT),
                HostArch.current(), limits, FetchListener.NONE);
    }

    <T extends FetchException> T refused(Class<T> type, byte[] archive) throws Exception {
        hub.add(archive, Compression.NONE, D);
        return refused(type, UnpackLimits.DEFAULT);
    }

    <T extends FetchException> T refused(Class<T> type, UnpackLimits limits) throws Exception {
        ToolchainFetcher f = fetcher(limits);
        T e = assertThrows(type, () -> f.acquire(D));
        assertCacheClean();
        return e;
    }

    void assertCacheClean() throws Exception {
        assertFalse(cache.contains(D));
        for (String sub : List.of("toolchains", "tmp")) {
            try (Stream<Path> s = Files.list(cache.root().resolve(sub))) {
                assertEquals(List.of(), s.toList(), "nothing half-unpacked in " + sub);
            }
        }
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        FetchException e = refused(FetchException.UnsafeBundle.class,
                new TarBuilder().dir("usr").file("usr/../../escaped", 0644, new byte[]{1}).build());
        assertTrue(e.getMessage().contains("traversal"), e.getMessage());
        assertFalse(Files.exists(cache.root().resolve("escaped")));
    }

    @Test
    void absolutePathIsRefused() throws Exception {
        FetchException e = refused(FetchException.UnsafeBundle.class,
                new TarBuilder().file("/tmp/jdistcc-absolute-" + ProcessHandle.current().pid(), 0644, new byte[]{1}).build());
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    }

    @Test
    void symlinkPointingOutOfTheBundleIsRefused() throws Exception {
        refused(FetchException.UnsafeBundle.class, new TarBuilder().dir("usr").symlink("usr/etc", "../../etc").build());
    }

    @Test
    void absoluteSymlinkTargetIsRefused() throws Exception {
        FetchException e = refused(FetchException.UnsafeBundle.class, new TarBuilder().symlink("passwd", "/etc/passwd").build());
        assertTrue(e.getMessage().contains("out of the bundle"), e.getMessage());
    }

    @Test
    void entryWrittenThroughASymlinkIsRefused() throws Exception {
        refused(FetchException.UnsafeBundle.class,
                new TarBuilder().dir("usr").symlink("lib", "usr").file("lib/x", 0644, new byte[]{1}).build());
    }

    @Test
    void deviceFileIsRefused() throws Exception {
        refused(FetchException.UnsafeBundle.class, new TarBuilder().special("null", TarConstants.LF_CHR).build());
    }

    @Test
    void hardLinkIsRefused() throws Exception {
        refused(FetchException.UnsafeBundle.class, new TarBuilder().special("h", TarConstants.LF_LINK).build());
    }

    @Test
    void setuidBitIsRefused() throws Exception {
        FetchException e = refused(FetchException.UnsafeBundle.class,
                new TarBuilder().dir("usr").file("usr/su", 04755, new byte[]{1}).build());
        assertTrue(e.getMessage().contains("setuid"), e.getMessage());
    }

    @Test
    void sizeBombIsRefusedBeforeFillingTheDisk() throws Exception {
        long huge = 64L << 20;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = Compression.GZIP.compress(gz)) {
            out.write(new TarBuilder().file("zeros", huge, zeros(huge)).build());
        }
        assertTrue(gz.size() < 1 << 20, "a small download");
        hub.add(gz.toByteArray(), Compression.GZIP, D);
        FetchException e = refused(FetchException.TooLarge.class, new UnpackLimits(16L << 20, 1000, 1L << 30));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    static InputStream zeros(long n) {
        return new InputStream() {
            long left = n;

            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }

    @Test
    void truncatedDownloadIsRefusedAndKeptOnlyForResuming() throws Exception {
        byte[] ok = new TarBuilder().dir("usr").file("usr/a", 0644, new byte[5000]).build();
        hub.add(Arrays.copyOf(ok, ok.length - 1000), Compression.NONE, D, ok.length, hub.key);
        refused(FetchException.Truncated.class, UnpackLimits.DEFAULT);
    }

    @Test
    void contentDigestMismatchIsRefused() throws Exception {
        FetchException e = refused(FetchException.DigestMismatch.class,
                new TarBuilder().dir("usr").file("usr/a", 0644, new byte[]{42}).build());
        assertTrue(e.getMessage().contains("not the toolchain"), e.getMessage());
    }

    @Test
    void bundleSignedByAnotherKeyIsRefused() throws Exception {
        hub.add(new TarBuilder().dir("usr").build(), Compression.NONE, D, -1, SigningKey.generate());
        refused(FetchException.Untrusted.class, UnpackLimits.DEFAULT);
    }

    @Test
    void manifestSignedByAnotherKeyIsRefused() throws Exception {
        hub.add(new TarBuilder().dir("usr").build(), Compression.NONE, D);
        hub.manifestSigner = SigningKey.generate();
        FetchException e = refused(FetchException.Untrusted.class, UnpackLimits.DEFAULT);
        assertTrue(e.getMessage().contains("manifest"), e.getMessage());
    }
}
