package dev.jdistcc.client;

import static dev.jdistcc.client.ArgScanTest.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** libiberty's @file rules and distcc's -Wp, splitting (reference §2.3). Words are joined by '|' in rows. */
class ArgExpandTest {

    @ParameterizedTest(name = "[{0}] → {1}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            `-c a.c`                  # -c|a.c
            `  -c\t\na.c  `           # -c|a.c
            `'a b' c`                 # a b|c
            `"a b" c`                 # a b|c
            `a\\ b`                   # a b
            `"a\\"b"`                 # a"b
            `'it''s'`                 # its
            `'' x`                    # |x
            `-DX="1 2"`               # -DX=1 2
            `a'b c'd`                 # ab cd
            ``                        # ``
            """)
    void responseFileWords(String text, String words) {
        List<String> expected = words.isEmpty() ? List.of() : List.of(words.split("\\|", -1));
        assertEquals(expected, ArgExpand.splitResponseFile(text.replace("\\t", "\t").replace("\\n", "\n")));
    }

    @Test
    void responseFilesExpandRecursivelyAndLeaveUnreadableOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("args.rsp"), "-c hello.c @more.rsp");
        Files.writeString(dir.resolve("more.rsp"), "-o 'hello rsp.o'\n");
        Files.createDirectory(dir.resolve("adir"));
        assertEquals(List.of("gcc", "-g", "-c", "hello.c", "-o", "hello rsp.o", "@missing", "@adir", "@"),
                ArgExpand.responseFiles(argv("gcc -g @args.rsp @missing @adir @"), dir));
    }

    @Test
    void selfIncludingResponseFileStops(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("loop.rsp"), "-g @loop.rsp");
        List<String> out = ArgExpand.responseFiles(argv("gcc @loop.rsp"), dir);
        assertEquals("@loop.rsp", out.getLast());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -Wp,-MD,dep.d -c a.c          | gcc -MD -MF dep.d -c a.c
            gcc -Wp,-MMD,dep.d -c a.c         | gcc -MMD -MF dep.d -c a.c
            gcc -Wp,-DX,-DY -c a.c            | gcc -DX -DY -c a.c
            gcc -Wp,-MD,d.d,-DZ -c a.c        | gcc -MD -MF d.d -DZ -c a.c
            gcc -Wp,-MD -c a.c                | gcc -MD -c a.c
            gcc -Wall -c a.c                  | gcc -Wall -c a.c
            """)
    void preprocessorOptions(String cmd, String expected) {
        assertEquals(argv(expected), ArgExpand.preprocessorOptions(argv(cmd)));
    }
}
