package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partial preprocessing on the resident path: the real launcher runs {@code gcc -E -fdirectives-only}, a real
 * distccd 3.4 expands the macros. A warning inside a macro proves where the macros were expanded: only a
 * compiler that sees the macro definitions adds gcc's "in expansion of macro" note, as a local compile does.
 */
class PartialCppCompileTest {
    static final String DIV = "#define DIV(a) ((a) / 0)\nint f(int x) { return DIV(x); }\n";
    static final String NOTE = "note: in expansion of macro";
    /** These sources are small: by default (auto) a full cpp is cheaper for them, so they ask for partial. */
    static final Map<String, String> PARTIAL = Map.of("JDISTCC_CPP", "partial");
    @AutoClose
    static HubWithVolunteer hub;
    @TempDir
    Path work;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        hub = HubWithVolunteer.start(dir);
    }

    Rig.Result gcc(Map<String, String> extraEnv, String... args) throws Exception {
        return gccIn(work, extraEnv, args);
    }

    Rig.Result gccIn(Path cwd, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(hub.rig().masq.resolve("gcc").toString()));
        cmd.addAll(List.of(args));
        Map<String, String> env = hub.rig().hubOnlyEnv(hub.distccDir(), hub.volunteer().hostSpec());
        env.put("DISTCC_FALLBACK", "0");
        env.putAll(extraEnv);
        return Rig.run(cmd, cwd, env, null);
    }

    /** The same command with the real gcc in a directory of its own holding the same source. */
    Path local(String name, String text, String... args) throws Exception {
        Path here = Files.createDirectories(work.resolve("local"));
        Files.writeString(here.resolve(name), text);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/gcc"));
        cmd.addAll(List.of(args));
        Rig.Result r = Rig.run(cmd, here, Map.of("PATH", "/usr/bin:/bin", "LANG", "C", "SOURCE_DATE_EPOCH", "86400"), null);
        assertEquals(0, r.exit(), r.toString());
        return here;
    }

    @Test
    void aPartialJobGivesTheLocalObjectAndDependenciesAndItsWarningsNameTheMacroAsLocally() throws Exception {
        Files.writeString(work.resolve("div.c"), DIV);
        Rig.Result r = gcc(PARTIAL, "-O2", "-Wall", "-MD", "-c", "div.c", "-o", "div.o");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("warning: division by zero"), r.toString());
        assertTrue(r.stderr().contains(NOTE), "the volunteer expanded the macro:\n" + r);
        assertTrue(hub.volunteer().awaitCompiledFile("div.c"), hub.volunteer().log());
        Path local = local("div.c", DIV, "-O2", "-Wall", "-MD", "-c", "div.c", "-o", "div.o");
        assertArrayEquals(Files.readAllBytes(local.resolve("div.o")), Files.readAllBytes(work.resolve("div.o")));
        assertEquals(Files.readString(local.resolve("div.d")), Files.readString(work.resolve("div.d")));
    }

    @Test
    void aSourceThatNamesTheDateIsPreprocessedFullyHereSoTheVolunteersClockNeverCounts() throws Exception {
        String src = "const char *stamp = __DATE__ \" \" __TIME__;\n";
        Files.writeString(work.resolve("stamp.c"), src);
        Path log = work.resolve("distcc.log");
        Rig.Result r = gcc(Map.of("JDISTCC_CPP", "partial", "SOURCE_DATE_EPOCH", "86400", "DISTCC_VERBOSE", "1",
                        "DISTCC_LOG", log.toString()),
                "-O2", "-c", "stamp.c", "-o", "stamp.o");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr());
        Path local = local("stamp.c", src, "-O2", "-c", "stamp.c", "-o", "stamp.o");
        assertArrayEquals(Files.readAllBytes(local.resolve("stamp.o")), Files.readAllBytes(work.resolve("stamp.o")),
                "the object holds this machine's SOURCE_DATE_EPOCH date");
        String jobLog = Files.readString(log);
        assertTrue(jobLog.contains("partial cpp of stamp.c replaced by a full one: its output names __DATE__, __TIME__ or "
                + "__TIMESTAMP__"), jobLog);
        assertTrue(jobLog.contains("compile stamp.c on " + hub.volunteer().hostSpec() + " completed ok"), jobLog);
    }

    @Test
    void aSourceGccCannotPartiallyPreprocessIsPreprocessedFullyWithoutShowingThePartialRunsComplaints()
            throws Exception {
        // gcc 12 stops with an internal compiler error on #pragma message under -E -fdirectives-only, and
        // rejects __COUNTER__ in a directive: both compile as usual with a full cpp.
        String src = "#pragma message(\"built here\")\n#if __COUNTER__ == 0\nint first;\n#endif\nint g(void) { return 1; }\n";
        Files.writeString(work.resolve("prag.c"), src);
        Rig.Result r = gcc(PARTIAL, "-O2", "-c", "prag.c", "-o", "prag.o");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.stderr().contains("internal compiler error"), r.toString());
        assertFalse(r.stderr().contains("__COUNTER__"), r.toString());
        assertEquals(1, r.stderr().split("#pragma message: built here", -1).length - 1, r.toString());
        Path local = local("prag.c", src, "-O2", "-c", "prag.c", "-o", "prag.o");
        assertArrayEquals(Files.readAllBytes(local.resolve("prag.o")), Files.readAllBytes(work.resolve("prag.o")));
    }

    @Test
    void aPartialCppsOwnWarningsAreShownOnceBeforeTheCompilers() throws Exception {
        String src = "#warning from the preprocessor\n" + DIV;
        Files.writeString(work.resolve("warn.c"), src);
        Rig.Result r = gcc(PARTIAL, "-O2", "-Wall", "-c", "warn.c", "-o", "warn.o");
        assertEquals(0, r.exit(), r.toString());
        String warning = "warning: #warning from the preprocessor";
        int cpp = r.stderr().indexOf(warning);
        assertTrue(cpp >= 0 && r.stderr().indexOf(warning, cpp + 1) < 0, r.toString());
        assertTrue(r.stderr().indexOf(NOTE) > cpp, r.toString());
    }

    @Test
    void byDefaultAKindOfJobWhoseCppOutputsAreLargeGetsThePartialCppFromItsSecondJobOn() throws Exception {
        // Over 512 KB of preprocessed output: 16,000 small functions, then the macro warning that shows where
        // the macros were expanded.
        StringBuilder src = new StringBuilder("#define DIV(a) ((a) / 0)\n#define SQ(x) ((x) * (x) + 1)\n");
        for (int i = 0; i < 16_000; i++) {
            src.append("int f").append(i).append("(int x) { return SQ(x) + ").append(i).append("; }\n");
        }
        src.append("int last(int x) { return DIV(x); }\n");
        Path big = Files.createDirectories(work.resolve("big"));
        Files.writeString(big.resolve("big.c"), src);
        Map<String, String> none = Map.of();
        Rig.Result first = gccIn(big, none, "-O1", "-Wall", "-c", "big.c", "-o", "first.o");
        assertEquals(0, first.exit(), first.toString());
        assertFalse(first.stderr().contains(NOTE), "the first job of a kind runs a full cpp:\n" + first);
        Rig.Result second = gccIn(big, none, "-O1", "-Wall", "-c", "big.c", "-o", "second.o");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.stderr().contains(NOTE), "its outputs are large: partial from now on:\n" + second);
        Path local = local("big.c", src.toString(), "-O1", "-Wall", "-c", "big.c", "-o", "big.o");
        byte[] expected = Files.readAllBytes(local.resolve("big.o"));
        assertArrayEquals(expected, Files.readAllBytes(big.resolve("first.o")));
        assertArrayEquals(expected, Files.readAllBytes(big.resolve("second.o")));

        Files.writeString(work.resolve("div.c"), DIV);
        for (int i = 0; i < 2; i++) {
            Rig.Result small = gcc(none, "-O2", "-Wall", "-c", "div.c", "-o", "div.o");
            assertEquals(0, small.exit(), small.toString());
            assertFalse(small.stderr().contains(NOTE), "another directory is another kind, whose outputs are small:\n"
                    + small);
        }
    }

    @Test
    void debugInformationKeepsTheFullCppUnlessPartialIsAskedFor() throws Exception {
        Files.writeString(work.resolve("div.c"), DIV);
        Rig.Result auto = gcc(Map.of(), "-g", "-O2", "-Wall", "-c", "div.c", "-o", "div.o");
        assertEquals(0, auto.exit(), auto.toString());
        assertTrue(auto.stderr().contains("division by zero") && !auto.stderr().contains(NOTE), auto.toString());
        assertArrayEquals(Rig.compileLocally(work, "div.c", "-g", "-O2", "-Wall"), Files.readAllBytes(work.resolve("div.o")));

        Rig.Result partial = gcc(PARTIAL, "-g", "-O2", "-Wall", "-c", "div.c", "-o", "div.o");
        assertEquals(0, partial.exit(), partial.toString());
        assertTrue(partial.stderr().contains(NOTE), partial.toString());
    }

    @Test
    void fullModeSendsAFullyPreprocessedInputAndABadSettingIsAnError() throws Exception {
        Files.writeString(work.resolve("div.c"), DIV);
        Rig.Result full = gcc(Map.of("JDISTCC_CPP", "full"), "-O2", "-Wall", "-c", "div.c", "-o", "div.o");
        assertEquals(0, full.exit(), full.toString());
        assertTrue(full.stderr().contains("division by zero") && !full.stderr().contains(NOTE), full.toString());

        Rig.Result bad = gcc(Map.of("JDISTCC_CPP", "fast"), "-O2", "-c", "div.c", "-o", "bad.o");
        assertEquals(101, bad.exit(), bad.toString());
        assertTrue(bad.stderr().contains("JDISTCC_CPP must be auto, full or partial, not \"fast\""), bad.toString());
        assertFalse(Files.exists(work.resolve("bad.o")));
    }
}
