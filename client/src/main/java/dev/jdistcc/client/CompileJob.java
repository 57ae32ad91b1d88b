package dev.jdistcc.client;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One compiler invocation to run somewhere.
 *
 * @param argv  the compiler command, compiler name first, exactly as the user gave it (in masquerade mode
 *              the compiler name is the basename distcc was invoked as)
 * @param cwd   the directory relative paths are resolved in and the compiler runs in
 * @param path  the PATH for child processes (trimmed in masquerade mode); also used to find the compiler
 * @param stdio where compiler output goes; null inherits this process's stdout and stderr (the CLI)
 * @param umask the umask for files the job creates ({@link #INHERIT}: this process's own); a resident process
 *              running jobs for many launchers gives each job its launcher's umask
 */
public record CompileJob(List<String> argv, Path cwd, String path, Stdio stdio, int umask) {
    /** No umask of its own: files get this process's umask. */
    public static final int INHERIT = -1;

    /** Output sinks for callers that do not want the compiler to write to their own stdio. */
    public record Stdio(OutputStream out, OutputStream err) {
        public Stdio {
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(err, "err");
        }
    }

    public CompileJob {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name the compiler");
        }
        cwd = cwd.toAbsolutePath();
        if (umask != INHERIT && (umask & ~0777) != 0) {
            throw new IllegalArgumentException("umask out of range: " + Integer.toOctalString(umask));
        }
    }

    public CompileJob(List<String> argv, Path cwd, String path, Stdio stdio) {
        this(argv, cwd, path, stdio, INHERIT);
    }
}
