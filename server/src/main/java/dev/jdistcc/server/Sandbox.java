package dev.jdistcc.server;

import java.util.List;

/**
 * Wraps a compiler command line (the executable and its arguments) before it is started. The result
 * must exec the command in the same process or wait for it, so that killing the started process kills
 * the compile, and must keep {@link JobDirs#jobDir()} (and for protocol 3 {@link JobDirs#root()})
 * reachable at the same paths, since the arguments name files there.
 */
@FunctionalInterface
public interface Sandbox {
    Sandbox NONE = (command, dirs) -> command;

    List<String> wrap(List<String> command, JobDirs dirs);
}
