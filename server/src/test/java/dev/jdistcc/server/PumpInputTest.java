package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.SourceInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol 3's tree, argv rewrite and .d clean-up. */
class PumpInputTest {
    @TempDir
    Path root;

    static SourceInput.FileTree tree(SourceInput.FileEntry... e) {
        return new SourceInput.FileTree(List.of(e));
    }

    static SourceInput.FileEntry file(String name, String text) {
        return new SourceInput.FileEntry.RegularFile(name, text.getBytes());
    }

    @Test
    void filesLandUnderTheRootAndAbsoluteLinksArePrefixed() throws Exception {
        PumpTree.materialize(root, tree(file("/home/u/p/a.c", "int a;"),
                new SourceInput.FileEntry.Symlink("/home/u/p/inc", "/opt/inc"),
                new SourceInput.FileEntry.Symlink("/home/u/p/rel", "../../../usr/include")));
        assertEquals("int a;", Files.readString(root.resolve("home/u/p/a.c")));
        assertEquals(root + "/opt/inc", Files.readSymbolicLink(root.resolve("home/u/p/inc")).toString());
        assertEquals("../../../usr/include", Files.readSymbolicLink(root.resolve("home/u/p/rel")).toString());
    }

    @Test
    void namesThatEscapeTheRootAreRefused() {
        for (String bad : List.of("/../etc/passwd", "/a/../../x", "relative.c", "/")) {
            JobRefused e = assertThrows(JobRefused.class, () -> PumpTree.materialize(root, tree(file(bad, "x"))), bad);
            assertEquals(JobRefused.Kind.BAD_INPUT_TREE, e.kind());
        }
    }

    @Test
    void noFileIsWrittenThroughALinkThatLeavesTheRoot() throws Exception {
        Path outside = Files.createTempDirectory("outside");
        try {
            assertThrows(JobRefused.class, () -> PumpTree.materialize(root, tree(
                    new SourceInput.FileEntry.Symlink("/d", outside.toString().replaceFirst("^/", "../../../../../../")),
                    file("/d/owned.c", "x"))));
            assertFalse(Files.exists(outside.resolve("owned.c")));
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void argvIsRewrittenAsDistccdDoesPlusTheDebugPrefixMap() throws Exception {
        ArgScan scan = ArgScan.scan(List.of("gcc", "-I/usr/local/inc", "-isystem", "/opt/sys", "-Irel", "-MD",
                "-MT", "tgt.o", "-c", "/src/a.c", "-o", "a.o"));
        PumpArgs p = PumpArgs.rewrite(scan, "/tmp/distccd_ABCDEF", "/tmp/j/o.o", "/tmp/j/deps.d");
        assertEquals(List.of("gcc", "-fdebug-prefix-map=/tmp/distccd_ABCDEF=", "-I/tmp/distccd_ABCDEF/usr/local/inc",
                "-isystem", "/tmp/distccd_ABCDEF/opt/sys", "-Irel", "-MD", "-c", "/tmp/distccd_ABCDEF/src/a.c",
                "-o", "/tmp/j/o.o", "-MF", "/tmp/j/deps.d"), p.argv());
        assertEquals("tgt.o", p.dotdTarget());
        assertTrue(PumpArgs.rewrite(ArgScan.scan(List.of("gcc", "-c", "a.c", "-o", "a.o")), "/r", "/o.o", "/d")
                .argv().contains("-MMD"), "-MMD is added when no .d was asked for");
    }

    @Test
    void depsFileGetsTheClientTargetAndLosesTheRoot() {
        String d = "/tmp/j/o.o: /tmp/distccd_ABCDEF/src/a.c \\\n /tmp/distccd_ABCDEF/src/a.h /usr/include/stdio.h\n";
        assertEquals("out/a.o: /src/a.c \\\n /src/a.h /usr/include/stdio.h\n",
                DotdFix.fix(d, "/tmp/distccd_ABCDEF", "out/a.o", "/tmp/j/o.o"));
    }

    @Test
    void workingDirectoryMarkerOfCppIsFound() {
        byte[] i = "# 0 \"src/a.c\"\n# 1 \"/home/u/proj//\"\n# 0 \"<built-in>\"\nint x;\n".getBytes();
        assertEquals("/home/u/proj", InputPlacement.clientWorkingDirectory(i));
        assertEquals(null, InputPlacement.clientWorkingDirectory("int x;\n".getBytes()));
    }
}
