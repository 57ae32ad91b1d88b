package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distcc's own options (reference §2.1, §4), compared with the stock client where it is deterministic. */
class CliTest {
    static final String HOSTS = "localhost/3 10.0.0.1:4000/8,lzo [::1]:3632/2,lzo,cpp @box/6 ted@box2 old/3:4200";
    @TempDir
    Path work;
    @TempDir
    Path distccDir;

    private Run ours(Map<String, String> env, String... args) throws Exception {
        return Run.exec(Run.jdistcc("distcc", args), work, Run.env(distccDir, env));
    }

    private Run stock(Map<String, String> env, String... args) throws Exception {
        return Run.exec(Run.stock(args), work, Run.env(distccDir, env));
    }

    @Test
    void versionSecondLineIsWhatScriptsCheck() throws Exception {
        Run r = ours(Map.of(), "--version");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().startsWith("distcc 3.4 "), r.stdout());
        assertEquals(stock(Map.of(), "--version").stdout().lines().toList().get(1), r.stdout().lines().toList().get(1));
        assertEquals("  (protocols 1, 2 and 3) (default port 3632)", r.stdout().lines().toList().get(1));
    }

    @Test
    void helpContainsUsage() throws Exception {
        Run r = ours(Map.of(), "--help");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().contains("Usage:"));
    }

    @Test
    void concurrencyAndHostListMatchStock() throws Exception {
        Map<String, String> env = Map.of("DISTCC_HOSTS", HOSTS);
        Run j = ours(env, "-j");
        assertEquals("26\n", j.stdout());
        assertEquals(stock(env, "-j").stdout(), j.stdout());
        assertEquals(stock(env, "--show-hosts").stdout(), ours(env, "--show-hosts").stdout());
    }

    @Test
    void brokenHostListIsCriticalButExitsZero() throws Exception {
        Run r = ours(Map.of("DISTCC_HOSTS", "box,cpp"), "-j");
        assertEquals(0, r.exit());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().contains("CRITICAL! Failed to get host list"), r.stderr());
        assertTrue(r.stderr().contains("pump mode (',cpp') requires compression (',lzo')"), r.stderr());
    }

    @Test
    void scanIncludesWithoutIncludeServerExits100() throws Exception {
        assertEquals(100, ours(Map.of("DISTCC_HOSTS", "box,lzo,cpp"), "--scan-includes", "gcc", "-c", "x.c").exit());
    }

    @Test
    void implicitCompilerIsCc() throws Exception {
        Fixtures.write(work);
        Run r = ours(Map.of("DISTCC_HOSTS", "localhost"), "-c", "src/hello.c", "-o", "x.o");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(work.resolve("x.o").toFile().isFile());
    }
}
