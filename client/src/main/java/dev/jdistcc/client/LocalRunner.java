package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a local compiler run happens. By default ({@link #CHILD}) it is a child of this process with the job's
 * stdio; a resident process instead hands the command back to the job's launcher, which execs it with its
 * own stdin, terminal and umask, and may not learn its exit code ({@link #UNKNOWN_EXIT}). A runner may also
 * run the preprocessor of distributed jobs ({@link #runsPreprocessor()}); by default cpp is a background
 * child of this process, overlapped with connecting to the server.
 */
public interface LocalRunner {
    /** The command ran elsewhere and its exit code is not known here. */
    int UNKNOWN_EXIT = Integer.MIN_VALUE;

    /** A child process of this one. */
    LocalRunner CHILD = new Child();

    /**
     * @param exe      the executable {@code argv[0]} resolves to in the job's PATH and directory
     * @param argv     the command, {@code argv[0]} as distcc would exec it
     * @param childEnv the complete environment the command gets
     * @return the exit code (128+signal), or {@link #UNKNOWN_EXIT}
     */
    int run(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv)
            throws IOException, InterruptedException;

    /** Whether {@link #preprocess} runs cpp; false starts it as a background child of this process. */
    default boolean runsPreprocessor() {
        return false;
    }

    /**
     * Runs cpp to the end with its stdout written to {@code output} and its stderr shown to the user.
     *
     * @return its exit code (128+signal)
     */
    default int preprocess(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv, Path output)
            throws IOException, InterruptedException {
        throw new UnsupportedOperationException("this runner leaves cpp to the caller");
    }

    /**
     * Whether {@link #preprocessCaptured} works: the runner can run cpp with its stderr held back, so a partial
     * preprocessor that fails can be replaced by a full one without the user seeing its complaints.
     */
    default boolean capturesPreprocessor() {
        return false;
    }

    /**
     * Runs cpp to the end with its stdout written to {@code output} and its stderr returned, not shown.
     */
    default CapturedCpp preprocessCaptured(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv,
                                           Path output) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("this runner does not capture cpp's stderr");
    }

    /**
     * What a preprocessor run with captured stderr left.
     *
     * @param exitCode   its exit code (128+signal)
     * @param namesClock whether its output contains {@code __DATE__}, {@code __TIME__} or {@code __TIMESTAMP__}
     *                   (a partial cpp leaves them unexpanded; only this machine's clock and SOURCE_DATE_EPOCH
     *                   may expand them)
     * @param stderr     what it printed to stderr
     */
    record CapturedCpp(int exitCode, boolean namesClock, byte[] stderr) {
    }

    /** The default: run as a child, output to the job's stdio. */
    final class Child implements LocalRunner {
        @Override
        public int run(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv)
                throws IOException, InterruptedException {
            return ChildProcess.waitFor(ChildProcess.start(exe, argv, job.cwd(), childEnv, null, job.stdio(),
                    job.umask()));
        }
    }
}
