package dev.jdistcc.server.volunteer;

import dev.jdistcc.fetcher.LaunchPlan;
import dev.jdistcc.server.JobDirs;
import dev.jdistcc.server.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The daemon's {@link Sandbox} seam over a fetched toolchain's {@link LaunchPlan}: the bundle becomes the root of a
 * bubblewrap sandbox, the job directory (and for protocol 3 the client-tree root) stay writable at their own
 * paths, and the compiler starts in the job's work directory.
 */
record PlanSandbox(LaunchPlan plan) implements Sandbox {
    @Override
    public List<String> wrap(List<String> command, JobDirs dirs) throws IOException {
        List<Path> writable = dirs.root() == null ? List.of(dirs.jobDir()) : List.of(dirs.jobDir(), dirs.root());
        return plan.command(writable, dirs.workDir(), command);
    }

    @Override
    public void prepare(JobDirs dirs) throws IOException {
        plan.prepareJobDir(dirs.jobDir());
    }
}
