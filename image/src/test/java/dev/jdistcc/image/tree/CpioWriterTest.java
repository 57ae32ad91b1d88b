package dev.jdistcc.image.tree;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpioWriterTest {

    private static byte[] write(RootTree tree, long mtime) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = CpioWriter.write(tree, mtime, out);
        assertEquals(out.size(), n);
        assertEquals(0, n % 4);
        return out.toByteArray();
    }

    private static RootTree sample(Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("busybox"), "binary");
        return new RootTree()
                .file("/bin/busybox", f, 0755)
                .symlink("bin/sh", "busybox")
                .text("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644)
                .dir("tmp", 01777);
    }

    @Test
    void archiveReadsBackWithParentsFirstOwnerRootAndOneMtime(@TempDir Path dir) throws IOException {
        byte[] bytes = write(sample(dir), 1767225600L);
        List<String> names = new ArrayList<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(bytes))) {
            for (CpioArchiveEntry e; (e = in.getNextCPIOEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(CpioArchiveEntry.FORMAT_NEW, e.getFormat());
                assertEquals(0, e.getUID());
                assertEquals(0, e.getGID());
                assertEquals(1767225600L, e.getTime()); // seconds, as stored
                switch (e.getName()) {
                    case "bin/busybox" -> {
                        assertEquals(0100755, e.getMode());
                        assertEquals("binary", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    case "bin/sh" -> {
                        assertTrue(e.isSymbolicLink());
                        assertEquals("busybox", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    case "tmp" -> assertEquals(041777, e.getMode());
                    case "bin", "etc" -> assertEquals(040755, e.getMode());
                    default -> { }
                }
            }
        }
        assertEquals(List.of("bin", "bin/busybox", "bin/sh", "etc", "etc/passwd", "tmp"), names);
    }

    @Test
    void sameTreeGivesSameBytes(@TempDir Path dir) throws IOException {
        assertArrayEquals(write(sample(dir), 5), write(sample(dir), 5));
    }

    @Test
    void fileOverDirectoryIsRefused() {
        RootTree t = new RootTree().dir("etc");
        assertThrows(IllegalArgumentException.class, () -> t.text("etc", "x", 0644));
        assertThrows(IllegalArgumentException.class, () -> t.text("../escape", "x", 0644));
    }
}
