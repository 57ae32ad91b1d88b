package dev.jdistcc.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of the {@code distcc} command with everything it depends on passed in, so the same front end serves
 * the per-job JVM (its own environment and directory) and a resident process (each launcher's).
 *
 * @param argv0       the name it was invoked as: a masquerade link ("gcc", "/masq/gcc") or distcc itself
 * @param args        the arguments after argv0, verbatim
 * @param environment the whole environment of the invocation
 * @param cwd         the working directory
 * @param pid         the id of the invoking process: log lines, monitor record, {@code --randomize} seed
 * @param umask       the umask files of the job get, or {@link CompileJob#INHERIT}
 * @param stdio       where compiler output goes; null inherits this process's stdout and stderr
 */
public record Invocation(String argv0, List<String> args, Map<String, String> environment, Path cwd, long pid,
                         int umask, CompileJob.Stdio stdio) {
    public Invocation {
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        cwd = cwd.toAbsolutePath();
    }

    /** The hooks a resident process sets; nulls keep distcc 3.4's behaviour. */
    public record Hooks(Placement placement, LocalRunner localRunner, ToolchainNames toolchains) {
        public static final Hooks NONE = new Hooks(null, null, null);

        public Hooks(Placement placement, LocalRunner localRunner) {
            this(placement, localRunner, null);
        }
    }
}
