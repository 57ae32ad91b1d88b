package dev.jdistcc.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start the compiler for one job: what {@link CompilerResolver} returns.
 *
 * @param name        the compiler as distcc names it in logs and job summaries (argv[0] after any remap)
 * @param executable  absolute path of the program to execute; empty when it is allowed but not installed
 * @param environment variables to set (or override) for the compiler, on top of the daemon's environment
 * @param sandbox     wraps the final command line, for example in a container; {@link Sandbox#NONE} if none
 */
public record CompilerLaunch(String name, Optional<Path> executable, Map<String, String> environment, Sandbox sandbox) {

    public CompilerLaunch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executable, "executable");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(sandbox, "sandbox");
    }

    public static CompilerLaunch of(String name, Path executable) {
        return new CompilerLaunch(name, Optional.of(executable), Map.of(), Sandbox.NONE);
    }

    public static CompilerLaunch missing(String name) {
        return new CompilerLaunch(name, Optional.empty(), Map.of(), Sandbox.NONE);
    }
}
