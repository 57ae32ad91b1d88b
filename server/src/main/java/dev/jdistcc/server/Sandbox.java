package dev.jdistcc.server;

import java.io.IOException;
import java.util.List;

/**
 * Wraps a compiler command line (the executable and its arguments) before it is started. The result
 * must exec the command in the same process or wait for it, so that killing the started process kills
 * the compile, and must keep {@link JobDirs#jobDir()} (and for protocol 3 {@link JobDirs#root()})
 * reachable at the same paths, since the arguments name files there.
 */
public interface Sandbox {
    Sandbox NONE = (command, dirs) -> command;

    List<String> wrap(List<String> command, JobDirs dirs) throws IOException;

    /**
     * Called once the job's directories are filled and before the compiler starts, for example to hand
     * them to the sandbox's user. The daemon has already given them to its own compiler user, if any.
     */
    default void prepare(JobDirs dirs) throws IOException {
    }
}
