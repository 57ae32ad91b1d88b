package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same command through the stock /usr/bin/distcc and through jdistcc, against the same stock distccd 3.4,
 * in the same directory: objects, .d files, stdout, stderr (pids blanked) and exit status must be equal.
 */
class StockDifferentialTest {
    static StockDistccd server;
    static Path work;
    static Path distccDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = StockDistccd.start();
        work = Files.createTempDirectory("jdistcc-diff");
        distccDir = Files.createTempDirectory("jdistcc-dir");
        Fixtures.write(work);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "[{0}] {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''    | gcc -g -O2 -c src/hello.c -o hello.o | 
            ''    | g++ -g -O2 -c src/hello.cc -o hello_cc.o | 
            ''    | gcc -c src/hello.c | 
            ''    | gcc -c src/hello.c -o obj/hello.o | 
            ''    | gcc -MD -MF deps/hello.d -c src/hello.c -o hello.o | 
            ''    | gcc -MD -c src/hello.c | 
            ''    | gcc -DGREETING=2 -Isrc/inc -c src/hello.c -o hello.o | 
            ''    | gcc -S -O2 src/hello.c -o hello.s | 
            ''    | gcc -c src/bad.c -o bad.o | 
            ''    | gcc -Wall -c src/warn.c -o warn.o | 
            ''    | gcc @args.rsp | 
            ''    | gcc -c src/pre.i -o pre.o | 
            ,lzo  | gcc -g -O2 -c src/hello.c -o hello.o | 
            ,lzo  | g++ -g -O2 -c src/hello.cc -o hello_cc.o | 
            ,lzo  | gcc -MD -MF deps/hello.d -c src/hello.c -o hello.o | 
            ,lzo  | gcc -c src/bad.c -o bad.o | 
            ,lzo  | gcc -Wall -c src/warn.c -o warn.o | 
            ''    | gcc -c src/bad.c -o bad.o                     | DISTCC_SKIP_LOCAL_RETRY=1
            ''    | gcc -c src/bad.c -o bad.o                     | DISTCC_FALLBACK=0
            ''    | gcc -g -O2 -c src/hello.c -o hello.o          | DISTCC_FALLBACK=0
            """)
    void sameResultAsStockClient(String options, String command, String setting) throws Exception {
        String[] args = command.split(" ");
        Map<String, String> env = new java.util.HashMap<>(Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port() + options));
        if (setting != null) {
            env.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        }
        // A fresh DISTCC_DIR per run: stock leaves hosts in backoff after some failures (e.g. with fallback off).
        Run stock = Run.exec(Run.stock(args), work, Run.env(Files.createTempDirectory(distccDir, "s"), env));
        Map<String, byte[]> stockFiles = Fixtures.takeOutputs(work);
        Run ours = Run.exec(Run.jdistcc("distcc", args), work, Run.env(Files.createTempDirectory(distccDir, "j"), env));
        Map<String, byte[]> ourFiles = Fixtures.takeOutputs(work);

        assertEquals(stock.exit(), ours.exit(), () -> "stock:\n" + stock + "\nours:\n" + ours);
        assertEquals(stock.stdout(), ours.stdout());
        assertEquals(stock.normalizedStderr(), ours.normalizedStderr());
        assertEquals(Fixtures.describe(stockFiles), Fixtures.describe(ourFiles));
        for (String f : stockFiles.keySet()) {
            assertFalse(!Arrays.equals(stockFiles.get(f), ourFiles.get(f)), f + " differs");
        }
        if (stock.exit() == 0) {
            assertFalse(stockFiles.isEmpty(), "the compile produced output");
        }
        if (!stock.stderr().contains("running locally")) {
            assertFalse(ours.stderr().contains("running locally"), "no fallback happened");
        }
    }
}
