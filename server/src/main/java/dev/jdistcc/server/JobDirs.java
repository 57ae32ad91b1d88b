package dev.jdistcc.server;

import java.nio.file.Path;

/**
 * The private directories of one job, all removed when it ends (unless DISTCC_SAVE_TEMPS=1).
 *
 * @param jobDir  scratch: the object, stderr, stdout, .d and the compiler's TMPDIR live here
 * @param workDir the compiler's working directory
 * @param root    protocol 3 only: the mirror of the client's file system (distccd's mkdtemp root); else null
 */
public record JobDirs(Path jobDir, Path workDir, Path root) {
}
