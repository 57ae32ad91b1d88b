package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Small C and C++ sources, and snapshots of what a compile produced in a work tree. */
final class Fixtures {
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("src/hello.c", """
                    #include <stdio.h>
                    #include "inc/greet.h"
                    static int twice(int x) { return 2 * x; }
                    int main(void) { printf("hello %d\\n", twice(GREETING)); return 0; }
                    """),
            Map.entry("src/inc/greet.h", "#ifndef GREETING\n#define GREETING 21\n#endif\n"),
            Map.entry("src/hello.cc", """
                    #include <string>
                    #include <vector>
                    template <typename T> T sum(const std::vector<T>& v) { T s{}; for (auto& x : v) s += x; return s; }
                    std::string greet(int n) { return "hi " + std::to_string(sum(std::vector<int>{n, n})); }
                    """),
            Map.entry("src/bad.c", "int main(void) { return undeclared_thing; }\n"),
            Map.entry("src/warn.c", "int f(int a) { int unused; return a; }\n#warning from the preprocessor\n"),
            Map.entry("src/pre.i", "# 1 \"pre.c\"\nint pre(void) { return 7; }\n"),
            Map.entry("args.rsp", "-g -c 'src/hello.c' -o hello_rsp.o\n"),
            Map.entry("obj/.keep", ""),
            Map.entry("deps/.keep", ""));

    private Fixtures() {
    }

    static void write(Path root) throws IOException {
        for (var e : FILES.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
    }

    /** Every file under root that is not a fixture, with its bytes; the files are removed afterwards. */
    static Map<String, byte[]> takeOutputs(Path root) throws IOException {
        Set<String> fixtures = new HashSet<>(FILES.keySet());
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!fixtures.contains(rel) && !rel.startsWith(".")) {
                    out.put(rel, Files.readAllBytes(p));
                    Files.delete(p);
                }
            }
        }
        return out;
    }

    static Map<String, String> describe(Map<String, byte[]> outputs) {
        Map<String, String> d = new TreeMap<>();
        outputs.forEach((k, v) -> d.put(k, v.length + " bytes, hash " + java.util.Arrays.hashCode(v)));
        return d;
    }
}
