package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.WireVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default {@link CompilerResolver}: allow-list, DISTCC_CMDLIST, PATH search. */
class CompilerAdmissionTest {
    @TempDir
    Path dir;
    Path allow;
    Path bin;

    @BeforeEach
    void layout() throws Exception {
        allow = Files.createDirectories(dir.resolve("masq"));
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String n : List.of("cc1x", "gcc")) {
            Files.createSymbolicLink(allow.resolve(n), Path.of("/usr/bin/distcc"));
            Path exe = Files.writeString(bin.resolve(n), "#!/bin/sh\n");
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    CompilerLaunch resolve(PathCompilerResolver r, String cc) throws JobRefused {
        return r.resolve(RequestHeader.of(WireVersion.V1, List.of(cc, "-c", "a.c")), ServerLog.DISCARD);
    }

    @Test
    void allowListedNameIsFoundOnThePath() throws Exception {
        PathCompilerResolver r = new PathCompilerResolver(List.of(allow), null, false, List.of(bin));
        assertEquals(bin.resolve("cc1x"), resolve(r, "cc1x").executable().orElseThrow());
        // /usr/bin/ passes the allow-list as if relative (#279) and then runs as given, like execvp.
        assertEquals(Path.of("/usr/bin/gcc"), resolve(r, "/usr/bin/gcc").executable().orElseThrow());
    }

    @Test
    void otherNamesAndPathsAreRefused() {
        PathCompilerResolver r = new PathCompilerResolver(List.of(allow), null, false, List.of(bin));
        for (String cc : List.of("sh", "/opt/bin/gcc", "bin/gcc", "..")) {
            JobRefused e = assertThrows(JobRefused.class, () -> resolve(r, cc), cc);
            assertEquals(JobRefused.Kind.COMPILER_NOT_ALLOWED, e.kind());
        }
    }

    @Test
    void insecureModeRunsAnythingOnThePath() throws Exception {
        Path sh = Files.writeString(bin.resolve("anything"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwxr-xr-x"));
        PathCompilerResolver r = new PathCompilerResolver(List.of(allow), null, true, List.of(bin));
        assertEquals(sh, resolve(r, "anything").executable().orElseThrow());
    }

    @Test
    void cmdListRemapsByTrailingPathComponents() throws Exception {
        Path list = Files.writeString(dir.resolve("cmdlist"), bin.resolve("gcc") + "\n/nowhere/x/cc1x\n");
        PathCompilerResolver r = new PathCompilerResolver(List.of(), CmdList.load(list, 1), false, List.of(bin));
        CompilerLaunch l = resolve(r, "/some/other/gcc");
        assertEquals(bin.resolve("gcc").toString(), l.name());
        assertEquals(bin.resolve("gcc"), l.executable().orElseThrow());
        assertThrows(JobRefused.class, () -> resolve(r, "clang"));
        assertTrue(resolve(r, "cc1x").executable().isPresent(), "a missing listed path falls back to its basename");
        assertEquals("/nowhere/x/cc1x", CmdList.load(list, 2).lookup("x/cc1x"));
        assertEquals(null, CmdList.load(list, 2).lookup("cc1x"));
    }

    @Test
    void allowedButUninstalledCompilerIsAMissingLaunchNotARefusal() throws Exception {
        Files.createSymbolicLink(allow.resolve("gcc-99"), Path.of("/usr/bin/distcc"));
        PathCompilerResolver r = new PathCompilerResolver(List.of(allow), null, false, List.of(bin));
        assertTrue(resolve(r, "gcc-99").executable().isEmpty());
    }

    @Test
    void toolchainRequestsAreRefusedByTheDefaultResolver() {
        PathCompilerResolver r = new PathCompilerResolver(List.of(allow), null, true, List.of(bin));
        RequestHeader h = new RequestHeader(WireVersion.extension(WireVersion.FEATURE_TOOLCHAIN),
                new RequestHeader.ToolchainRef("sha256:00", ""), null, List.of("gcc", "-c", "a.c"));
        assertEquals(JobRefused.Kind.TOOLCHAIN_UNAVAILABLE,
                assertThrows(JobRefused.class, () -> r.resolve(h, ServerLog.DISCARD)).kind());
    }
}
