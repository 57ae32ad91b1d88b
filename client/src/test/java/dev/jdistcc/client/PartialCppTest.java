package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jobs get a partial (directives-only) cpp, per JDISTCC_CPP. */
class PartialCppTest {
    static final Path GCC = Path.of("/usr/bin/gcc");

    static List<String> cmd(String... args) {
        List<String> argv = new ArrayList<>(List.of("gcc"));
        argv.addAll(List.of(args));
        return argv;
    }

    static boolean auto(String input, String... args) {
        return PartialCpp.applies(PartialCpp.Mode.AUTO, cmd(args), input, GCC);
    }

    @Test
    void aPlainGccCompileOfCOrCxxIsPartial() {
        assertTrue(auto("x.c", "-O2", "-Wall", "-DX=1", "-Iinc", "-E", "x.c"));
        assertTrue(auto("x.cpp", "-O2", "-E", "x.cpp"));
        assertTrue(auto("x.cc", "-std=gnu++17", "-E", "x.cc"));
        assertTrue(auto("k.c", "-Wp,-MMD,k.d", "-include", "cfg.h", "-fmacro-prefix-map=/src/=", "-E", "k.c"));
    }

    @Test
    void assemblerObjectiveCAndUnknownLanguagesAreNot() {
        assertFalse(auto("x.S", "-E", "x.S"));
        assertFalse(auto("x.m", "-E", "x.m"));
        assertFalse(auto("x.c", "-x", "assembler-with-cpp", "-E", "x.c"));
        assertTrue(auto("x.txt", "-x", "c", "-E", "x.txt"));
        assertTrue(auto("x.h", "-xc++", "-E", "x.h"));
    }

    @Test
    void debugInformationRecordsTheCommandLineSoAutoKeepsTheFullCpp() {
        assertFalse(auto("x.c", "-g", "-O2", "-E", "x.c"));
        assertFalse(auto("x.c", "-ggdb3", "-E", "x.c"));
        assertFalse(auto("x.c", "-gdwarf-4", "-E", "x.c"));
        assertTrue(auto("x.c", "-g", "-g0", "-E", "x.c"));
        assertTrue(auto("x.c", "-g", "-gno-record-gcc-switches", "-E", "x.c"));
        assertFalse(auto("x.c", "-gno-record-gcc-switches", "-g", "-grecord-gcc-switches", "-E", "x.c"));
        assertFalse(auto("x.c", "-frecord-gcc-switches", "-E", "x.c"));
        assertFalse(auto("x.c", "-flto=auto", "-E", "x.c"));
        assertFalse(auto("x.c", "-fverbose-asm", "-E", "x.c"));
    }

    @Test
    void partialModeAcceptsARecordedCommandLine() {
        assertTrue(PartialCpp.applies(PartialCpp.Mode.PARTIAL, cmd("-g", "-flto=auto", "-E", "x.c"), "x.c", GCC));
        assertFalse(PartialCpp.applies(PartialCpp.Mode.PARTIAL, cmd("-pedantic", "-E", "x.c"), "x.c", GCC));
    }

    @Test
    void optionsDirectivesOnlyModeHandlesDifferentlyAreNeverPartial() {
        for (String option : List.of("-pedantic", "-Wpedantic", "-pedantic-errors", "-traditional-cpp", "-C", "-CC",
                "-dD", "-dM", "-Wunused-macros", "-fmodules-ts", "-save-temps", "-save-temps=obj", "-fdirectives-only")) {
            assertFalse(auto("x.c", option, "-E", "x.c"), option);
            assertFalse(PartialCpp.applies(PartialCpp.Mode.PARTIAL, cmd(option, "-E", "x.c"), "x.c", GCC), option);
        }
        assertTrue(auto("x.c", "-dumpbase", "x", "-E", "x.c"));
    }

    @Test
    void fullModeNeverIsPartial() {
        assertFalse(PartialCpp.applies(PartialCpp.Mode.FULL, cmd("-O2", "-E", "x.c"), "x.c", GCC));
    }

    @Test
    void onlyDriversThatResolveToGccArePartial(@TempDir Path dir) throws Exception {
        assertTrue(PartialCpp.isGcc(GCC));
        Path clang = Files.createFile(dir.resolve("clang-14"));
        Path cc = Files.createSymbolicLink(dir.resolve("cc"), clang);
        assertFalse(PartialCpp.isGcc(cc), "cc pointing to clang");
        Path cross = Files.createFile(dir.resolve("aarch64-linux-gnu-gcc-12"));
        assertTrue(PartialCpp.isGcc(cross));
        assertTrue(PartialCpp.isGcc(Files.createFile(dir.resolve("x86_64-linux-gnu-g++"))));
        assertFalse(PartialCpp.isGcc(Files.createFile(dir.resolve("icc"))));
        assertFalse(PartialCpp.isGcc(Files.createFile(dir.resolve("tcc"))));
        assertFalse(PartialCpp.applies(PartialCpp.Mode.PARTIAL, cmd("-E", "x.c"), "x.c", cc));
        assertFalse(PartialCpp.applies(PartialCpp.Mode.AUTO, cmd("-E", "x.c"), "x.c", null));
    }

    @Test
    void autoUsesItOnceAKindsRecentOutputsAreLargeAndStopsWhenTheyAreSmall(@TempDir Path dir) {
        String kind = PartialCpp.kind(GCC, dir);
        assertFalse(PartialCpp.pays(PartialCpp.Mode.AUTO, kind), "nothing measured yet: full");
        assertTrue(PartialCpp.pays(PartialCpp.Mode.PARTIAL, kind));
        PartialCpp.observed(kind, 4_000_000);
        assertTrue(PartialCpp.pays(PartialCpp.Mode.AUTO, kind));
        assertFalse(PartialCpp.pays(PartialCpp.Mode.FULL, kind));
        assertFalse(PartialCpp.pays(PartialCpp.Mode.AUTO, PartialCpp.kind(GCC, dir.resolve("elsewhere"))));
        for (int i = 0; i < 12; i++) {
            PartialCpp.observed(kind, 20_000);
        }
        assertFalse(PartialCpp.pays(PartialCpp.Mode.AUTO, kind), "the average came down");
    }

    @Test
    void theOptionGoesRightAfterTheCompilerName() {
        assertEquals(List.of("gcc", "-fdirectives-only", "-E", "x.c"), PartialCpp.withOption(cmd("-E", "x.c")));
    }

    @Test
    void theSettingIsStrict() throws Exception {
        assertEquals(PartialCpp.Mode.AUTO, PartialCpp.Mode.of(null));
        assertEquals(PartialCpp.Mode.FULL, PartialCpp.Mode.of("full"));
        assertEquals(PartialCpp.Mode.PARTIAL, PartialCpp.Mode.of("Partial"));
        ClientEnv.BadSetting e = assertThrows(ClientEnv.BadSetting.class, () -> PartialCpp.Mode.of("fast"));
        assertEquals("JDISTCC_CPP must be auto, full or partial, not \"fast\"", e.getMessage());
    }
}
