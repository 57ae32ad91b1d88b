package dev.jdistcc.server;

import dev.jdistcc.protocol.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The C and C++ sources under src/test/resources/fixtures, copied into a project directory. */
final class Fixtures {
    static final List<String> FILES = List.of("include/greet.h", "src/hello.c", "src/shapes.cpp", "src/bad.c",
            "src/warn.c", "src/slow.cpp");

    private Fixtures() {
    }

    static Path project(Path dir) throws IOException {
        for (String f : FILES) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + f)) {
                Path target = dir.resolve(f);
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        return dir;
    }

    /**
     * Pump mode without the include server (Debian's crashes on Python 3.11, reference §1.12): the files
     * INCLUDE_SERVER_STUB lists, LZO-compressed under a 3-component root as the include server stores them.
     * Returns the stub value. System headers are not listed; the server uses its own.
     */
    static String includeServerStub(Path stubRoot, Path project, List<String> files) throws IOException {
        if (stubRoot.getNameCount() != 3) {
            throw new IllegalArgumentException("the include server's root has exactly 3 components: " + stubRoot);
        }
        List<String> names = new ArrayList<>();
        for (String f : files) {
            Path src = project.resolve(f).toAbsolutePath();
            Path stored = Path.of(stubRoot + src.toString() + ".lzo");
            Files.createDirectories(stored.getParent());
            byte[] plain = Files.readAllBytes(src);
            Files.write(stored, plain.length == 0 ? plain : Compression.LZO.compress(plain));
            names.add(stored.toString());
        }
        return String.join(" ", names);
    }
}
