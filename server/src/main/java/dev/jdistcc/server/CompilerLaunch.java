package dev.jdistcc.server;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param deadline    a limit of the resolver's own (a toolchain's wall timeout), or null; the job gets the
 *                    shorter of this and --job-lifetime
 * @param sandboxDropsPrivileges true when the sandbox itself switches to an unprivileged user; the daemon then
 *                    does not put its own setpriv in front (setsid and nice still apply)
 * @param release     called once the job is over, whatever happened (a toolchain lease); never null
 */
public record CompilerLaunch(String name, Optional<Path> executable, Map<String, String> environment, Sandbox sandbox,
                             Duration deadline, boolean sandboxDropsPrivileges, AutoCloseable release) {

    public CompilerLaunch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executable, "executable");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(release, "release");
    }

    /** A compiler run directly, under the daemon's own privilege drop. */
    public static CompilerLaunch of(String name, Path executable) {
        return new CompilerLaunch(name, Optional.of(executable), Map.of(), Sandbox.NONE, null, false, () -> { });
    }

    /** An allowed compiler that is not installed: the job answers "failed to exec" (status 110). */
    public static CompilerLaunch missing(String name) {
        return new CompilerLaunch(name, Optional.empty(), Map.of(), Sandbox.NONE, null, false, () -> { });
    }
}
