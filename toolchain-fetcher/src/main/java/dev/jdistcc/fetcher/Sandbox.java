package dev.jdistcc.fetcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the bubblewrap command line that runs a compiler from a fetched bundle (sccache's overlay builder
 * minus the root requirement, reference §2.4): a fresh empty root on tmpfs, the bundle's top-level
 * directories bound read-only over it and its top-level links recreated, a private /tmp, /proc and /dev,
 * the job directory as the only writable host path, no network, new PID/IPC/UTS/user/cgroup namespaces, no
 * capabilities, an unprivileged uid, resource limits via prlimit. The bundle's paths are the compiler's
 * original absolute paths, so "/usr/bin/gcc" inside finds cc1 and as unchanged.
 */
public final class Sandbox {
    static final Path BWRAP = Path.of("/usr/bin/bwrap");
    static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "TMPDIR", "/tmp", "LC_ALL", "C",
            "HOME", "/tmp");
    private final SandboxPolicy policy;
    private final boolean root;

    public Sandbox(SandboxPolicy policy) {
        this.policy = policy;
        this.root = isUidZero();
    }

    public SandboxPolicy policy() {
        return policy;
    }

    /** Fails with the install command when a tool the sandbox needs is missing. */
    public static void checkTools() throws FetchException.Unusable {
        for (Path p : List.of(BWRAP, PRLIMIT, SETPRIV)) {
            if (!Files.isExecutable(p)) {
                throw new FetchException.Unusable(p + " is missing: install it with `apt-get install -y "
                        + (p.equals(BWRAP) ? "bubblewrap" : "util-linux") + "`");
            }
        }
    }

    /**
     * Makes {@code jobDir} writable for the sandbox user (when the volunteer runs as root, the compile does not).
     * The directory must already exist; its ancestors must be traversable by that user.
     */
    public void prepareJobDir(Path jobDir) throws IOException {
        if (root) {
            Files.setAttribute(jobDir, "unix:uid", policy.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(jobDir, "unix:gid", policy.gid(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * The full command: prlimit, privilege drop (as root), bwrap, then {@code argv} inside. The job directory is
     * bound at its own host path, so argv may name inputs and outputs by their host paths.
     */
    public List<String> command(Path bundleRoot, Path jobDir, List<String> argv) throws IOException {
        return command(bundleRoot, List.of(jobDir), jobDir, argv);
    }

    /**
     * The same with several writable host directories (distccd's job directory, and for protocol 3 the mirror of
     * the client's tree), each bound at its own path, and {@code workDir} (one of them or beneath) as the
     * compiler's working directory.
     */
    public List<String> command(Path bundleRoot, List<Path> writable, Path workDir, List<String> argv) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.addAll(List.of(PRLIMIT.toString(), "--as=" + policy.memoryBytes(), "--cpu=" + policy.cpuSeconds(),
                "--fsize=" + policy.fileSizeBytes(), "--nproc=" + policy.maxProcesses(), "--core=0", "--nofile=1024", "--"));
        if (root) {
            cmd.addAll(List.of(SETPRIV.toString(), "--reuid=" + policy.uid(), "--regid=" + policy.gid(), "--clear-groups",
                    "--no-new-privs", "--"));
        }
        cmd.addAll(List.of(BWRAP.toString(), "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--hostname", "jdistcc-sandbox", "--tmpfs", "/"));
        addBundle(cmd, bundleRoot.toAbsolutePath());
        cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        for (Path w : writable) {
            String dir = w.toAbsolutePath().toString();
            cmd.addAll(List.of("--bind", dir, dir));
        }
        cmd.addAll(List.of("--chdir", workDir.toAbsolutePath().toString(), "--remount-ro", "/", "--clearenv"));
        for (Map.Entry<String, String> e : new TreeMap<>(ENV).entrySet()) {
            cmd.addAll(List.of("--setenv", e.getKey(), e.getValue()));
        }
        cmd.add("--");
        cmd.addAll(argv);
        return cmd;
    }

    /** Top-level directories and files are bound read-only; top-level links are recreated, never followed. */
    private static void addBundle(List<String> cmd, Path bundleRoot) throws IOException {
        try (Stream<Path> top = Files.list(bundleRoot)) {
            for (Path p : top.sorted().toList()) {
                String name = "/" + p.getFileName();
                if (Files.isSymbolicLink(p)) {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), name));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    cmd.addAll(List.of("--ro-bind", p.toString(), name));
                }
            }
        }
    }

    private static boolean isUidZero() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
