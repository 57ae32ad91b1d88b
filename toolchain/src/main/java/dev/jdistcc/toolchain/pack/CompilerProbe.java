package dev.jdistcc.toolchain.pack;

import dev.jdistcc.toolchain.Commands;
import dev.jdistcc.toolchain.ToolchainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Asks a compiler driver about itself ({@code -dumpversion}, {@code -print-prog-name=…}, …) with deadlines. */
record CompilerProbe(Path driver) {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    String query(String flag) throws ToolchainException.Packaging {
        try {
            Commands.Result r = Commands.run(List.of(driver.toString(), flag), TIMEOUT);
            if (!r.ok()) {
                throw new ToolchainException.Packaging(driver + " " + flag + " failed (exit " + r.exit() + "): " + r.stderr().strip());
            }
            return r.stdout().strip();
        } catch (IOException e) {
            throw new ToolchainException.Packaging("cannot run " + driver + ": " + e.getMessage(), e);
        }
    }

    /** True for clang (and clang-based drivers), decided by the macros the compiler itself defines. */
    boolean isClang() throws ToolchainException.Packaging {
        try {
            Commands.Result r = Commands.run(List.of(driver.toString(), "-dM", "-E", "-x", "c", "/dev/null"), TIMEOUT);
            if (!r.ok()) {
                throw new ToolchainException.Packaging(driver + " -dM -E failed: " + r.stderr().strip());
            }
            return r.stdout().contains("#define __clang__ ");
        } catch (IOException e) {
            throw new ToolchainException.Packaging("cannot run " + driver + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the driver would find a helper program: an absolute path it reports, or, for a bare name
     * (gcc's answer for tools it takes from PATH, e.g. the native "as"), the first match on {@code path}.
     */
    Optional<Path> program(String name, List<Path> path) throws ToolchainException.Packaging {
        return locate(query("-print-prog-name=" + name), path);
    }

    Optional<Path> file(String name) throws ToolchainException.Packaging {
        String answer = query("-print-file-name=" + name);
        return answer.startsWith("/") && Files.isRegularFile(Path.of(answer)) ? Optional.of(Path.of(answer).normalize()) : Optional.empty();
    }

    static Optional<Path> locate(String answer, List<Path> path) {
        if (answer.startsWith("/")) {
            Path p = Path.of(answer).normalize();
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir : path) {
            Path p = dir.resolve(answer);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
