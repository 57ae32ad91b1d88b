package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where stock 3.4 differs from a local compile, jdistcc through the same stock server must not: the .d of
 * -MD with -o in another directory (issue point 19) and the object of -x c / -x c++ (point 20). Every output
 * file is compared byte for byte with what the same gcc command writes locally. (-g is not in this table:
 * debug line columns of macro expansions differ after any client-side cpp, stock's as well.)
 */
class LocalEquivalenceTest {
    static StockDistccd server;
    static Path work;
    static Path distccDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = StockDistccd.start();
        work = Files.createTempDirectory("jdistcc-local");
        distccDir = Files.createTempDirectory("jdistcc-dir");
        Fixtures.write(work);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -MD -c src/hello.c -o obj/hello.o
            gcc -MMD -c src/hello.c -o obj/hello.o
            gcc -MD -MP -c src/hello.c -o obj/hello.o
            gcc -MD -MF deps/h.d -c src/hello.c -o obj/hello.o
            gcc -MD -MT custom -c src/hello.c -o obj/hello.o
            gcc -Wp,-MD,deps/wp.d -c src/hello.c -o obj/hello.o
            gcc -MD -c src/hello.c -o obj/hello
            gcc -x c -c src/hello.c -o obj/hello.o
            g++ -x c++ -c src/hello.cc -o obj/hello.o
            g++ -x c++ -O2 -c src/hello.c -o obj/hello.o
            gcc -O2 -c src/hello.c -o obj/hello.o
            """)
    void sameFilesAsALocalCompile(String command) throws Exception {
        List<String> args = List.of(command.split(" "));
        Map<String, String> env = Run.env(distccDir, Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port()));
        Run local = Run.exec(args, work, env);
        Map<String, byte[]> localFiles = Fixtures.takeOutputs(work);
        Run ours = Run.exec(Run.jdistcc("distcc", args.toArray(String[]::new)), work, env);
        Map<String, byte[]> ourFiles = Fixtures.takeOutputs(work);

        assertEquals(0, local.exit(), local.toString());
        assertEquals(0, ours.exit(), ours.toString());
        assertEquals("", ours.stderr());
        assertEquals(Fixtures.describe(localFiles), Fixtures.describe(ourFiles));
        localFiles.forEach((f, bytes) -> assertEquals(true, Arrays.equals(bytes, ourFiles.get(f)), f + " differs"));
        assertNotEquals(0, server.log().lines().filter(l -> l.contains("COMPILE_OK")).count(), "compiled remotely");
    }

    @ParameterizedTest(name = "stock differs: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -MD -c src/hello.c -o obj/hello.o
            gcc -x c -c src/hello.c -o obj/hello.o
            """)
    void stockDiffersFromLocalInTheseCases(String command) throws Exception {
        List<String> args = List.of(command.split(" "));
        Map<String, String> env = Run.env(distccDir, Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port()));
        Run.exec(args, work, env);
        Map<String, byte[]> localFiles = Fixtures.takeOutputs(work);
        Run.exec(Run.stock(args.toArray(String[]::new)), work, env);
        Map<String, byte[]> stockFiles = Fixtures.takeOutputs(work);
        boolean same = localFiles.keySet().equals(stockFiles.keySet())
                && localFiles.keySet().stream().allMatch(f -> Arrays.equals(localFiles.get(f), stockFiles.get(f)));
        assertEquals(false, same, "documents why the fix exists; if stock ever matches, revisit");
    }
}
