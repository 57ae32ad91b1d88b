package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.Commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs one command in the {@link Sandbox} with its wall-clock deadline and kill path. */
public final class SandboxedRun {
    private SandboxedRun() {
    }

    public record Result(int exit, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exit == 0 && !timedOut;
        }
    }

    public static Result run(Sandbox sandbox, Path bundleRoot, Path jobDir, List<String> argv) throws IOException {
        List<String> cmd = sandbox.command(bundleRoot, jobDir, argv);
        Commands.Result r = Commands.run(cmd, sandbox.policy().wallTimeout(), Map.of(), jobDir);
        return new Result(r.exit(), r.stdout(), r.stderr(), r.timedOut());
    }
}
