package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parallel make through a masquerade directory (a {@code gcc} launcher that passes its own path as argv0),
 * against the stock distccd: every object must be compiled remotely and equal the local build's.
 */
class MasqueradeMakeTest {
    static final int FILES = 6;
    static final Path LAUNCHER = Path.of("../distribution/src/bin/distcc").toAbsolutePath();
    @TempDir
    Path work;
    @TempDir
    Path distccDir;
    @TempDir
    Path masq;

    @Test
    void makeMinusJThroughMasqueradeLinksCompilesEverythingRemotely() throws Exception {
        StringBuilder objs = new StringBuilder();
        for (int i = 0; i < FILES; i++) {
            Files.writeString(work.resolve("f" + i + ".c"), "#include <string.h>\nint f" + i
                    + "(const char *s) { return (int) strlen(s) + " + i + "; }\n");
            objs.append(" f").append(i).append(".o");
        }
        Files.writeString(work.resolve("Makefile"), "all:" + objs + "\n%.o: %.c\n\t$(CC) -O2 -c $< -o $@\n");
        // The shipped launcher, linked as gcc: the way users install masquerade mode.
        Files.createSymbolicLink(masq.resolve("gcc"), LAUNCHER);
        try (StockDistccd server = StockDistccd.start()) {
            Map<String, String> env = Run.env(distccDir, Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port() + "/4,lzo",
                    "PATH", masq + ":/usr/bin:/bin", "CC", "gcc", "JDISTCC_JAVA", Run.JAVA,
                    "JDISTCC_CLASSPATH", System.getProperty("java.class.path")));
            Run make = Run.exec(List.of("make", "-j4"), work, env);
            assertEquals(0, make.exit(), make.toString());
            assertEquals("", make.stderr());
            assertEquals(FILES, server.log().lines().filter(l -> l.contains("COMPILE_OK")).count(), server.log());
            assertTrue(server.log().contains("x86_64-linux-gnu-gcc"), "masquerade name rewritten like stock");

        }
        for (int i = 0; i < FILES; i++) {
            Path o = work.resolve("f" + i + ".o");
            byte[] remote = Files.readAllBytes(o);
            Files.delete(o);
            Run local = Run.exec(List.of("gcc", "-O2", "-c", "f" + i + ".c", "-o", "f" + i + ".o"), work,
                    Run.env(distccDir, Map.of()));
            assertEquals(0, local.exit());
            assertArrayEquals(Files.readAllBytes(o), remote, "f" + i + ".o");
        }
    }

    @Test
    void masqueradeAtSafeguardLevelOneRunsLocallyWithoutLocks() throws Exception {
        Files.writeString(work.resolve("a.c"), "int a;\n");
        Map<String, String> env = Run.env(distccDir, Map.of("DISTCC_HOSTS", "127.0.0.1:1", "_DISTCC_SAFEGUARD", "1",
                "PATH", masq + ":/usr/bin:/bin"));
        Files.createFile(masq.resolve("gcc"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Run r = Run.exec(Run.jdistcc(masq.resolve("gcc").toString(), "-c", "a.c", "-o", "a.o"), work, env);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr());
        assertTrue(Files.notExists(distccDir.resolve("lock")), "no slot was taken");
    }
}
