package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArgScanTest {
    static ArgScan scan(String line) throws JobRefused {
        return ArgScan.scan(List.of(line.split(" ")));
    }

    @Test
    void findsSourceAndOutputAndRewritesBoth() throws Exception {
        ArgScan s = scan("gcc -O2 -MF x.d -c src/a.c -o out/a.o");
        assertEquals("src/a.c", s.input());
        assertEquals("out/a.o", s.output());
        assertEquals(List.of("gcc", "-O2", "-MF", "x.d", "-c", "in.i", "-o", "/t/o.o"),
                s.withInputAndOutput("in.i", "/t/o.o"));
        assertFalse(s.explicitLanguage());
    }

    @Test
    void joinedOutputIsRewrittenJoined() throws Exception {
        ArgScan s = scan("gcc -c a.c -oa.o");
        assertEquals("a.o", s.output());
        assertEquals("-o/t/o.o", s.withInputAndOutput("a.i", "/t/o.o").get(3));
    }

    @Test
    void missingOutputIsAppendedFromTheSourceName() throws Exception {
        assertEquals(List.of("gcc", "-c", "dir/a.c", "-o", "a.o"), scan("gcc -c dir/a.c").argv());
        assertEquals("a.s", scan("gcc -S -c a.c").output(), "-S wins over -c");
    }

    @Test
    void explicitLanguageBeforeTheSourceIsNoticed() throws Exception {
        assertTrue(scan("gcc -x c -c a.c -o a.o").explicitLanguage());
        assertFalse(scan("gcc -c a.c -x c -o a.o").explicitLanguage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gcc -E a.c", "gcc -M -c a.c", "gcc -MM -c a.c", "gcc -c a.c b.c", "gcc a.c -o a",
            "gcc -c -o a.o", "gcc -c a.c -o a.o -o b.o", "gcc -march=native -c a.c", "gcc -x assembler -c a.c",
            "gcc -xc -c a.c", "gcc -fprofile-generate=x -c a.c", "gcc -c conftest.c", "gcc -c a.c -o -",
            "gcc -Wa,-alh -c a.c", "gcc -frepo -c a.c", "gcc -c a.c x.o", "-c a.c", "gcc -c a.s", "gcc -flto -c a.c"})
    void jobsDistccKeepsLocalAreRefused(String line) {
        JobRefused e = assertThrows(JobRefused.class, () -> scan(line));
        assertEquals(JobRefused.Kind.NOT_DISTRIBUTABLE, e.kind());
    }

    @Test
    void dependencyOptionsAreAllowed() throws Exception {
        assertEquals("a.c", scan("gcc -MD -MMD -MP -MG -MT t -MQ q -MFd.d -c a.c -o a.o").input());
    }
}
