package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugInfoFixTest {
    @TempDir
    Path dir;

    @Test
    void rootPathInDebugSectionsBecomesSlashesOfTheSameLength() throws Exception {
        Tools.requireCompilers();
        Path root = Files.createDirectories(dir.resolve("distccd_ABCDEF"));
        Path src = Files.createDirectories(root.resolve("home/u")).resolve("a.c");
        Files.writeString(src, "int answer(void) { return 42; }\n");
        Run r = Run.of(src.getParent(), Map.of(), List.of("gcc", "-g", "-c", "a.c", "-o", "a.o"));
        assertEquals(0, r.exit(), r.stderr());
        byte[] obj = Files.readAllBytes(src.resolveSibling("a.o"));
        int size = obj.length;
        assertTrue(DebugInfoFix.fix(obj, root.toString()) >= 1);
        assertEquals(size, obj.length);
        String text = new String(obj, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(root.toString()));
        assertTrue(text.contains("/".repeat(root.toString().length()) + "/home/u"));
    }

    @Test
    void nonElfIsLeftAlone() {
        byte[] junk = "not an object /tmp/distccd_ABCDEF".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, DebugInfoFix.fix(junk, "/tmp/distccd_ABCDEF"));
    }
}
