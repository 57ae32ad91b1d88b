package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jdistcc.protocol.RequestHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's index of packaged compilers, as the client reads it to name a toolchain (TOOL/TSRC). */
class ToolchainIndexTest {
    static final String DIGEST = "ab".repeat(32);

    @TempDir
    Path dir;

    Path driver() throws Exception {
        Path d = Files.createDirectories(dir.resolve("usr/bin")).resolve("x86_64-linux-gnu-gcc-12");
        Files.writeString(d, "a compiler driver");
        return d;
    }

    @Test
    void compilerReachedThroughALinkIsNamedByTheDigestOfItsDriverAndTheHubUrl() throws Exception {
        Path d = driver();
        Path link = Files.createSymbolicLink(dir.resolve("usr/bin/gcc"), d.getFileName());
        Path file = dir.resolve("index/toolchains");
        new ToolchainIndex("http://127.0.0.1:3640/", List.of(ToolchainIndex.entryFor(DIGEST, d))).write(file);
        ToolchainIndex read = ToolchainIndex.read(file);
        assertNotNull(read);
        assertEquals(new RequestHeader.ToolchainRef(DIGEST, "http://127.0.0.1:3640/"), read.forCompiler("gcc", link));
    }

    @Test
    void aDriverChangedSincePackagingIsNotNamedSoAnUpgradedCompilerNeverGetsItsPredecessorsDigest() throws Exception {
        Path d = driver();
        ToolchainIndex index = new ToolchainIndex("http://hub/", List.of(ToolchainIndex.entryFor(DIGEST, d)));
        Files.setLastModifiedTime(d, FileTime.fromMillis(Files.getLastModifiedTime(d).toMillis() + 60_000));
        assertNull(index.forCompiler("gcc", d));
    }

    @Test
    void compilersThatWereNeverPackagedAreNotNamed() throws Exception {
        Path d = driver();
        Path other = dir.resolve("usr/bin/clang");
        Files.writeString(other, "another compiler");
        ToolchainIndex index = new ToolchainIndex("http://hub/", List.of(ToolchainIndex.entryFor(DIGEST, d)));
        assertNull(index.forCompiler("clang", other));
        assertNull(index.forCompiler("gcc", null));
    }

    @Test
    void aMissingOrMalformedIndexMeansNamesOnly() throws Exception {
        assertNull(ToolchainIndex.read(dir.resolve("none")));
        Path bad = dir.resolve("bad");
        Files.writeString(bad, ToolchainIndex.MAGIC + "\nhub http://hub/\nnot-a-digest 1 2 /usr/bin/gcc\n");
        assertNull(ToolchainIndex.read(bad));
        Files.writeString(bad, "something else\n");
        assertNull(ToolchainIndex.read(bad));
        ToolchainIndex.FromFile lazy = new ToolchainIndex.FromFile(dir.resolve("none"));
        assertNull(lazy.forCompiler("gcc", driver()));
    }

    @Test
    void theIndexFileSitsNextToTheHubSocketTheLauncherUses() {
        assertEquals(Path.of("/x/idx"), ToolchainIndex.defaultFile(Map.of("JDISTCC_TOOLCHAIN_INDEX", "/x/idx",
                "DISTCC_DIR", "/d")));
        assertEquals(Path.of("/s/toolchains"), ToolchainIndex.defaultFile(Map.of("JDISTCC_HUB_SOCKET", "/s/hub.sock",
                "DISTCC_DIR", "/d")));
        assertEquals(Path.of("/d/jdistcc/toolchains"), ToolchainIndex.defaultFile(Map.of("DISTCC_DIR", "/d")));
        assertEquals(Path.of("/h/.distcc/jdistcc/toolchains"), ToolchainIndex.defaultFile(Map.of("HOME", "/h")));
    }
}
