package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** What the integration tests need from the machine; a missing tool fails with the command that installs it. */
final class Tools {
    static final Path DISTCC = Path.of("/usr/bin/distcc");
    static final Path STOCK_DISTCCD = Path.of("/usr/bin/distccd");

    private Tools() {
    }

    static void require(Path tool, String debianPackage) {
        if (!Files.isExecutable(tool)) {
            fail(tool + " is missing: install it with `apt-get install " + debianPackage + "` (see scripts/setup-debian)");
        }
    }

    static void requireCompilers() {
        require(Path.of("/usr/bin/gcc"), "gcc");
        require(Path.of("/usr/bin/g++"), "g++");
        require(Path.of("/usr/bin/readelf"), "binutils");
        require(Path.of("/usr/bin/setsid"), "util-linux");
    }

    static void requireDistcc() {
        require(DISTCC, "distcc");
        require(STOCK_DISTCCD, "distcc");
    }

    /** A port that was free a moment ago on the loopback interface (distcc has no --port 0). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A directory others may search: when the tests run as root, compilers run as an unprivileged user
     * (distccd, nobody) and must reach the job directories under it.
     */
    static Path openDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path p = dir; p != null && p.startsWith(dir.getRoot()) && !p.equals(Path.of("/tmp")) && p.getNameCount() > 1;
             p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return dir;
    }
}
