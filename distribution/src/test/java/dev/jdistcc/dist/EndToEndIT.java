package dev.jdistcc.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution, as users run it: masquerade links, our client and our server, each paired with
 * the stock distcc 3.4 counterpart, and the whole pair as an unprivileged user. Objects must equal local ones.
 */
class EndToEndIT {
    static final String C_SRC = "#include <stdio.h>\n#define GREETING \"hi\"\nint main(void) { puts(GREETING); return 0; }\n";
    static final String CXX_SRC = "#include <string>\n#include <vector>\nstd::vector<std::string> v{\"a\", \"b\"};\n"
            + "int size() { return static_cast<int>(v.size()); }\n";

    @TempDir
    Path work;

    @BeforeEach
    void fixtures() throws Exception {
        Files.writeString(work.resolve("hello.c"), C_SRC);
        Files.writeString(work.resolve("vec.cpp"), CXX_SRC);
        // The stock distccd drops to an unprivileged user: its TMPDIR and our sources must be reachable.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private Map<String, String> clientEnv(Path home, String hosts) throws java.io.IOException {
        Files.createDirectories(home.resolve(".distcc"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Dist.HOME.resolve("masquerade") + ":/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("DISTCC_DIR", home.resolve(".distcc").toString());
        env.put("DISTCC_HOSTS", hosts);
        env.put("DISTCC_FALLBACK", "0");   // a job that is not distributed fails the test instead of hiding
        env.put("JDISTCC_NO_HUB", "1");
        env.put("JDISTCC_JAVA", Dist.JAVA);
        env.put("TMPDIR", home.toString());
        return env;
    }

    private void compileBothAndCompare(List<String> prefix, Path dir, Map<String, String> env, String gcc, String gxx)
            throws Exception {
        for (String[] job : new String[][] {{gcc, "hello.c", "hello.o"}, {gxx, "vec.cpp", "vec.o"}}) {
            Dist.Result r = Dist.run(prefix, List.of(job[0], "-O2", "-c", job[1], "-o", job[2]), dir, env);
            assertEquals(0, r.exit(), job[1] + ": " + r.stderr());
            assertEquals("", r.stderr(), "a distributed compile prints nothing");
            String compiler = job[0].endsWith("g++") || job[0].contains("g++") ? "g++" : "gcc";
            assertArrayEquals(Dist.localCompile(dir, compiler, job[1], List.of("-O2")),
                    Files.readAllBytes(dir.resolve(job[2])), job[1] + " differs from the local compile");
        }
    }

    @Test
    void ourClientAndOurServerSpeakLz4AndProduceLocalObjects() throws Exception {
        try (Dist.Server s = Dist.startServer(List.of(), Dist.HOME.resolve("bin/distccd").toString(), work)) {
            compileBothAndCompare(List.of(), work, clientEnv(work, "127.0.0.1:" + s.port() + "/2,lz4"), "gcc", "g++");
            assertEquals(2, s.logText().lines().filter(l -> l.contains("COMPILE_OK")).count(), s.logText());
        }
    }

    @Test
    void stockClientUsesOurServerOverLzo() throws Exception {
        try (Dist.Server s = Dist.startServer(List.of(), Dist.HOME.resolve("bin/distccd").toString(), work)) {
            Map<String, String> env = clientEnv(work, "127.0.0.1:" + s.port() + "/2,lzo");
            env.put("PATH", "/usr/bin:/bin");
            compileBothAndCompare(List.of("/usr/bin/distcc"), work, env, "gcc", "g++");
        }
    }

    @Test
    void ourClientUsesTheStockServerOverLzo() throws Exception {
        try (Dist.Server s = Dist.startServer(List.of(), "/usr/bin/distccd", work)) {
            compileBothAndCompare(List.of(), work, clientEnv(work, "127.0.0.1:" + s.port() + "/2,lzo"), "gcc", "g++");
            assertEquals(2, s.logText().lines().filter(l -> l.contains("COMPILE_OK")).count(), s.logText());
        }
    }

    /** distcc's users mostly run both sides as themselves: here both run as uid 65534 when the suite is root. */
    @Test
    void bothSidesRunAsAnUnprivilegedUser() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
        Path home = Files.createTempDirectory(Path.of("/tmp"), "jdistcc-user");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        // A copy of dist/ the unprivileged user can read wherever the checkout lives (e.g. under /root).
        Path dist = home.resolve("dist");
        Dist.run(List.of(), List.of("cp", "-a", Dist.HOME.toString(), dist.toString()), home, Map.of("PATH", "/usr/bin:/bin"));
        Dist.run(List.of(), List.of("chmod", "-R", "a+rX", dist.toString()), home, Map.of("PATH", "/usr/bin:/bin"));
        for (String f : List.of("hello.c", "vec.cpp")) {
            Files.copy(work.resolve(f), home.resolve(f));
        }
        Files.createDirectories(home.resolve(".distcc"));
        if (root) {
            Dist.run(List.of(), List.of("chown", "-R", "65534:65534", home.toString()), home, Map.of("PATH", "/usr/bin:/bin"));
        }
        try (Dist.Server s = Dist.startServer(asUser, dist.resolve("bin/distccd").toString(), home)) {
            Map<String, String> env = clientEnv(home, "127.0.0.1:" + s.port() + "/2,lz4");
            env.put("PATH", dist.resolve("masquerade") + ":/usr/bin:/bin");
            compileBothAndCompare(asUser, home, env, "gcc", "g++");
            assertTrue(s.logText().contains("COMPILE_OK"), s.logText());
        } finally {
            Dist.run(List.of(), List.of("rm", "-rf", home.toString()), Path.of("/tmp"), Map.of("PATH", "/usr/bin:/bin"));
        }
    }
}
