package dev.jdistcc.toolchain;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BundleWriterTest {
    @TempDir
    Path tmp;

    private BundleTree sample() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "alpha");
        Path b = Files.writeString(tmp.resolve("b"), "beta");
        BundleTree t = new BundleTree();
        t.addFile("usr/lib/libx.so.1.2", b, false);
        t.addFile("usr/bin/tool", a, true);
        t.addSymlink("usr/lib/libx.so.1", "libx.so.1.2");
        t.addSymlink("lib", "usr/lib");
        return t;
    }

    private static byte[] write(BundleTree t, Compression c, long epoch) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BundleWriter(c, epoch).writeTo(t, out);
        return out.toByteArray();
    }

    @Test
    void sameTreeWritesIdenticalBytesInEveryCompression() throws Exception {
        for (Compression c : Compression.values()) {
            assertArrayEquals(write(sample(), c, 0), write(sample(), c, 0), c.id());
        }
    }

    @Test
    void digestCoversContentNotArchiveBytes() throws Exception {
        assertEquals(sample().digest(), sample().digest());
        assertNotEquals(write(sample(), Compression.NONE, 0).length, write(sample(), Compression.GZIP, 0).length);
        BundleTree changed = sample();
        changed.addFile("usr/bin/other", Files.writeString(tmp.resolve("c"), "x"), false);
        assertNotEquals(sample().digest(), changed.digest());
    }

    @Test
    void archiveListsParentsFirstWithRootOwnershipAndClampedMtime() throws Exception {
        byte[] tar = write(sample(), Compression.NONE, 1_234_567_890L);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals(1_234_567_890_000L, e.getModTime().getTime(), e.getName());
            }
        }
        assertEquals(List.of("lib", "usr/", "usr/bin/", "usr/bin/tool", "usr/lib/", "usr/lib/libx.so.1", "usr/lib/libx.so.1.2"), names);
    }

    @Test
    void pathsThatLeaveTheBundleAreRejectedWhenBuilding() {
        BundleTree t = new BundleTree();
        assertThrows(IllegalArgumentException.class, () -> t.addSymlink("x", "/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> t.addDir("../up"));
        assertThrows(IllegalArgumentException.class, () -> t.addDir("/abs"));
    }
}
