package dev.jdistcc.fetcher;

import java.time.Duration;

/**
 * Limits for one sandboxed compile.
 *
 * @param uid           the unprivileged user the compile runs as when the volunteer itself is root
 * @param gid           its group
 * @param memoryBytes   address-space limit (RLIMIT_AS) for every process of the job
 * @param cpuSeconds    CPU-time limit (RLIMIT_CPU)
 * @param fileSizeBytes largest file the job may write (RLIMIT_FSIZE)
 * @param maxProcesses  process limit for the sandbox user (RLIMIT_NPROC): stops fork bombs
 * @param wallTimeout   deadline after which the job is killed
 */
public record SandboxPolicy(int uid, int gid, long memoryBytes, long cpuSeconds, long fileSizeBytes, int maxProcesses,
                            Duration wallTimeout) {
    /** 65534 is "nobody" on Debian; 4 GiB is ample for cc1plus on large translation units. */
    public static final SandboxPolicy DEFAULT = new SandboxPolicy(65534, 65534, 4L << 30, 600, 1L << 30, 256,
            Duration.ofMinutes(10));

    public SandboxPolicy withWallTimeout(Duration d) {
        return new SandboxPolicy(uid, gid, memoryBytes, cpuSeconds, fileSizeBytes, maxProcesses, d);
    }

    public SandboxPolicy withMemory(long bytes) {
        return new SandboxPolicy(uid, gid, bytes, cpuSeconds, fileSizeBytes, maxProcesses, wallTimeout);
    }
}
