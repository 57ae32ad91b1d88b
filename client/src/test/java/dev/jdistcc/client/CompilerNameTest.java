package dev.jdistcc.client;

import static dev.jdistcc.client.ArgScanTest.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiler-name rewrites of reference §2.6 and masquerade PATH trimming of §2.1, on this machine's tools. */
class CompilerNameTest {
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    @Test
    void gccBecomesTheTripleNameWhenInstalled() {
        assertEquals(argv("x86_64-linux-gnu-gcc -c a.c"), CompilerName.rewrite(argv("gcc -c a.c"), PATH));
        assertEquals(argv("x86_64-linux-gnu-g++ -c a.cc"), CompilerName.rewrite(argv("g++ -c a.cc"), PATH));
        assertEquals(argv("x86_64-linux-gnu-gcc-12 -c a.c"), CompilerName.rewrite(argv("gcc-12 -c a.c"), PATH));
    }

    @Test
    void ccFollowsDebianAlternativesToGcc() {
        assertEquals(argv("x86_64-linux-gnu-gcc -c a.c"), CompilerName.rewrite(argv("cc -c a.c"), PATH));
        assertEquals(argv("x86_64-linux-gnu-g++ -c a.cc"), CompilerName.rewrite(argv("c++ -c a.cc"), PATH));
    }

    @Test
    void clangGetsATargetUnlessGiven() {
        assertEquals(argv("clang -c a.c -target x86_64-pc-linux-gnu"), CompilerName.rewrite(argv("clang -c a.c"), PATH));
        assertEquals(argv("clang-15 -target t -c a.c"), CompilerName.rewrite(argv("clang-15 -target t -c a.c"), PATH));
    }

    @Test
    void pathsAndUnknownNamesAreLeftAlone() {
        assertEquals(argv("/usr/bin/gcc -c a.c"), CompilerName.rewrite(argv("/usr/bin/gcc -c a.c"), PATH));
        assertEquals(argv("tcc -c a.c"), CompilerName.rewrite(argv("tcc -c a.c"), PATH));
        assertEquals(argv("gcc -c a.c"), CompilerName.rewrite(argv("gcc -c a.c"), "/nonexistent"));
    }

    @Test
    void masqueradeTrimsPathThroughItsOwnDirectory(@TempDir Path dir) throws Exception {
        Path masq = Files.createDirectory(dir.resolve("masq"));
        Path gcc = Files.createFile(masq.resolve("gcc"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        String path = "/opt/x:" + masq + ":/usr/bin:/bin";
        assertEquals("/usr/bin:/bin", Masquerade.trimPath(gcc.toString(), path));
        assertEquals("/usr/bin:/bin", Masquerade.trimPath("gcc", "/nonexistent:" + masq + ":/usr/bin:/bin"));
        assertNull(Masquerade.trimPath("/elsewhere/gcc", path), "not on PATH: left alone");
    }
}
