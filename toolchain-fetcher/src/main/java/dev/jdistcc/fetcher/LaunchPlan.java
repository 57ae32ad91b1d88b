package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything distccd needs to run one compile with a fetched toolchain. Hold it open for the duration of the
 * compile (it leases the toolchain so it is not evicted) and close it afterwards.
 *
 * <pre>{@code
 * try (LaunchPlan plan = toolchains.resolve(header.toolchain(), header.argv())) {
 *     Path job = Files.createTempDirectory(workRoot, "job-");   // world-traversable parent
 *     plan.prepareJobDir(job);                                  // writable by the sandbox user
 *     // write the .i into job, point -o into job (host paths are the same inside the sandbox)
 *     ProcessBuilder pb = new ProcessBuilder(plan.command(job, argvWithJobPaths)).directory(job.toFile());
 *     pb.environment().clear();                                 // the sandbox sets its own environment
 *     Process p = pb.start();  // wait at most plan.timeout(); on expiry Commands.kill(p)
 * }
 * }</pre>
 *
 * @param digest  the toolchain that will run
 * @param argv    the client's argv with argv[0] rewritten to the driver's path inside the bundle
 * @param compilerName the name the client asked for ("gcc", "aarch64-linux-gnu-gcc", …)
 */
public record LaunchPlan(ToolchainDigest digest, String compilerName, List<String> argv, Path bundleRoot,
                         Sandbox sandbox, ToolchainCache.Lease lease) implements AutoCloseable {
    public LaunchPlan {
        argv = List.copyOf(argv);
    }

    /** Makes a job directory (created by the caller) writable by the unprivileged sandbox user. */
    public void prepareJobDir(Path jobDir) throws IOException {
        sandbox.prepareJobDir(jobDir);
    }

    /** The full sandboxed command for {@link #argv()} with the job directory as the only writable place. */
    public List<String> command(Path jobDir) throws IOException {
        return sandbox.command(bundleRoot, jobDir, argv);
    }

    /** The same, for an argv the caller rewrote further (e.g. input/output paths); argv[0] must be the driver. */
    public List<String> command(Path jobDir, List<String> rewrittenArgv) throws IOException {
        return sandbox.command(bundleRoot, jobDir, rewrittenArgv);
    }

    /**
     * For distccd: several writable directories (job directory, protocol-3 root) bound at their host paths and
     * the compiler's working directory; argv[0] must be the driver.
     */
    public List<String> command(List<Path> writable, Path workDir, List<String> rewrittenArgv) throws IOException {
        return sandbox.command(bundleRoot, writable, workDir, rewrittenArgv);
    }

    /** Wall-clock deadline for the compile; kill the process (and thereby the sandbox) when it passes. */
    public Duration timeout() {
        return sandbox.policy().wallTimeout();
    }

    @Override
    public void close() {
        lease.close();
    }
}
