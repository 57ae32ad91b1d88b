package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolchainCacheTest {
    @TempDir
    Path tmp;

    static ToolchainDigest d(char c) {
        return ToolchainDigest.parse(String.valueOf(c).repeat(64));
    }

    void put(ToolchainCache cache, char c, int size) throws Exception {
        Path dir = cache.newTempDir();
        Files.write(dir.resolve("f"), new byte[size]);
        cache.install(d(c), dir, size);
    }

    @Test
    void leastRecentlyUsedToolchainIsEvictedToStayWithinBudget() throws Exception {
        ToolchainCache cache = new ToolchainCache(tmp, 250);
        put(cache, 'a', 100);
        put(cache, 'b', 100);
        cache.lease(d('a')).orElseThrow().close(); // a is now more recent than b
        put(cache, 'c', 100);
        assertEquals(List.of(d('a'), d('c')), cache.digests());
        assertFalse(Files.exists(tmp.resolve("toolchains").resolve(d('b').hex())));
        assertTrue(cache.usedBytes() <= 250);
    }

    @Test
    void toolchainInUseIsNeverEvicted() throws Exception {
        ToolchainCache cache = new ToolchainCache(tmp, 150);
        put(cache, 'a', 100);
        try (ToolchainCache.Lease busy = cache.lease(d('a')).orElseThrow()) {
            assertThrows(FetchException.CacheFull.class, () -> put(cache, 'b', 100));
            assertTrue(Files.isDirectory(busy.root()), "the leased toolchain stays");
        }
        put(cache, 'b', 100);
        assertEquals(List.of(d('b')), cache.digests());
        try (var s = Files.list(tmp.resolve("tmp"))) {
            assertEquals(List.of(), s.toList(), "refused and evicted trees are deleted");
        }
    }

    @Test
    void restartFindsInstalledToolchainsAndDropsLeftoverUnpacks() throws Exception {
        ToolchainCache cache = new ToolchainCache(tmp, 1000);
        put(cache, 'a', 100);
        Files.createDirectories(tmp.resolve("tmp/unpack-crashed/usr"));
        Files.createDirectories(tmp.resolve("toolchains/not-a-digest"));
        ToolchainCache again = new ToolchainCache(tmp, 1000);
        assertEquals(List.of(d('a')), again.digests());
        assertEquals(100, again.usedBytes());
        assertFalse(Files.exists(tmp.resolve("tmp/unpack-crashed")));
        assertFalse(Files.exists(tmp.resolve("toolchains/not-a-digest")));
    }
}
